import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlTestSuiteStore } from '@weft/sql';
import { describeTestSuiteStoreConformance } from '@weft/testing';
import { createSqliteStorage } from './sqlite-storage.js';

describeTestSuiteStoreConformance('SqlTestSuiteStore on sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-test-suites-'));
  const filename = join(dir, 'weft.db');
  const a = await createSqliteStorage({ filename });
  const b = await createSqliteStorage({ filename });
  return {
    store: new SqlTestSuiteStore({ db: a.db, dialect: 'sqlite' }),
    peer: new SqlTestSuiteStore({ db: b.db, dialect: 'sqlite' }),
    cleanup: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
