import { silentLogger } from '@weft/engine';
import { describeDeliveryLogConformance, serviceUrl } from '@weft/testing';
import { describe } from 'vitest';
import { sqlPairs } from '../testing/host-db-pair.js';
import { SqlDeliveryLog } from './sql-delivery-log.js';

for (const [title, skip, pair] of sqlPairs(await serviceUrl('pg'))) {
  describe.skipIf(skip)(`SqlDeliveryLog on ${title}`, () => {
    // Small statements, so the concurrent records span several inserts.
    describeDeliveryLogConformance(title, async () => {
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
  });
}
