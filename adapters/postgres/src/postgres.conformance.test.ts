import {
  describeExecutionStoreConformance,
  describeQueueConformance,
  describeWorkflowStoreConformance,
  serviceUrl,
} from '@weft/testing';
import { describe } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(pg.title('postgres'), () => {
  describeWorkflowStoreConformance('postgres', async () => {
    const { storage, cleanup } = await openTestStorage(pg.url());
    return { store: storage.workflows, cleanup };
  });
  describeExecutionStoreConformance('postgres', async () => {
    const { storage, cleanup } = await openTestStorage(pg.url());
    return { store: storage.executions, cleanup };
  });
  describeQueueConformance('postgres', async () => {
    const { storage, cleanup, connectPeer } = await openTestStorage(pg.url());
    return { queue: storage.queue, cleanup, connectPeer: async () => (await connectPeer()).queue };
  });
});
