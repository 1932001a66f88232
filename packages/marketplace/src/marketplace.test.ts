import { ManualClock, MemoryMarketplaceStore, MemoryRateLimiter, type Workflow } from '@weft/engine';
import { beforeEach, describe, expect, it } from 'vitest';
import { Marketplace, type PublishInput } from './marketplace.js';
import { MarketplaceError } from './marketplace-error.js';

const workflow: Workflow = {
  name: 'Alert',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 's',
      name: 'Post',
      type: 'slack.postMessage',
      parameters: { channel: '#ops', text: 'hi' },
      credentials: { slack: 'cred_1' },
    },
  ],
  connections: [{ source: 't', target: 's' }],
};

const publishInput = (over: Partial<PublishInput> = {}): PublishInput => ({
  creatorId: 'creator',
  workflow,
  credentialType: () => 'slack.bot',
  name: 'Slack alert',
  summary: 'Posts an alert',
  description: '# Alert',
  categories: ['ops', 'ops'],
  tags: ['slack'],
  inputs: [{ key: 'channel', label: 'Channel', nodeId: 's', path: '/channel', required: true }],
  changelog: 'First',
  ...over,
});

async function rejects(p: Promise<unknown>, code: string): Promise<MarketplaceError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MarketplaceError);
  expect((e as MarketplaceError).code).toBe(code);
  return e as MarketplaceError;
}

describe('Marketplace', () => {
  let market: Marketplace;
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock(1_700_000_000_000);
    market = new Marketplace({
      store: new MemoryMarketplaceStore(),
      clock,
      rateLimiter: new MemoryRateLimiter({ clock }),
      reviewRate: { limit: 3, windowMs: 60_000 },
    });
  });

  it('publishes versions with the listing metadata and only the creator may add one', async () => {
    const { template, version } = await market.publish(publishInput());
    expect(template).toMatchObject({
      categories: ['ops'],
      connectors: ['slack'],
      credentialTypes: ['slack.bot'],
      nodeCount: 2,
      nodeTypes: ['slack.postMessage', 'weft.manualTrigger'],
      latestVersion: 1,
    });
    expect(version.credentials).toEqual([{ nodeId: 's', slot: 'slack', credentialType: 'slack.bot' }]);
    await rejects(
      market.publish(publishInput({ templateId: template.id, creatorId: 'other' })),
      'not-template-creator',
    );
    const v2 = await market.publish(publishInput({ templateId: template.id, changelog: 'Second' }));
    expect(v2.template.latestVersion).toBe(2);
    expect(await market.store.listVersions(template.id)).toMatchObject([{ version: 2 }, { version: 1 }]);
    await rejects(market.publish(publishInput({ priceAmount: 500 })), 'paid-template-incomplete');
    await rejects(
      market.publish(publishInput({ inputs: [{ key: 'x', label: 'X', nodeId: 'nope', path: '/a' }] })),
      'unknown-input-node',
    );
  });

  it('installs with credentials mapped by type and inputs filled, naming what is missing', async () => {
    const { template } = await market.publish(publishInput());
    const e = await rejects(
      market.prepareInstall('u1', template.id, { credentials: {}, inputs: {} }),
      'install-incomplete',
    );
    expect(e.details.errors).toEqual([
      { path: '/credentials/slack.bot', message: 'Choose or create a slack.bot credential' },
      { path: '/inputs/channel', message: 'Channel is required' },
    ]);
    const { workflow: wf } = await market.prepareInstall('u1', template.id, {
      credentials: { 'slack.bot': 'mine' },
      inputs: { channel: '#alerts' },
    });
    expect(wf.nodes[1]).toMatchObject({ credentials: { slack: 'mine' }, parameters: { channel: '#alerts' } });
  });

  it('upgrades carrying credentials and input values over, asking for new required inputs', async () => {
    const { template } = await market.publish(publishInput());
    const { workflow: installed } = await market.prepareInstall('u1', template.id, {
      credentials: { 'slack.bot': 'mine' },
      inputs: { channel: '#alerts' },
    });
    const install = await market.recordInstall({
      templateId: template.id,
      version: 1,
      workspaceId: 'ws',
      userId: 'u1',
      workflowId: 'wf',
    });
    const next = structuredClone(workflow);
    next.nodes[1]!.parameters.text = 'v2 {{ $json.msg }}';
    next.nodes[1]!.parameters.icon = ':bell:';
    await market.publish(
      publishInput({
        templateId: template.id,
        workflow: next,
        changelog: 'Icon',
        inputs: [
          { key: 'channel', label: 'Channel', nodeId: 's', path: '/channel', required: true },
          { key: 'icon', label: 'Icon', nodeId: 's', path: '/icon', required: true },
        ],
      }),
    );
    const e = await rejects(market.prepareUpgrade('u1', install, installed), 'install-incomplete');
    expect(e.details.errors).toEqual([{ path: '/inputs/icon', message: 'Icon is required' }]);
    const up = await market.prepareUpgrade('u1', install, installed, { icon: ':fire:' });
    expect([up.from.version, up.to.version]).toEqual([1, 2]);
    expect(up.workflow.nodes[1]).toMatchObject({
      credentials: { slack: 'mine' },
      parameters: { channel: '#alerts', icon: ':fire:', text: 'v2 {{ $json.msg }}' },
    });
    await market.store.updateInstall('ws', install.id, 2, 1);
    await rejects(market.prepareUpgrade('u1', { ...install, version: 2 }, up.workflow), 'nothing-to-upgrade');
  });

  it('takes one review per user after an install, rate-limits, and moderates reports', async () => {
    const { template } = await market.publish(publishInput());
    await rejects(market.review({ userId: 'u1', templateId: template.id, rating: 5, text: 'x' }), 'install-first');
    await market.recordInstall({
      templateId: template.id,
      version: 1,
      workspaceId: 'ws',
      userId: 'u1',
      workflowId: 'wf',
    });
    await rejects(market.review({ userId: 'u1', templateId: template.id, rating: 6, text: 'x' }), 'invalid-rating');
    const review = await market.review({ userId: 'u1', templateId: template.id, rating: 4, text: 'Good' });
    expect(await market.store.getTemplate(template.id)).toMatchObject({ ratingCount: 1, ratingSum: 4 });
    const limited = await rejects(
      market.review({ userId: 'u1', templateId: template.id, rating: 4, text: 'x' }),
      'review-rate-limited',
    );
    expect(limited.details.retryAfterMs).toBeGreaterThan(0);
    await clock.advance(60_000);
    await rejects(market.review({ userId: 'u1', templateId: template.id, rating: 4, text: 'x' }), 'review-exists');
    await market.report({ userId: 'u2', reviewId: review.id, reason: 'spam' });
    await rejects(market.report({ userId: 'u2', reviewId: review.id, reason: 'spam' }), 'already-reported');
    expect(await market.store.listReviews({ status: 'reported', limit: 10 })).toHaveLength(1);
    expect((await market.moderate(review.id, 'hide')).status).toBe('hidden');
    expect(await market.store.getTemplate(template.id)).toMatchObject({ ratingCount: 0, ratingSum: 0 });
    await rejects(market.report({ userId: 'u3', reviewId: review.id, reason: 'x' }), 'review-not-found');
    expect((await market.moderate(review.id, 'approve')).status).toBe('visible');
  });

  it('refuses installs of paid templates until bought, and buying without payments', async () => {
    const { template } = await market.publish(publishInput({ priceAmount: 900, payoutAccountId: 'acct_1' }));
    await rejects(market.prepareInstall('u1', template.id, { credentials: {}, inputs: {} }), 'purchase-required');
    await rejects(
      market.buy('u1', template.id, { successUrl: 'https://a.test/ok', cancelUrl: 'https://a.test/no' }),
      'payments-disabled',
    );
    await rejects(
      market.buy('creator', template.id, { successUrl: 'https://a.test/ok', cancelUrl: 'https://a.test/no' }),
      'own-template',
    );
  });
});
