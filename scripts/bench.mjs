#!/usr/bin/env node
// Runs every benchmark script (`<package>/bench/*.bench.mjs`) one after another, each in its own
// process with the flags isolated-vm needs. Each script prints its own table, with a baseline
// measured in the same run. Pass a substring to run only matching scripts: `npm run bench -- sqlite`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const roots = ['packages', 'adapters']
  .flatMap((d) => (existsSync(d) ? readdirSync(d).map((p) => join(d, p)) : []))
  .concat(['host']);
const scripts = roots
  .map((r) => join(r, 'bench'))
  .filter((d) => existsSync(d))
  .flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.bench.mjs'))
      .map((f) => join(d, f)),
  )
  .filter((f) => f.includes(filter))
  .sort();

let failed = 0;
for (const script of scripts) {
  console.log(`\n## ${script}\n`);
  const r = spawnSync(process.execPath, ['--no-node-snapshot', '--expose-gc', script], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (scripts.length === 0) console.log('no benchmark scripts matched');
process.exit(failed ? 1 : 0);
