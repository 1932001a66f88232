import { SqlTestSuiteStore } from '@weft/sql';
import { describeTestSuiteStoreConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(pg.title('postgres test suite store'), () => {
  describeTestSuiteStoreConformance('SqlTestSuiteStore on postgres', async () => {
    const { storage, connectPeer, cleanup } = await openTestStorage(pg.url());
    const peer = await connectPeer();
    return {
      store: new SqlTestSuiteStore({ db: storage.db, dialect: 'postgres' }),
      peer: new SqlTestSuiteStore({ db: peer.db, dialect: 'postgres' }),
      cleanup,
    };
  });
});
