import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlMarketplaceStore } from '@weft/sql';
import { describeMarketplaceStoreConformance } from '@weft/testing';
import { createSqliteStorage } from './sqlite-storage.js';

describeMarketplaceStoreConformance('SqlMarketplaceStore on sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-marketplace-'));
  const storage = await createSqliteStorage({ filename: join(dir, 'weft.db') });
  return {
    store: new SqlMarketplaceStore({ db: storage.db, dialect: 'sqlite' }),
    cleanup: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
