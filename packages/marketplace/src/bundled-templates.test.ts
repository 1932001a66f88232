import { ManualClock, MemoryMarketplaceStore } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { bundledTemplates, seedBundledTemplates } from './bundled-templates.js';

describe('bundled templates', () => {
  it('are read from the package and seeded once into a store', async () => {
    const all = bundledTemplates();
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(all.every((t) => !('sample' in t))).toBe(true);
    const store = new MemoryMarketplaceStore();
    const clock = new ManualClock(1);
    expect(await seedBundledTemplates(store, clock)).toBe(all.length);
    expect(await seedBundledTemplates(store, clock)).toBe(0);
    const found = await store.search({ text: 'stripe', limit: 50, offset: 0 });
    expect(found.total).toBeGreaterThanOrEqual(5);
    const byConnector = await store.search({ connector: 'stripe', limit: 50, offset: 0 });
    expect(found.facets.connectors.find((c) => c.value === 'stripe')?.count).toBe(byConnector.total);
    expect(await store.getVersion('weft-rss-to-slack')).toMatchObject({
      version: 1,
      credentials: [{ credentialType: 'slack.botToken' }],
    });
  });
});
