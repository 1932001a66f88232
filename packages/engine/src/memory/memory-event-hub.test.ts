import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../execution/engine-events.js';
import { compareEventIds, type HubEvent, type HubGap, type HubListener, isEventId } from '../ports/event-hub.js';
import { MemoryEventHub } from './memory-event-hub.js';

const event = (workspaceId: string, executionId: string, seq: number, type = 'node:started'): EngineEvent =>
  ({
    type,
    workspaceId,
    executionId,
    workflowId: 'wf',
    seq,
    at: 1_700_000_000_000 + seq,
    nodeId: 'n1',
    nodeName: 'Set',
    runIndex: 0,
  }) as EngineEvent;

function recorder() {
  const got: Array<HubEvent | { gap: HubGap }> = [];
  const listener: HubListener = { event: (e) => got.push(e), gap: (gap) => got.push({ gap }) };
  const ids = () => got.map((g) => ('gap' in g ? 'gap' : g.id));
  return { got, listener, ids };
}

describe('MemoryEventHub', () => {
  it('ids are <start ms>-<seq> per workspace; a resume gets exactly the retained events after the id', () => {
    const hub = new MemoryEventHub({ now: () => 1_700_000_000_000 });
    const first = recorder();
    hub.subscribe('ws', {}, first.listener);
    for (let seq = 1; seq <= 5; seq++) hub.publish(event('ws', 'ex1', seq));
    hub.publish(event('other', 'ex2', 1)); // nobody watches it: no id spent, nothing delivered
    expect(first.ids()).toEqual([
      '1700000000000-1',
      '1700000000000-2',
      '1700000000000-3',
      '1700000000000-4',
      '1700000000000-5',
    ]);
    const resumed = recorder();
    hub.subscribe('ws', { lastEventId: '1700000000000-2' }, resumed.listener);
    hub.publish(event('ws', 'ex1', 6));
    expect(resumed.ids()).toEqual(['1700000000000-3', '1700000000000-4', '1700000000000-5', '1700000000000-6']);
    expect(hub.subscriberCount).toBe(2);
  });

  it('filters one execution, in replay and live', () => {
    const hub = new MemoryEventHub({ now: () => 5 });
    hub.subscribe('ws', {}, recorder().listener);
    hub.publish(event('ws', 'a', 1));
    hub.publish(event('ws', 'b', 1));
    const onlyB = recorder();
    hub.subscribe('ws', { executionId: 'b', lastEventId: '5-0' }, onlyB.listener);
    hub.publish(event('ws', 'a', 2));
    hub.publish(event('ws', 'b', 2));
    expect(onlyB.got).toEqual([
      { id: '5-2', event: event('ws', 'b', 1) },
      { id: '5-4', event: event('ws', 'b', 2) },
    ]);
  });

  it('reports a gap for an id older than the ring, from an earlier start, or malformed, then sends what it kept', () => {
    const hub = new MemoryEventHub({ capacity: 3, now: () => 100 });
    hub.subscribe('ws', {}, recorder().listener);
    for (let seq = 1; seq <= 6; seq++) hub.publish(event('ws', 'ex', seq));
    const atEdge = recorder(); // 100-3 is just before the oldest kept (100-4): nothing is missing
    hub.subscribe('ws', { lastEventId: '100-3' }, atEdge.listener);
    expect(atEdge.ids()).toEqual(['100-4', '100-5', '100-6']);
    for (const lastEventId of ['100-2', '99-50', '41', 'garbage']) {
      const r = recorder();
      hub.subscribe('ws', { lastEventId }, r.listener);
      expect(r.got[0]).toEqual({ gap: { lastEventId } });
      expect(r.ids().slice(1)).toEqual(['100-4', '100-5', '100-6']);
    }
    const future = recorder(); // an id this process never gave out (e.g. from another process)
    hub.subscribe('ws', { lastEventId: '100-9' }, future.listener);
    expect(future.got).toEqual([{ gap: { lastEventId: '100-9' } }]);
  });

  it('wakes waiters on the event that ends or parks an execution, watched or not', async () => {
    const hub = new MemoryEventHub();
    const waiter = hub.waitFor('ex', 10_000);
    hub.publish(event('ws', 'ex', 1));
    hub.publish(event('ws', 'ex', 2, 'workflow:completed'));
    expect((await waiter.promise)?.type).toBe('workflow:completed');
    const cancelled = hub.waitFor('ex2', 10_000);
    cancelled.cancel();
    expect(await cancelled.promise).toBeUndefined();
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new MemoryEventHub({ capacity: 0 })).toThrow(/capacity must be a positive integer, got 0/);
  });
});

describe('event ids', () => {
  it('validates the <ms>-<seq> form and orders by ms, then seq', () => {
    expect(['1-0', '0-0', '1700000000000-12'].every(isEventId)).toBe(true);
    expect(['41', '01-1', '1-01', '-1', '1-', '1-2-3', ' 1-1', '12345678901234567-1'].some(isEventId)).toBe(false);
    const sorted = ['10-0', '9-10', '9-9', '100-0', '9-100', '0-1'].sort(compareEventIds);
    expect(sorted).toEqual(['0-1', '9-9', '9-10', '9-100', '10-0', '100-0']);
    expect(compareEventIds('7-7', '7-7')).toBe(0);
  });
});
