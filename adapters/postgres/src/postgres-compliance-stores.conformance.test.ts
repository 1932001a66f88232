import { SqlAuditStore, SqlSubjectKeys } from '@weft/sql';
import { describeArchivableAuditStoreConformance, describeSubjectKeyStoreConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(pg.title('postgres compliance stores'), () => {
  describeArchivableAuditStoreConformance('SqlAuditStore on postgres', async () => {
    const { storage, cleanup } = await openTestStorage(pg.url());
    return { store: new SqlAuditStore({ db: storage.db, dialect: 'postgres' }), cleanup };
  });
  describeSubjectKeyStoreConformance('SqlSubjectKeys on postgres', async () => {
    const { storage, cleanup } = await openTestStorage(pg.url());
    return { store: new SqlSubjectKeys({ db: storage.db, dialect: 'postgres' }), cleanup };
  });
});
