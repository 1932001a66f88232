#!/usr/bin/env node
// Checks every publishable workspace (packages/*, adapters/*, host) as npm would publish it: the
// tarball holds a LICENSE and no test-only helpers, package.json names its repository, engines and
// keywords, publint finds nothing, and are-the-types-wrong finds every entry point typed for ESM
// consumers. Every other workspace must be private. Needs a build (`npm run build`) first.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
// The packages are ESM-only ("type": "module", no "require" condition), so CommonJS consumers and
// TypeScript's pre-exports `node10` resolution are out of scope: attw's esm-only profile ignores them.
const attwProfile = { name: 'esm-only', ignored: new Set(['node10', 'node16-cjs']) };
const testOnly = [
  /\.test\.[cm]?[jt]s$/,
  /test-utils\./,
  /\.test-support\./,
  /-test-storage\./,
  /^(src|dist)\/testing\//,
];
const publishable = (dir) => /^(packages|adapters)\/[^/]+$/.test(dir) || dir === 'host';

function workspaces() {
  const { workspaces: globs } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return globs
    .flatMap((glob) => {
      if (!glob.endsWith('/*')) return [glob];
      const parent = glob.slice(0, -2);
      return readdirSync(join(root, parent)).map((name) => `${parent}/${name}`);
    })
    .filter((dir) => existsSync(join(root, dir, 'package.json')));
}

function metadataProblems(dir, pkg) {
  const problems = [];
  if (pkg.private) problems.push('is "private" but lives where published packages do');
  if (pkg.license !== 'Apache-2.0') problems.push(`license is ${JSON.stringify(pkg.license)}, expected "Apache-2.0"`);
  if (!pkg.repository?.url) problems.push('no repository.url');
  else if (pkg.repository.directory !== dir) problems.push(`repository.directory should be "${dir}"`);
  if (!pkg.engines?.node) problems.push('no engines.node');
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push('no keywords');
  for (const [peer, meta] of Object.entries(pkg.peerDependenciesMeta ?? {})) {
    if (meta.optional && !pkg.devDependencies?.[peer])
      problems.push(`optional peer ${peer} is not in devDependencies, so its tests cannot load it`);
  }
  return problems;
}

/** Packs all `dirs` with one npm call (npm's start-up dominates a single pack); tarballs by package name. */
async function packAll(dirs, destination) {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['pack', '--json', '--pack-destination', destination, ...dirs.flatMap((dir) => ['-w', dir])],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  return new Map(
    JSON.parse(stdout).map((r) => [
      r.name,
      { tarball: join(destination, r.filename), files: r.files.map((f) => f.path) },
    ]),
  );
}

function tarballProblems(files) {
  const problems = [];
  if (!files.includes('LICENSE')) problems.push('tarball has no LICENSE');
  for (const file of files) if (testOnly.some((re) => re.test(file))) problems.push(`tarball ships test-only ${file}`);
  return problems;
}

async function publintProblems(data) {
  const { messages, pkg } = await publint({ pack: { tarball: data.buffer }, level: 'suggestion', strict: true });
  return messages.map((m) => `publint ${m.type}: ${formatMessage(m, pkg, { color: false })}`);
}

async function attwProblems(data) {
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(data)));
  if (!analysis.types) return ['attw: the package ships no types'];
  return analysis.problems
    .filter((p) => !attwProfile.ignored.has(p.resolutionKind))
    .map((p) => `attw ${p.kind}: "${p.entrypoint ?? ''}" under ${p.resolutionKind ?? 'any resolution'}`);
}

const started = performance.now();
const results = [];
const toPack = [];
for (const dir of workspaces()) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  if (!publishable(dir))
    results.push({ name: pkg.name, dir, problems: pkg.private ? [] : ['must be "private": true'] });
  else if (!existsSync(join(root, dir, 'dist')))
    results.push({ name: pkg.name, dir, problems: ['no dist/: build first'] });
  else toPack.push({ dir, pkg });
}
const destination = mkdtempSync(join(tmpdir(), 'weft-packages-'));
try {
  const packed = await packAll(
    toPack.map((p) => p.dir),
    destination,
  );
  for (const { dir, pkg } of toPack) {
    const { tarball, files } = packed.get(pkg.name);
    const data = readFileSync(tarball);
    const problems = [
      ...metadataProblems(dir, pkg),
      ...tarballProblems(files),
      ...(await publintProblems(data)),
      ...(await attwProblems(data)),
    ];
    results.push({ name: pkg.name, dir, problems });
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}

results.sort((a, b) => a.dir.localeCompare(b.dir));
for (const { name, dir, problems } of results) {
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name} (${dir})`);
  for (const problem of problems) console.log(`       ${problem}`);
}
const failed = results.filter((r) => r.problems.length);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${results.length} workspaces checked in ${seconds} s (publint, attw profile ${attwProfile.name}): ` +
    (failed.length ? `${failed.length} with problems: ${failed.map((r) => r.name).join(', ')}` : 'all good'),
);
process.exit(failed.length ? 1 : 0);
