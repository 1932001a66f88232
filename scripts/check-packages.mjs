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
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const attwBin = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
// The packages are ESM-only ("type": "module", no "require" condition), so CommonJS consumers and
// TypeScript's pre-exports `node10` resolution are out of scope: the esm-only profile ignores them.
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
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [glob];
    const parent = glob.slice(0, -2);
    return readdirSync(join(root, parent)).map((name) => `${parent}/${name}`);
  });
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

async function pack(dir, destination) {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: join(root, dir),
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout);
  return { tarball: join(destination, result.filename), files: result.files.map((f) => f.path) };
}

function tarballProblems(files) {
  const problems = [];
  if (!files.includes('LICENSE')) problems.push('tarball has no LICENSE');
  for (const file of files) if (testOnly.some((re) => re.test(file))) problems.push(`tarball ships test-only ${file}`);
  return problems;
}

async function publintProblems(tarball) {
  const { messages, pkg } = await publint({
    pack: { tarball: readFileSync(tarball).buffer },
    level: 'suggestion',
    strict: true,
  });
  return messages.map((m) => `publint ${m.type}: ${formatMessage(m, pkg, { color: false })}`);
}

async function attwProblems(tarball) {
  let stdout;
  try {
    ({ stdout } = await run('node', [attwBin, tarball, '--profile', attwProfile.name, '--format', 'json'], {
      maxBuffer: 256 * 1024 * 1024,
    }));
  } catch (error) {
    if (!error.stdout) throw error;
    stdout = error.stdout;
  }
  const { problems = {} } = JSON.parse(stdout);
  return Object.values(problems)
    .flat()
    .filter((p) => !attwProfile.ignored.has(p.resolutionKind))
    .map((p) => `attw ${p.kind}: "${p.entrypoint ?? ''}" under ${p.resolutionKind ?? 'any resolution'}`);
}

async function check(dir, destination) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  if (!publishable(dir)) return { name: pkg.name, dir, problems: pkg.private ? [] : ['must be "private": true'] };
  if (!existsSync(join(root, dir, 'dist'))) return { name: pkg.name, dir, problems: ['no dist/: run npm run build'] };
  const { tarball, files } = await pack(dir, destination);
  const problems = [
    ...metadataProblems(dir, pkg),
    ...tarballProblems(files),
    ...(await publintProblems(tarball)),
    ...(await attwProblems(tarball)),
  ];
  return { name: pkg.name, dir, problems };
}

const started = performance.now();
const destination = mkdtempSync(join(tmpdir(), 'weft-packages-'));
const queue = workspaces().filter((dir) => existsSync(join(root, dir, 'package.json')));
const results = [];
try {
  await Promise.all(
    [0, 1].map(async () => {
      for (let dir = queue.shift(); dir; dir = queue.shift()) results.push(await check(dir, destination));
    }),
  );
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
  `\n${results.length} workspaces checked in ${seconds} s (publint, attw --profile ${attwProfile.name}): ` +
    (failed.length ? `${failed.length} with problems: ${failed.map((r) => r.name).join(', ')}` : 'all good'),
);
process.exit(failed.length ? 1 : 0);
