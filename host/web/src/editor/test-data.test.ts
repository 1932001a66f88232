import type { NodeRunRecord } from '@weft/client';
import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { itemsText, parseItems, stepPinData } from './test-data.js';

const wf: Workflow = {
  name: 'w',
  nodes: [
    { id: 'hook', name: 'Hook', type: 'weft.webhook', parameters: {} },
    { id: 'if', name: 'Big?', type: 'weft.if', parameters: {} },
    { id: 'fetch', name: 'Fetch', type: 'http.request', parameters: {} },
    { id: 'slack', name: 'Slack', type: 'slack.sendMessage', parameters: {} },
    { id: 'other', name: 'Other', type: 'weft.set', parameters: {} },
  ],
  connections: [
    { source: 'hook', target: 'fetch' },
    { source: 'fetch', target: 'if' },
    { source: 'if', target: 'slack', sourcePort: 'false' },
  ],
};
const run = (nodeId: string, output: NodeRunRecord['output'], status: NodeRunRecord['status'] = 'succeeded') =>
  ({ nodeId, nodeName: nodeId, status, output }) as NodeRunRecord;

describe('parseItems', () => {
  it('reads an object, an array of objects and items in { json } form', () => {
    expect(parseItems('{"a":1}')).toEqual({ ok: true, items: [{ json: { a: 1 } }] });
    expect(parseItems('[{"a":1},{"b":2}]')).toEqual({ ok: true, items: [{ json: { a: 1 } }, { json: { b: 2 } }] });
    expect(parseItems('[{"json":{"a":1}}]')).toEqual({ ok: true, items: [{ json: { a: 1 } }] });
    expect(itemsText([{ json: { a: 1 } }])).toBe('{\n  "a": 1\n}');
  });

  it('says what is wrong and where', () => {
    const bad = parseItems('{\n  "a": 1,\n  oops\n}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Not valid JSON \(line 3, column 3\)/);
    expect(parseItems('[{"a":1}, 2]')).toEqual({
      ok: false,
      error: 'Item 2 is a number: each item must be a JSON object',
    });
    expect(parseItems('  ')).toEqual({ ok: false, error: 'Enter a JSON object, or an array of objects' });
  });
});

describe('stepPinData', () => {
  it('reuses upstream outputs on their first port, runs a node again that took another branch, keeps pins', () => {
    const previous = [
      run('hook', { main: [{ json: { n: 1 } }] }),
      run('fetch', { main: [{ json: { status: 200 } }] }),
      run('if', { true: [], false: [{ json: { status: 200 } }] }),
      run('other', { main: [{ json: {} }] }),
    ];
    const pins = { Slack: [{ json: { pinned: true } }], Other: [{ json: { o: 1 } }] };
    expect(stepPinData(wf, 'slack', pins, previous)).toEqual({
      Hook: [{ json: { n: 1 } }],
      Fetch: [{ json: { status: 200 } }],
      Other: [{ json: { o: 1 } }],
    });
  });

  it('runs upstream nodes whose last run failed', () => {
    const previous = [run('hook', { main: [{ json: { n: 1 } }] }), run('fetch', undefined, 'failed')];
    expect(stepPinData(wf, 'if', {}, previous)).toEqual({ Hook: [{ json: { n: 1 } }] });
  });
});
