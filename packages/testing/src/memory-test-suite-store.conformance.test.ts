import { MemoryTestSuiteStore } from '@weft/engine';
import { describeTestSuiteStoreConformance } from './test-suite-store-conformance.js';

describeTestSuiteStoreConformance('memory', async () => {
  const store = new MemoryTestSuiteStore();
  return { store, peer: store };
});
