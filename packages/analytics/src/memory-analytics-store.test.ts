import { describeAnalyticsStoreConformance } from '@weft/testing';
import { MemoryAnalyticsStore } from './memory-analytics-store.js';

describeAnalyticsStoreConformance('MemoryAnalyticsStore', async () => ({ store: new MemoryAnalyticsStore() }));
