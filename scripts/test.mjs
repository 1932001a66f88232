#!/usr/bin/env node
// The one test command: lint, circular imports, dependency rules, type-check + build, OpenAPI lint,
// package checks, unit/integration tests, browser tests. Prints a plain total over every suite as its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  if (!ok) failures.push(name);
  return ok;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) totals.passed++;
  else totals.failed++;
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

check('lint', 'npx', ['biome', 'check', '.']);
check('circular imports', 'node', ['scripts/circular.mjs']);
check('dependency rules', 'npx', ['depcruise', '--config', '.dependency-cruiser.cjs', 'packages', 'adapters', 'host']);
const built = step('type-check and build', 'npm', ['run', 'build', '--silent']);
if (built) totals.passed++;
else totals.failed++;
check('openapi lint', 'node', ['scripts/openapi-lint.mjs']);
check('package checks', 'node', ['scripts/check-packages.mjs']);

const vitestOut = '.vitest-results.json';
rmSync(vitestOut, { force: true });
const vitestOk = step('tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${vitestOut}`,
]);
if (!countVitest(vitestOut)) totals.failed++;
else if (!vitestOk && failures.at(-1) === 'tests' && totals.failed === 0) totals.failed++;

if (existsSync('playwright.config.ts') && process.env.WEFT_SKIP_BROWSER !== '1') {
  const pwOut = 'test-results/playwright.json';
  rmSync(pwOut, { force: true });
  const pwOk = step('browser tests', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut });
  if (!countPlaywright(pwOut) && !pwOk) totals.failed++;
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.failed ? 1 : 0);
