import { describeScheduleLockConformance, describeTriggerStateStoreConformance } from '@weft/testing';
import { MemoryTriggerStateStore } from './kit/trigger-state-store.js';
import { MemoryScheduleLock } from './triggers/schedule-lock.js';

// The in-memory implementations serve one process: each is its own peer.
describeScheduleLockConformance('memory', async () => {
  const lock = new MemoryScheduleLock();
  return { lock, peers: [lock] };
});
describeTriggerStateStoreConformance('memory', async () => {
  const store = new MemoryTriggerStateStore();
  return { store, peer: store };
});
