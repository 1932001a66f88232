import { SqlAnalyticsStore } from '@weft/sql';
import { describeAnalyticsStoreConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(pg.title('postgres analytics store'), () => {
  describeAnalyticsStoreConformance('SqlAnalyticsStore on postgres', async () => {
    const { storage, cleanup } = await openTestStorage(pg.url());
    return { store: new SqlAnalyticsStore({ db: storage.db, dialect: 'postgres' }), cleanup };
  });
});
