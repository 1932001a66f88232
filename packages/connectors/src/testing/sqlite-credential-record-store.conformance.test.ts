import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCredentialRecordStoreConformance } from '@weft/testing';
import Database from 'better-sqlite3';
import { SqliteCredentialRecordStore } from './sqlite-credential-record-store.js';

// Two connections to one file, as two processes would have.
describeCredentialRecordStoreConformance('better-sqlite3 test store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-credential-records-'));
  const a = new Database(join(dir, 'vault.db'));
  const b = new Database(join(dir, 'vault.db'));
  return {
    store: new SqliteCredentialRecordStore(a),
    peer: new SqliteCredentialRecordStore(b),
    cleanup: async () => {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
