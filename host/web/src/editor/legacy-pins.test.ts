import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { takeLegacyPins } from './legacy-pins.js';

const doc: Workflow = {
  name: 'w',
  nodes: [
    { id: 'hook', name: 'Hook', type: 'weft.webhook', parameters: {} },
    { id: 'fetch', name: 'Fetch', type: 'http.request', parameters: {} },
    { id: 'slack', name: 'Slack', type: 'slack.sendMessage', parameters: {} },
  ],
  connections: [],
  pinData: { slack: [{ json: { kept: true } }] },
};

describe('takeLegacyPins', () => {
  it('moves browser-stored pins by node name to pinData by id and keeps the payload', () => {
    const stored = JSON.stringify({
      pins: {
        Hook: [{ json: { order: 'A42' } }],
        Slack: [{ json: { older: true } }],
        Renamed: [{ json: {} }],
        Fetch: 'not items',
      },
      payload: [{ json: { test: 1 } }],
    });
    const found = takeLegacyPins(doc, stored)!;
    // a pin already in the document wins over the old browser copy
    expect(found.pinData).toEqual({ hook: [{ json: { order: 'A42' } }] });
    expect(found.dropped).toEqual(['Renamed', 'Fetch']);
    expect(JSON.parse(found.rest!)).toEqual({ payload: [{ json: { test: 1 } }] });
  });

  it('leaves the current format and unreadable values alone', () => {
    expect(takeLegacyPins(doc, JSON.stringify({ payload: [{ json: {} }] }))).toBeNull();
    expect(takeLegacyPins(doc, '{broken')).toBeNull();
    expect(takeLegacyPins(doc, null)).toBeNull();
    expect(takeLegacyPins(doc, JSON.stringify({ pins: {} }))).toEqual({ pinData: {}, dropped: [], rest: null });
  });
});
