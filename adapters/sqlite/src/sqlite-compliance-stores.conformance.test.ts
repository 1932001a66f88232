import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlAuditStore, SqlSubjectKeys } from '@weft/sql';
import { describeArchivableAuditStoreConformance, describeSubjectKeyStoreConformance } from '@weft/testing';
import { createSqliteStorage } from './sqlite-storage.js';

async function open<T>(
  make: (h: { db: Awaited<ReturnType<typeof createSqliteStorage>>['db']; dialect: 'sqlite' }) => T,
) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-compliance-'));
  const storage = await createSqliteStorage({ filename: join(dir, 'weft.db') });
  return {
    store: make({ db: storage.db, dialect: 'sqlite' }),
    cleanup: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeArchivableAuditStoreConformance('SqlAuditStore on sqlite', () => open((h) => new SqlAuditStore(h)));
describeSubjectKeyStoreConformance('SqlSubjectKeys on sqlite', () => open((h) => new SqlSubjectKeys(h)));
