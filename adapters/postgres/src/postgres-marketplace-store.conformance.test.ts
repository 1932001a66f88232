import { SqlMarketplaceStore } from '@weft/sql';
import { describeMarketplaceStoreConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(pg.title('postgres marketplace store'), () => {
  describeMarketplaceStoreConformance('SqlMarketplaceStore on postgres', async () => {
    const { storage, cleanup } = await openTestStorage(pg.url());
    return { store: new SqlMarketplaceStore({ db: storage.db, dialect: 'postgres' }), cleanup };
  });
});
