import { NodeRegistry } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';
import type { ConnectorDefinition } from './kit/define-connector.js';

const connectors = [
  ...new Map(
    (Object.values(api) as unknown[])
      .filter(
        (v): v is ConnectorDefinition => typeof v === 'object' && v !== null && 'actions' in v && 'displayName' in v,
      )
      .map((c) => [c.name, c]),
  ).values(),
];

describe('built-in connectors', () => {
  it('register together without clashes, each node type with generated docs', () => {
    const registry = new NodeRegistry().register(
      ...connectors.flatMap((c) => api.connectorNodeTypes(c)),
      api.respondToWebhookNode,
    );
    const types = registry.describe();
    expect(connectors.length).toBeGreaterThanOrEqual(16);
    expect(types.length).toBeGreaterThanOrEqual(50);
    for (const t of types) {
      expect(t.docs, t.type).toContain(`\`${t.type}\``);
      expect(JSON.parse(JSON.stringify(t.parameters)), t.type).toEqual(t.parameters);
    }
  });

  it('give editors an SVG icon, a category and search aliases for every node type, and the kind of each trigger', () => {
    for (const c of connectors) expect(c.icon, c.name).toMatch(/^data:image\/svg\+xml,/);
    const types = new NodeRegistry().register(...connectors.flatMap((c) => api.connectorNodeTypes(c))).describe();
    for (const t of types as (api.ConnectorNodeTypeExtras & { type: string; icon?: string })[]) {
      expect(t.icon, t.type).toMatch(/^data:image\/svg\+xml,/);
      expect(t.category, t.type).toBeTruthy();
    }
    const byType = new Map(types.map((t) => [t.type, t as typeof t & api.ConnectorNodeTypeExtras]));
    expect(byType.get('weft.webhook')).toMatchObject({ triggerKind: 'webhook', category: 'Weft triggers' });
    expect(byType.get('weft.webhook')?.aliases).toContain('http');
    expect(byType.get('weft.schedule')?.aliases).toContain('cron');
    expect(byType.get('slack.sendMessage')).toMatchObject({ category: 'Slack', aliases: ['slack', 'sendMessage'] });
    expect(byType.get('slack.sendMessage')?.triggerKind).toBeUndefined();
  });

  it('describe every connector in markdown', () => {
    for (const c of connectors) {
      const md = api.describeConnector(c);
      expect(md.startsWith(`# ${c.displayName}`), c.name).toBe(true);
      for (const a of c.actions) expect(md, `${c.name}.${a.name}`).toContain(`\`${c.name}.${a.name}\``);
    }
  });
});
