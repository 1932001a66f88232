import { randomUUID } from 'node:crypto';
import type {
  MarketplaceStore,
  MarketplaceTemplate,
  TemplatePurchase,
  TemplateReview,
  TemplateVersion,
} from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Creates a store for one test on storage no other test writes to. */
export type MarketplaceStoreFactory = () => Promise<{ store: MarketplaceStore; cleanup?: () => Promise<void> }>;

/**
 * The contract every marketplace store must meet: listings and versions read back unchanged and a
 * version is never overwritten; full-text search matches every word as a prefix of the name,
 * summary, description or tags, combines with the category/connector/pricing/rating filters and
 * answers facets over everything that matched; installs bump counters; one review per user and
 * template, with the rating aggregate over reviews not hidden; one report per user per review;
 * purchases by payment reference and a creator's revenue per currency.
 *
 * @example
 * ```ts
 * describeMarketplaceStoreConformance('memory', async () => ({ store: new MemoryMarketplaceStore() }));
 * ```
 */
export function describeMarketplaceStoreConformance(name: string, factory: MarketplaceStoreFactory): void {
  describe(`MarketplaceStore conformance: ${name}`, () => {
    let store: MarketplaceStore;
    let cleanup: (() => Promise<void>) | undefined;
    let run: string;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const template = (id: string, over: Partial<MarketplaceTemplate> = {}): MarketplaceTemplate => ({
      id: `${run}-${id}`,
      name: `Template ${id}`,
      summary: 'Does a thing',
      description: '# Hello\nSome *markdown*.',
      creatorId: `creator-${run}`,
      categories: ['ops'],
      tags: [],
      connectors: [],
      credentialTypes: [],
      nodeCount: 2,
      nodeTypes: ['weft.manualTrigger', 'weft.set'],
      priceAmount: 0,
      currency: 'usd',
      payoutAccountId: null,
      latestVersion: 1,
      status: 'listed',
      views: 0,
      installs: 0,
      ratingCount: 0,
      ratingSum: 0,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
      ...over,
    });
    const version = (t: MarketplaceTemplate, v = 1, changelog = 'First'): TemplateVersion => ({
      templateId: t.id,
      version: v,
      changelog,
      workflow: {
        name: t.name,
        nodes: [{ id: 'a', name: 'Start', type: 'weft.manualTrigger', parameters: { x: 'ünï 💥' } }],
        connections: [],
      },
      inputs: [{ key: 'channel', label: 'Channel', nodeId: 'a', path: '/x', required: true }],
      credentials: [{ nodeId: 'a', slot: 'auth', credentialType: 'slack.bot' }],
      createdAt: 1_700_000_000_000 + v,
    });
    const save = async (t: MarketplaceTemplate) => {
      expect(await store.saveTemplate(t, version(t))).toBe(true);
      return t;
    };
    const review = (t: MarketplaceTemplate, userId: string, rating: number, at = 1): TemplateReview => ({
      id: `${run}-rv-${userId}-${t.id}`,
      templateId: t.id,
      userId,
      rating,
      text: 'Works well',
      status: 'visible',
      reports: 0,
      createdAt: at,
      updatedAt: at,
    });
    const mine = (creatorId = `creator-${run}`) => ({ creatorId, limit: 50, offset: 0 });

    it('reads listings and versions back, keeps versions immutable and lists them newest first', async () => {
      const t = await save(template('a'));
      expect(await store.getTemplate(t.id)).toEqual(t);
      expect(await store.getVersion(t.id)).toEqual(version(t));
      expect(await store.saveTemplate({ ...t, name: 'Other' }, version(t, 1, 'again'))).toBe(false);
      expect((await store.getVersion(t.id, 1))?.changelog).toBe('First');
      expect(await store.saveTemplate({ ...t, latestVersion: 2 }, version(t, 2, 'Second'))).toBe(true);
      expect((await store.getVersion(t.id))?.version).toBe(2);
      expect((await store.listVersions(t.id)).map((v) => [v.version, v.changelog])).toEqual([
        [2, 'Second'],
        [1, 'First'],
      ]);
      expect(await store.getTemplate(`${run}-missing`)).toBeUndefined();
      expect(await store.getVersion(t.id, 9)).toBeUndefined();
    });

    it('keeps counters when a listing is saved again, and counts views and installs', async () => {
      const t = await save(template('c'));
      await store.countView(t.id);
      await store.countView(t.id);
      await store.recordInstall({
        id: `${run}-i1`,
        templateId: t.id,
        version: 1,
        workspaceId: `ws-${run}`,
        userId: 'u1',
        workflowId: 'wf1',
        installedAt: 5,
        updatedAt: 5,
      });
      await store.saveTemplate({ ...t, latestVersion: 2, views: 0, installs: 0 }, version(t, 2));
      const got = await store.getTemplate(t.id);
      expect([got?.views, got?.installs, got?.latestVersion]).toEqual([2, 1, 2]);
      expect(await store.hasInstalled('u1', t.id)).toBe(true);
      expect(await store.hasInstalled('u2', t.id)).toBe(false);
      expect(await store.getInstall(`ws-${run}`, `${run}-i1`)).toMatchObject({ version: 1, workflowId: 'wf1' });
      expect(await store.getInstall('other-ws', `${run}-i1`)).toBeUndefined();
      expect(await store.updateInstall(`ws-${run}`, `${run}-i1`, 2, 9)).toBe(true);
      expect(await store.listInstalls(`ws-${run}`)).toMatchObject([{ version: 2, updatedAt: 9 }]);
      expect(await store.updateInstall('other-ws', `${run}-i1`, 3, 9)).toBe(false);
    });

    it('searches full text by word prefixes and filters with facets over what matched', async () => {
      await save(
        template('slack', {
          name: 'Post GitHub issues to Slack',
          tags: ['alerts'],
          connectors: ['github', 'slack'],
          categories: ['devops'],
        }),
      );
      await save(
        template('sheet', {
          name: 'Append orders to a sheet',
          summary: 'Orders from Stripe',
          connectors: ['stripe', 'google-sheets'],
          categories: ['sales'],
          priceAmount: 900,
        }),
      );
      await save(template('hidden', { name: 'Slack digest', connectors: ['slack'], status: 'hidden' }));
      const all = await store.search(mine());
      expect(all.total).toBe(2);
      expect(all.facets.pricing).toEqual({ free: 1, paid: 1 });
      expect(all.facets.categories).toEqual([
        { value: 'devops', count: 1 },
        { value: 'sales', count: 1 },
      ]);
      const slack = await store.search({ ...mine(), text: 'SLA' });
      expect(slack.templates.map((t) => t.id)).toEqual([`${run}-slack`]);
      expect(slack.facets.connectors).toEqual([
        { value: 'github', count: 1 },
        { value: 'slack', count: 1 },
      ]);
      expect((await store.search({ ...mine(), text: 'orders stripe' })).total).toBe(1);
      expect((await store.search({ ...mine(), text: 'alerts github' })).total).toBe(1);
      expect((await store.search({ ...mine(), text: 'orders slack' })).total).toBe(0);
      expect((await store.search({ ...mine(), text: '"); drop -- *' })).total).toBe(0);
      expect((await store.search({ ...mine(), connector: 'slack' })).total).toBe(1);
      expect((await store.search({ ...mine(), connector: 'slack', includeHidden: true })).total).toBe(2);
      expect((await store.search({ ...mine(), category: 'sales', pricing: 'paid' })).total).toBe(1);
      expect((await store.search({ ...mine(), pricing: 'free' })).templates[0]?.name).toBe(
        'Post GitHub issues to Slack',
      );
      const page = await store.search({ ...mine(), limit: 1, offset: 1, sort: 'newest' });
      expect([page.total, page.templates.length]).toEqual([2, 1]);
    });

    it('allows one review per user, aggregates ratings of reviews not hidden and filters by rating', async () => {
      const t = await save(template('r'));
      expect(await store.addReview(review(t, 'u1', 5, 1))).toBe(true);
      expect(await store.addReview({ ...review(t, 'u1', 1, 2), id: `${run}-again` })).toBe(false);
      expect(await store.addReview(review(t, 'u2', 2, 3))).toBe(true);
      expect(await store.getTemplate(t.id)).toMatchObject({ ratingCount: 2, ratingSum: 7 });
      expect((await store.search({ ...mine(), minRating: 3 })).total).toBe(1);
      expect((await store.search({ ...mine(), minRating: 4 })).total).toBe(0);
      expect((await store.search(mine())).facets.ratings).toEqual([
        { value: '4', count: 0 },
        { value: '3', count: 1 },
        { value: '2', count: 1 },
        { value: '1', count: 1 },
      ]);
      const low = review(t, 'u2', 2, 3);
      expect(await store.reportReview(low.id, 'u3', 'spam', 4)).toBe(true);
      expect(await store.reportReview(low.id, 'u3', 'spam', 5)).toBe(false);
      expect(await store.reportReview(low.id, 'u4', 'rude', 6)).toBe(true);
      expect(await store.listReviews({ status: 'reported', templateId: t.id, limit: 10 })).toMatchObject([
        { id: low.id, reports: 2 },
      ]);
      expect(await store.setReviewStatus(low.id, 'hidden', 7)).toBe(true);
      expect(await store.getTemplate(t.id)).toMatchObject({ ratingCount: 1, ratingSum: 5 });
      expect(await store.setReviewStatus(low.id, 'visible', 8)).toBe(true);
      expect(await store.getReview(low.id)).toMatchObject({ status: 'visible', reports: 0 });
      expect((await store.listReviews({ templateId: t.id, limit: 10 })).map((r) => r.userId)).toEqual(['u2', 'u1']);
      expect(await store.setReviewStatus(`${run}-none`, 'hidden', 9)).toBe(false);
    });

    it('finds purchases by payment reference and reports revenue per currency', async () => {
      const t = await save(template('p', { priceAmount: 1000 }));
      const purchase = (id: string, over: Partial<TemplatePurchase> = {}): TemplatePurchase => ({
        id: `${run}-${id}`,
        templateId: t.id,
        userId: `buyer-${run}`,
        creatorId: t.creatorId,
        amount: 1000,
        feeAmount: 200,
        currency: 'usd',
        status: 'pending',
        paymentRef: `pi_${run}_${id}`,
        createdAt: Number(id.slice(1)),
        updatedAt: Number(id.slice(1)),
        ...over,
      });
      for (const p of [purchase('p1'), purchase('p2'), purchase('p3'), purchase('p4', { currency: 'eur' })])
        await store.savePurchase(p);
      expect(await store.hasPaid(`buyer-${run}`, t.id)).toBe(false);
      await store.setPurchaseStatus(`${run}-p1`, 'paid', 10);
      await store.setPurchaseStatus(`${run}-p2`, 'paid', 10);
      await store.setPurchaseStatus(`${run}-p4`, 'paid', 10);
      await store.setPurchaseStatus(`${run}-p2`, 'refunded', 11);
      expect(await store.hasPaid(`buyer-${run}`, t.id)).toBe(true);
      expect(await store.getPurchaseByRef(`pi_${run}_p2`)).toMatchObject({ status: 'refunded', updatedAt: 11 });
      expect(await store.getPurchase(`${run}-p4`)).toMatchObject({ currency: 'eur', status: 'paid' });
      expect(await store.getPurchase(`${run}-none`)).toBeUndefined();
      expect((await store.listPurchases(`buyer-${run}`)).map((p) => p.id)).toEqual(
        ['p4', 'p3', 'p2', 'p1'].map((id) => `${run}-${id}`),
      );
      expect(await store.revenue(t.creatorId)).toEqual([
        { currency: 'eur', sales: 1, gross: 1000, fees: 200, refunds: 0, refundedAmount: 0, net: 800 },
        { currency: 'usd', sales: 1, gross: 1000, fees: 200, refunds: 1, refundedAmount: 1000, net: 800 },
      ]);
      expect(await store.revenue('nobody')).toEqual([]);
    });
  });
}
