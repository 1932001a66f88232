#!/usr/bin/env node
// Fails when any package has a circular import between modules (type-only imports are ignored: they vanish at runtime).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'adapters']
  .flatMap((d) => (existsSync(d) ? readdirSync(d).map((p) => join(d, p)) : []))
  .concat(['host']);
const entries = roots.flatMap((r) => {
  const src = join(r, 'src');
  if (!existsSync(src)) return [];
  return readdirSync(src, { recursive: true })
    .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f))
    .map((f) => join(src, f));
});
if (entries.length === 0) process.exit(0);
const r = spawnSync(
  'npx',
  ['dpdm', '--no-tree', '--no-warning', '--exit-code', 'circular:1', '--transform', ...entries],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
