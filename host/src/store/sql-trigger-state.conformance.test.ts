import { describeScheduleLockConformance, describeTriggerStateStoreConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { sqlPairs } from '../testing/host-db-pair.js';
import { SqlTriggerState } from './sql-trigger-state.js';

for (const [title, skip, pair] of sqlPairs(await serviceUrl('pg'))) {
  describe.skipIf(skip)(`SqlTriggerState on ${title}`, () => {
    const open = async () => {
      const { a, b, cleanup } = await pair();
      return { a: new SqlTriggerState(a), b: new SqlTriggerState(b), cleanup };
    };
    describeTriggerStateStoreConformance(title, async () => {
      const { a, b, cleanup } = await open();
      return { store: a, peer: b, cleanup };
    });
    describeScheduleLockConformance(title, async () => {
      const { a, b, cleanup } = await open();
      return { lock: a, peers: [b], cleanup };
    });
  });
}
