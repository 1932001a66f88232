import { describeCredentialRecordStoreConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { sqlPairs } from '../testing/host-db-pair.js';
import { SqlCredentialRecordStore } from './sql-credential-record-store.js';

for (const [title, skip, pair] of sqlPairs(await serviceUrl('pg'))) {
  describe.skipIf(skip)(`SqlCredentialRecordStore on ${title}`, () => {
    describeCredentialRecordStoreConformance(title, async () => {
      const { a, b, cleanup } = await pair();
      return { store: new SqlCredentialRecordStore(a), peer: new SqlCredentialRecordStore(b), cleanup };
    });
  });
}
