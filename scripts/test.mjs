#!/usr/bin/env node
// The one test command: lint, circular imports, dependency rules, type-check + build, OpenAPI lint,
// package checks, unit/integration tests, browser tests. Prints a plain total over every suite as its last line.
// The unit/integration tests and the browser tests run at the same time: both spend most of their time
// waiting on servers (Postgres, hosts, Chromium), so on a 2-core machine together they take little
// more than the longer of the two. The browser suite's output is kept in playwright-output.log and printed after.
// The checks that read only sources run beside the build, and the two that read its output beside the tests:
// in a same-run A/B (alternating, load 3-4) checks + a full tsc build took 65 and 66 s side by side, 93 and 76 s one after another.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/**
 * Runs a command with its output held back; resolves with its name, whether it exited 0 and its output.
 * Checks run this way beside a longer step (the build, the tests) whose second core they would otherwise leave idle.
 */
function captured(name, cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code) => resolve({ name, cmd, args, ok: code === 0, output: Buffer.concat(out) }));
  });
}

/** Prints a captured check's output under its heading and counts it. */
function report({ name, cmd, args, ok, output }) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  process.stdout.write(output);
  if (ok) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // a suite that failed to load has no tests but is a failure
  for (const s of r.testResults ?? []) {
    if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) totals.failed++;
  }
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
  return true;
}

// Lint, circular imports and dependency rules read only the sources: they run beside the build, which
// is mostly single-threaded tsc (together ~50 s of CPU that ran one after another before it).
const sourceChecks = [
  captured('lint', 'npx', ['biome', 'check', '.']),
  captured('circular imports', 'node', ['scripts/circular.mjs']),
  captured('dependency rules', 'npx', [
    'depcruise',
    '--config',
    '.dependency-cruiser.cjs',
    'packages',
    'adapters',
    'host',
  ]),
];
const build = captured('type-check and build', 'npm', ['run', 'build', '--silent']);
for (const r of await Promise.all(sourceChecks)) report(r);
report(await build);
// These two read the build's output; they run beside the tests and are reported before them.
const builtChecks = Promise.all([
  captured('openapi lint', 'node', ['scripts/openapi-lint.mjs']),
  captured('package checks', 'node', ['scripts/check-packages.mjs']),
]);

/** Runs a command in the background; resolves with whether it exited 0. Output goes to `logFile` if given. */
function background(name, cmd, args, env = {}, logFile) {
  console.log(
    `\n=== ${name}: ${cmd} ${args.join(' ')}${logFile ? ` (output in ${logFile}, printed when it ends)` : ''}`,
  );
  const child = spawn(cmd, args, {
    stdio: logFile ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, ...env },
  });
  if (logFile) {
    const log = createWriteStream(logFile);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  return new Promise((resolve) => {
    child.on('close', (code) => {
      if (code !== 0) failures.push(name);
      resolve(code === 0);
    });
  });
}

const vitestOut = '.vitest-results.json';
rmSync(vitestOut, { force: true });
const vitestRun = background('tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${vitestOut}`,
]);

const browser = existsSync('playwright.config.ts') && process.env.WEFT_SKIP_BROWSER !== '1';
const pwOut = 'test-results/playwright.json';
// Outside test-results/: Playwright empties that folder when it starts.
const pwLog = 'playwright-output.log';
let browserRun = Promise.resolve(true);
if (browser) {
  rmSync(pwOut, { force: true });
  mkdirSync('test-results', { recursive: true });
  browserRun = background(
    'browser tests',
    'npx',
    ['playwright', 'test'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut },
    pwLog,
  );
}

for (const r of await builtChecks) report(r);

const vitestOk = await vitestRun;
if (!countVitest(vitestOut)) totals.failed++;
else if (!vitestOk && totals.failed === 0) totals.failed++;

if (browser) {
  const pwOk = await browserRun;
  console.log('\n=== browser tests output');
  if (existsSync(pwLog)) process.stdout.write(readFileSync(pwLog));
  if (!countPlaywright(pwOut) && !pwOk) totals.failed++;
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.failed ? 1 : 0);
