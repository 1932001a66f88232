import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@weft/postgres';
import { weftMigrations } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import type { ServiceTarget } from '@weft/testing';
import type { Kysely } from 'kysely';
import type { HostDatabase, HostDb } from '../store/host-database.js';
import { createTempDatabase } from './postgres-database.js';

/** Two connections to one fresh, migrated host database, as two host processes would have. */
export interface HostDbPair {
  a: HostDb;
  b: HostDb;
  cleanup: () => Promise<void>;
}

/** A SQL backend for store conformance tests: its title, whether to skip it, and how to open a pair. */
export type HostDbBackend = [title: string, skip: boolean, pair: () => Promise<HostDbPair>];

async function pairOf(open: () => Promise<{ h: HostDb; close: () => Promise<void> }>, drop: () => Promise<void>) {
  const a = await open();
  const b = await open();
  return {
    a: a.h,
    b: b.h,
    cleanup: async () => {
      await a.close();
      await b.close();
      await drop();
    },
  };
}

/**
 * SQLite (two storages on one file in a fresh directory) and Postgres (two pools on a throwaway
 * database next to `pg`, skipped when the service is absent), for running a store's conformance
 * suite against both dialects.
 *
 * @example
 * ```ts
 * for (const [title, skip, pair] of sqlPairs(await serviceUrl('pg'))) {
 *   describe.skipIf(skip)(title, () => describeXConformance(title, async () => { const { a, b, cleanup } = await pair(); ... }));
 * }
 * ```
 */
export function sqlPairs(pg: ServiceTarget): HostDbBackend[] {
  return [
    [
      'host sql (sqlite)',
      false,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'weft-store-pair-'));
        const filename = join(dir, 'weft.db');
        return pairOf(
          async () => {
            const storage = await createSqliteStorage({ filename, migrations: weftMigrations });
            const h: HostDb = {
              db: storage.db as unknown as Kysely<HostDatabase>,
              dialect: 'sqlite',
              sqlite: storage.database,
            };
            return { h, close: () => storage.close() };
          },
          async () => rmSync(dir, { recursive: true, force: true }),
        );
      },
    ],
    [
      pg.title('host sql (postgres)'),
      pg.skip,
      async () => {
        const db = await createTempDatabase(pg.url());
        return pairOf(async () => {
          const storage = await createPostgresStorage({
            connectionString: db.url,
            migrations: weftMigrations,
            poolSize: 4,
          });
          const h: HostDb = { db: storage.db as unknown as Kysely<HostDatabase>, dialect: 'postgres' };
          return { h, close: () => storage.close() };
        }, db.drop);
      },
    ],
  ];
}
