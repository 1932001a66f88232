import type { NodeTypeDescription } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { builtinCatalogue, type NodeCatalogueEntry, searchCatalogue, sectionOf } from './node-catalogue.js';

const entry = (type: string, displayName: string, extra: Partial<NodeCatalogueEntry> = {}): NodeCatalogueEntry =>
  ({
    type,
    version: 1,
    displayName,
    description: `${displayName} things`,
    group: 'action',
    docs: '',
    parameters: {},
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
    ...extra,
  }) as NodeTypeDescription & NodeCatalogueEntry;

const catalogue = [
  entry('slack.sendMessage', 'Send message', { category: 'Slack', aliases: ['slack', 'sendMessage'] }),
  entry('discord.sendMessage', 'Send message', { category: 'Discord', aliases: ['discord', 'sendMessage'] }),
  entry('weft.schedule', 'Schedule', { group: 'trigger', category: 'Weft triggers', aliases: ['cron'], inputs: [] }),
  entry('weft.webhook', 'Webhook', { group: 'trigger', category: 'Weft triggers', aliases: ['http'], inputs: [] }),
  entry('http.request', 'HTTP Request', { category: 'HTTP Request', aliases: ['api'] }),
  entry('weft.if', 'If', { group: 'flow' }),
  entry('weft.set', 'Set fields', { group: 'transform' }),
];

describe('node catalogue search', () => {
  it('groups without a query: triggers, the engine groups, then one section per app', () => {
    const found = searchCatalogue(catalogue, '');
    expect(found.map(sectionOf)).toEqual([
      'Triggers',
      'Triggers',
      'Flow',
      'Transform',
      'Discord',
      'HTTP Request',
      'Slack',
    ]);
  });

  it('finds by name, app, alias and type name, names first', () => {
    expect(searchCatalogue(catalogue, 'cron').map((t) => t.type)).toEqual(['weft.schedule']);
    expect(searchCatalogue(catalogue, 'slack').map((t) => t.type)).toEqual(['slack.sendMessage']);
    expect(searchCatalogue(catalogue, 'http').map((t) => t.type)).toEqual(['http.request', 'weft.webhook']);
    expect(searchCatalogue(catalogue, 'webhook').map((t) => t.type)).toEqual(['weft.webhook']);
    expect(searchCatalogue(catalogue, 'sendmessage').map((t) => t.type)).toEqual([
      'discord.sendMessage',
      'slack.sendMessage',
    ]);
    expect(searchCatalogue(catalogue, 'slack send').map((t) => t.type)).toEqual(['slack.sendMessage']);
    expect(searchCatalogue(catalogue, 'nothing like this')).toEqual([]);
  });

  it('loads the engine built-ins as the default catalogue', async () => {
    const types = (await builtinCatalogue()).map((t) => t.type);
    expect(types).toEqual(expect.arrayContaining(['weft.manualTrigger', 'weft.if', 'weft.code']));
  });
});
