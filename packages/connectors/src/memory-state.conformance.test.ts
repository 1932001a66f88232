import { describeTriggerStateStoreConformance } from '@weft/testing';
import { MemoryTriggerStateStore } from './kit/trigger-state-store.js';

// The in-memory implementations serve one process: each is its own peer.
describeTriggerStateStoreConformance('memory', async () => {
  const store = new MemoryTriggerStateStore();
  return { store, peer: store };
});
