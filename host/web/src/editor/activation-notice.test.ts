import type { NodeCatalogueEntry } from '@weft/canvas';
import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { activationNotice } from './activation-notice.js';

const t = (type: string, extra: Partial<NodeCatalogueEntry>) =>
  ({
    type,
    version: 1,
    displayName: type,
    description: '',
    group: 'trigger',
    docs: '',
    parameters: {},
    inputs: [],
    outputs: [],
    ...extra,
  }) as NodeCatalogueEntry;
const types = [
  t('weft.manualTrigger', { trigger: true }),
  t('weft.webhook', { trigger: true, triggerKind: 'webhook' }),
  t('weft.schedule', { trigger: true, triggerKind: 'schedule' }),
  t('weft.set', { group: 'transform' }),
];
const wf = (...nodes: [string, string][]): Workflow => ({
  name: 'w',
  nodes: nodes.map(([name, type], i) => ({ id: String(i), name, type, parameters: {} })),
  connections: [],
});

describe('activationNotice', () => {
  it('does not claim triggers are live when the workflow only starts by hand', () => {
    const notice = activationNotice(true, wf(['Start', 'weft.manualTrigger'], ['Set', 'weft.set']), types);
    expect(notice).not.toContain('live');
    expect(notice).toContain('nothing starts it on its own');
  });

  it('names the triggers that are live', () => {
    expect(activationNotice(true, wf(['Orders', 'weft.webhook'], ['Start', 'weft.manualTrigger']), types)).toBe(
      'Active: Orders is live',
    );
    expect(activationNotice(true, wf(['Orders', 'weft.webhook'], ['Nightly', 'weft.schedule']), types)).toBe(
      'Active: Orders, Nightly are live',
    );
    expect(activationNotice(false, wf(['Orders', 'weft.webhook']), types)).toBe('Inactive: Orders no longer starts it');
  });
});
