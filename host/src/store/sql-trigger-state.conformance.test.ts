import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@weft/postgres';
import { weftMigrations } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import { describeScheduleLockConformance, describeTriggerStateStoreConformance, serviceUrl } from '@weft/testing';
import type { Kysely } from 'kysely';
import { describe } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';
import type { HostDatabase, HostDb } from './host-database.js';
import { SqlTriggerState } from './sql-trigger-state.js';

type Opened = { h: HostDb; close: () => Promise<void> };

// Two storages on one SQLite file: two connections, as two host processes on one machine would have.
async function sqlite(): Promise<{ open: () => Promise<Opened>; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-trigger-state-'));
  const filename = join(dir, 'weft.db');
  return {
    open: async () => {
      const storage = await createSqliteStorage({ filename, migrations: weftMigrations });
      const h: HostDb = {
        db: storage.db as unknown as Kysely<HostDatabase>,
        dialect: 'sqlite',
        sqlite: storage.database,
      };
      return { h, close: () => storage.close() };
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const pg = await serviceUrl('pg');
async function postgres(): Promise<{ open: () => Promise<Opened>; cleanup: () => Promise<void> }> {
  const db = await createTempDatabase(pg.url());
  return {
    open: async () => {
      const storage = await createPostgresStorage({
        connectionString: db.url,
        migrations: weftMigrations,
        poolSize: 4,
      });
      const h: HostDb = { db: storage.db as unknown as Kysely<HostDatabase>, dialect: 'postgres' };
      return { h, close: () => storage.close() };
    },
    cleanup: () => db.drop(),
  };
}

function suites(name: string, backend: typeof sqlite) {
  const pair = async () => {
    const { open, cleanup } = await backend();
    const a = await open();
    const b = await open();
    return {
      a: new SqlTriggerState(a.h),
      b: new SqlTriggerState(b.h),
      cleanup: async () => {
        await a.close();
        await b.close();
        await cleanup();
      },
    };
  };
  describeTriggerStateStoreConformance(name, async () => {
    const { a, b, cleanup } = await pair();
    return { store: a, peer: b, cleanup };
  });
  describeScheduleLockConformance(name, async () => {
    const { a, b, cleanup } = await pair();
    return { lock: a, peers: [b], cleanup };
  });
}

describe('SqlTriggerState on SQLite', () => suites('host sql (sqlite)', sqlite));
describe.skipIf(pg.skip)(pg.title('SqlTriggerState on Postgres'), () => suites('host sql (postgres)', postgres));
