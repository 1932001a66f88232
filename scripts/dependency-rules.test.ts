// The rules in .dependency-cruiser.cjs, run over a small tree with the repository's layout: each rule
// must flag the imports it forbids and leave the allowed ones (and dev tools outside src/) alone.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const rooms = [
  'packages/engine',
  'packages/connectors',
  'packages/sandbox',
  'packages/testing',
  'packages/canvas',
  'packages/client',
  'adapters/sql',
  'adapters/sqlite',
  'adapters/postgres',
  'adapters/redis',
  'adapters/fs',
  'host',
];

/** Files of the fixture tree, each importing what its name says. */
const files: Record<string, string> = {
  'packages/engine/src/uses-sandbox.ts': "export * from '../../sandbox/src/index.js';",
  'packages/engine/src/uses-pg.ts': "export { default } from 'pg';",
  'packages/engine/src/uses-express.ts': "export { default } from 'express';",
  'packages/engine/src/uses-node-fs.ts': "export { readFileSync } from 'node:fs';",
  'packages/engine/src/node-fs-in-a.test.ts': "export { readFileSync } from 'node:fs';",
  'packages/engine/src/uses-rxjs.ts': "export { Subject } from 'rxjs';",
  'packages/sandbox/src/uses-undeclared-ioredis.ts': "export { Redis } from 'ioredis';",
  'packages/canvas/src/sandbox-in-a.test.ts': "export type * from '../../sandbox/src/index.js';",
  'packages/client/src/host-in-a.test.ts': "export * from '../../../host/src/index.js';",
  'packages/client/src/uses-engine.ts': "export * from '../../engine/src/index.js';",
  'host/web/src/uses-host.ts': "export * from '../../src/index.js';",
  'host/web/src/uses-client.ts': "export * from '../../../packages/client/src/index.js';",
  'packages/testing/src/uses-sql.ts': "export * from '../../../adapters/sql/src/index.js';",
  'adapters/redis/src/uses-sql.ts': "export * from '../../sql/src/index.js';",
  'adapters/redis/src/redis.test-support.ts': "export * from '../../../packages/testing/src/index.js';",
  'adapters/sql/src/uses-sqlite.ts': "export * from '../../sqlite/src/index.js';",
  'adapters/sql/src/uses-better-sqlite3.ts': "export { default } from 'better-sqlite3';",
  'adapters/sql/src/uses-kysely.ts': "export { Kysely } from 'kysely';",
  'adapters/sql/src/uses-node-crypto.ts': "export { createHash } from 'node:crypto';",
  'adapters/sql/src/uses-connectors.ts': "export * from '../../../packages/connectors/src/index.js';",
  'adapters/sql/src/sql.test.ts': "export * from '../../../packages/testing/src/index.js';",
  'adapters/sql/src/uses-testing.ts': "export * from '../../../packages/testing/src/index.js';",
  'adapters/sqlite/src/uses-sql.ts': "export * from '../../sql/src/index.js';",
  'adapters/sqlite/src/uses-fs.ts': "export * from '../../fs/src/index.js';",
  'adapters/postgres/src/uses-sql.ts': "export * from '../../sql/src/index.js';",
  'adapters/postgres/src/uses-redis.ts': "export * from '../../redis/src/index.js';",
  'adapters/postgres/bench/uses-redis.mjs': "export * from '../../redis/src/index.js';",
  'host/src/uses-everything.ts': "export * from '../../adapters/sqlite/src/index.js';",
  'host/src/http/problem.ts': "export * from '../runtime/host-error.js';",
  'host/src/api/routes.ts': "export * from '../workflows/service.js';",
  'host/src/runtime/host-error.ts': 'export const kind = 1;',
  'host/src/runtime/uses-http.ts': "export * from '../http/problem.js';",
  'host/src/workflows/service.ts': "export * from '../runtime/host-error.js';",
  'host/src/workflows/uses-api.test.ts': "export * from '../api/routes.js';",
};

let dir: string;
let violations: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-dependency-rules-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'fixture',
      type: 'module',
      dependencies: { 'better-sqlite3': '*', express: '*', kysely: '*', pg: '*', rxjs: '*' },
    }),
  );
  for (const room of [...rooms, 'host/web']) {
    mkdirSync(join(dir, room, 'src'), { recursive: true });
    writeFileSync(join(dir, room, 'src/index.ts'), 'export const value = 1;\n');
  }
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), `${text}\n`);
  }
  const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const out = await promisify(execFile)(
    'node',
    [cli, '--config', '.dependency-cruiser.cjs', '-T', 'json', 'packages', 'adapters', 'host'],
    { cwd: dir },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  const result = JSON.parse(out.stdout) as { summary: { violations: { from: string; rule: { name: string } }[] } };
  violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from}`).sort();
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dependency rules', () => {
  it('flag exactly the forbidden imports', () => {
    expect(violations).toEqual([
      'adapters-are-independent: adapters/redis/src/uses-sql.ts',
      'adapters-are-independent: adapters/sql/src/uses-sqlite.ts',
      'adapters-sql-imports-engine-kysely-and-node-only: adapters/sql/src/uses-better-sqlite3.ts',
      'adapters-sql-imports-engine-kysely-and-node-only: adapters/sql/src/uses-connectors.ts',
      'adapters-sql-imports-engine-kysely-and-node-only: adapters/sql/src/uses-sqlite.ts',
      'adapters-sql-imports-engine-kysely-and-node-only: adapters/sql/src/uses-testing.ts',
      'browser-code-stays-out-of-the-server: host/web/src/uses-host.ts',
      'browser-code-stays-out-of-the-server: packages/canvas/src/sandbox-in-a.test.ts',
      'browser-code-stays-out-of-the-server: packages/client/src/host-in-a.test.ts',
      'conformance-suites-in-tests-only: adapters/sql/src/uses-testing.ts',
      'engine-has-no-driver-framework-or-addon: packages/engine/src/uses-express.ts',
      'engine-has-no-driver-framework-or-addon: packages/engine/src/uses-pg.ts',
      'engine-imports-nothing-of-ours: packages/engine/src/uses-sandbox.ts',
      'engine-is-platform-neutral: packages/engine/src/uses-node-fs.ts',
      'host-runtime-knows-no-http: host/src/runtime/uses-http.ts',
      'host-runtime-knows-no-http: host/src/workflows/uses-api.test.ts',
      'npm-imports-are-declared: packages/sandbox/src/uses-undeclared-ioredis.ts',
      'packages-never-import-host-or-adapters: packages/client/src/host-in-a.test.ts',
      'packages-never-import-host-or-adapters: packages/testing/src/uses-sql.ts',
      'sql-dialects-build-on-adapters-sql-only: adapters/postgres/src/uses-redis.ts',
      'sql-dialects-build-on-adapters-sql-only: adapters/sqlite/src/uses-fs.ts',
    ]);
  });
});
