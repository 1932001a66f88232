import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlAnalyticsStore } from '@weft/sql';
import { describeAnalyticsStoreConformance } from '@weft/testing';
import { createSqliteStorage } from './sqlite-storage.js';

describeAnalyticsStoreConformance('SqlAnalyticsStore on sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-analytics-'));
  const storage = await createSqliteStorage({ filename: join(dir, 'weft.db') });
  return {
    store: new SqlAnalyticsStore({ db: storage.db, dialect: 'sqlite' }),
    cleanup: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
