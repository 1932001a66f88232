import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { hostCatalogue } from '../catalogue.test-support.js';
import { recommendNextNodes } from './recommend-next-nodes.js';

const chain = (...types: string[]): Workflow => ({
  name: types.join(' '),
  nodes: types.map((type, i) => ({ id: `n${i}`, name: `n${i}`, type, parameters: {} })),
  connections: types.slice(1).map((_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
});

describe('recommendNextNodes', () => {
  const corpus = [
    chain('stripe.event', 'slack.sendMessage'),
    chain('weft.webhook', 'stripe.event', 'slack.sendMessage'),
    chain('stripe.event', 'googleSheets.appendRow'),
    chain('weft.manualTrigger', 'http.request'),
  ];

  it('ranks what follows the last node in existing workflows, leaving out triggers', () => {
    expect(recommendNextNodes(chain('stripe.event'), { catalogue: hostCatalogue, corpus })).toEqual([
      {
        type: 'slack.sendMessage',
        score: 0.67,
        reason: 'follows stripe.event in 2 of 3 connections of existing workflows',
      },
      {
        type: 'googleSheets.appendRow',
        score: 0.33,
        reason: 'follows stripe.event in 1 of 3 connections of existing workflows',
      },
    ]);
    expect(recommendNextNodes(chain('weft.webhook'), { catalogue: hostCatalogue, corpus })).toEqual([]);
  });

  it('skips types already connected after the node', () => {
    const wf = chain('stripe.event', 'slack.sendMessage');
    expect(recommendNextNodes(wf, { catalogue: hostCatalogue, corpus, afterNodeId: 'n0' }).map((r) => r.type)).toEqual([
      'googleSheets.appendRow',
    ]);
  });
});
