import { MemoryExecutionStore, MemoryQueue, MemoryWorkflowStore } from '@weft/engine';
import { describeExecutionStoreConformance } from './execution-store-conformance.js';
import { describeQueueConformance } from './queue-conformance.js';
import { describeWorkflowStoreConformance } from './workflow-store-conformance.js';

describeWorkflowStoreConformance('memory', async () => ({ store: new MemoryWorkflowStore() }));
describeExecutionStoreConformance('memory', async () => ({ store: new MemoryExecutionStore() }));
describeQueueConformance('memory', async () => ({ queue: new MemoryQueue() }));
