import { silentLogger } from '@weft/engine';
import { type HostDb, SqlCredentialRecordStore, SqlDeliveryLog, SqlTriggerState } from '@weft/sql';
import {
  describeCredentialRecordStoreConformance,
  describeDeliveryLogConformance,
  describeScheduleLockConformance,
  describeTriggerStateStoreConformance,
  serviceUrl,
} from '@weft/testing';
import { describe } from 'vitest';
import type { PostgresStorage } from './postgres-storage.js';
import { openTestStorage } from './postgres-test-storage.js';

const pg = await serviceUrl('pg');
const hostDb = (storage: PostgresStorage): HostDb => ({ db: storage.db, dialect: 'postgres' });

/** Two pools on one fresh schema, as two host processes would have. */
async function pair() {
  const { storage, connectPeer, cleanup } = await openTestStorage(pg.url());
  return { a: hostDb(storage), b: hostDb(await connectPeer()), cleanup };
}

describe.skipIf(pg.skip)(pg.title('postgres host stores'), () => {
  describeCredentialRecordStoreConformance('SqlCredentialRecordStore on postgres', async () => {
    const { a, b, cleanup } = await pair();
    return { store: new SqlCredentialRecordStore(a), peer: new SqlCredentialRecordStore(b), cleanup };
  });

  // Small statements, so the concurrent records span several inserts.
  describeDeliveryLogConformance('SqlDeliveryLog on postgres', async () => {
    const { a, cleanup } = await pair();
    const log = new SqlDeliveryLog(a, { logger: silentLogger, rowsPerStatement: 40 });
    return {
      log,
      cleanup: async () => {
        await log.close();
        await cleanup();
      },
    };
  });

  describeTriggerStateStoreConformance('SqlTriggerState on postgres', async () => {
    const { a, b, cleanup } = await pair();
    return { store: new SqlTriggerState(a), peer: new SqlTriggerState(b), cleanup };
  });
  describeScheduleLockConformance('SqlTriggerState on postgres', async () => {
    const { a, b, cleanup } = await pair();
    return { lock: new SqlTriggerState(a), peers: [new SqlTriggerState(b)], cleanup };
  });
});
