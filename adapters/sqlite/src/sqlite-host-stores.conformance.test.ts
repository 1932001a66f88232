import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@weft/engine';
import { type HostDb, SqlCredentialRecordStore, SqlDeliveryLog, SqlTriggerState } from '@weft/sql';
import {
  describeCredentialRecordStoreConformance,
  describeDeliveryLogConformance,
  describeScheduleLockConformance,
  describeTriggerStateStoreConformance,
} from '@weft/testing';
import { createSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

const hostDb = (storage: SqliteStorage): HostDb => ({ db: storage.db, dialect: 'sqlite' });

/** Two storages on one fresh file, as two host processes would have. */
async function filePair() {
  const dir = mkdtempSync(join(tmpdir(), 'weft-store-pair-'));
  const filename = join(dir, 'weft.db');
  const a = await createSqliteStorage({ filename });
  const b = await createSqliteStorage({ filename });
  return {
    a: hostDb(a),
    b: hostDb(b),
    cleanup: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeCredentialRecordStoreConformance('SqlCredentialRecordStore on sqlite', async () => {
  const { a, b, cleanup } = await filePair();
  return { store: new SqlCredentialRecordStore(a), peer: new SqlCredentialRecordStore(b), cleanup };
});

// Small statements, so the concurrent records span several inserts.
describeDeliveryLogConformance('SqlDeliveryLog on sqlite', async () => {
  const { a, cleanup } = await filePair();
  const log = new SqlDeliveryLog(a, { logger: silentLogger, rowsPerStatement: 40 });
  return {
    log,
    cleanup: async () => {
      await log.close();
      await cleanup();
    },
  };
});

describeTriggerStateStoreConformance('SqlTriggerState on sqlite', async () => {
  const { a, b, cleanup } = await filePair();
  return { store: new SqlTriggerState(a), peer: new SqlTriggerState(b), cleanup };
});
describeScheduleLockConformance('SqlTriggerState on sqlite', async () => {
  const { a, b, cleanup } = await filePair();
  return { lock: new SqlTriggerState(a), peers: [new SqlTriggerState(b)], cleanup };
});
