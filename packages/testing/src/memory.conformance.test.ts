import {
  MemoryAnalyticsStore,
  MemoryCredentialRecordStore,
  MemoryDeliveryLog,
  MemoryEventHub,
  MemoryExecutionStore,
  MemoryKeyedLock,
  MemoryMarketplaceStore,
  MemoryQueue,
  MemoryRateLimiter,
  MemoryScheduleLock,
  MemoryTriggerStateStore,
  MemoryWorkflowStore,
} from '@weft/engine';
import { describeAnalyticsStoreConformance } from './analytics-store-conformance.js';
import { describeCredentialRecordStoreConformance } from './credential-record-store-conformance.js';
import { describeDeliveryLogConformance } from './delivery-log-conformance.js';
import { describeEventHubConformance } from './event-hub-conformance.js';
import { describeExecutionStoreConformance } from './execution-store-conformance.js';
import { describeKeyedLockConformance } from './keyed-lock-conformance.js';
import { describeMarketplaceStoreConformance } from './marketplace-store-conformance.js';
import { describeQueueConformance } from './queue-conformance.js';
import { describeRateLimiterConformance } from './rate-limiter-conformance.js';
import { describeScheduleLockConformance } from './schedule-lock-conformance.js';
import { describeTriggerStateStoreConformance } from './trigger-state-store-conformance.js';
import { describeWorkflowStoreConformance } from './workflow-store-conformance.js';

describeWorkflowStoreConformance('memory', async () => ({ store: new MemoryWorkflowStore() }));
describeExecutionStoreConformance('memory', async () => ({ store: new MemoryExecutionStore() }));
describeQueueConformance('memory', async () => ({ queue: new MemoryQueue() }));
describeAnalyticsStoreConformance('memory', async () => ({ store: new MemoryAnalyticsStore() }));
describeMarketplaceStoreConformance('memory', async () => ({ store: new MemoryMarketplaceStore() }));

// The in-memory locks and stores serve one process: each is its own peer.
describeKeyedLockConformance(
  'memory',
  async () => {
    const lock = new MemoryKeyedLock();
    return { lock, peer: lock };
  },
  { longWorkMs: 20 },
);
describeScheduleLockConformance('memory', async () => {
  const lock = new MemoryScheduleLock();
  return { lock, peers: [lock] };
});
describeTriggerStateStoreConformance('memory', async () => {
  const store = new MemoryTriggerStateStore();
  return { store, peer: store };
});
describeCredentialRecordStoreConformance('memory', async () => {
  const store = new MemoryCredentialRecordStore();
  return { store, peer: store };
});
describeDeliveryLogConformance('memory', async () => ({ log: new MemoryDeliveryLog() }));
describeRateLimiterConformance('memory', async (clock) => {
  const limiter = new MemoryRateLimiter({ clock });
  return { limiter, peer: limiter };
});
describeEventHubConformance('memory', async () => {
  const hub = new MemoryEventHub();
  return { hub, peer: hub, publish: async (e) => hub.publish(e) };
});
