import { randomUUID } from 'node:crypto';
import { compareEventIds, type EngineEvent, type EventHub, type HubEvent, type HubGap, isEventId } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delay } from './fixtures.js';

/**
 * Creates hubs for one test. `peer` is the hub of another process fed by the same events (the
 * hub itself for a one-process hub); `publish` sends an engine event the way the host feeds its
 * hubs (e.g. `hub.publish`, or the Redis bridge) and resolves once it is sent.
 */
export type EventHubFactory = () => Promise<{
  hub: EventHub;
  peer: EventHub;
  publish: (event: EngineEvent) => Promise<void>;
  cleanup?: () => Promise<void>;
}>;

function recorder() {
  const got: Array<HubEvent | { gap: HubGap }> = [];
  const listener = { event: (e: HubEvent) => got.push(e), gap: (gap: HubGap) => got.push({ gap }) };
  const events = () => got.filter((g): g is HubEvent => 'event' in g);
  const ids = () => got.map((g) => ('gap' in g ? 'gap' : g.id));
  return { got, listener, events, ids };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

/**
 * The contract every event hub must meet: a subscriber gets its workspace's events live, in
 * publish order, under ids that increase and read the same on every process, and never another
 * workspace's; an execution filter narrows them; resuming after an id replays exactly the later
 * events, then live ones, with no repeats; a malformed id yields a gap, then every retained
 * event; unsubscribing stops delivery and `subscriberCount` follows; `waitFor` resolves with the
 * event that ends or parks an execution, or undefined after its timeout or on cancel.
 *
 * @example
 * ```ts
 * describeEventHubConformance('memory', async () => {
 *   const hub = new MemoryEventHub();
 *   return { hub, peer: hub, publish: async (e) => hub.publish(e) };
 * });
 * ```
 */
export function describeEventHubConformance(name: string, factory: EventHubFactory): void {
  describe(`EventHub conformance: ${name}`, () => {
    let hub: EventHub;
    let peer: EventHub;
    let publish: (event: EngineEvent) => Promise<void>;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    const stops: Array<() => void> = [];
    beforeEach(async () => {
      ({ hub, peer, publish, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      for (const stop of stops.splice(0)) stop();
      await cleanup?.();
    });

    const started = (executionId: string, seq: number, workspaceId = ws): EngineEvent => ({
      type: 'node:started',
      workspaceId,
      executionId,
      workflowId: 'wf',
      seq,
      at: 1_700_000_000_000 + seq,
      nodeId: 'n1',
      nodeName: 'Set',
      runIndex: 0,
    });
    const completed = (executionId: string, seq: number): EngineEvent => ({
      type: 'workflow:completed',
      workspaceId: ws,
      executionId,
      workflowId: 'wf',
      seq,
      at: 1_700_000_000_000 + seq,
      durationMs: 12,
      output: { main: [{ json: { ok: true } }] },
    });
    const watch = (on: EventHub, options: Parameters<EventHub['subscribe']>[1] = {}, workspaceId = ws) => {
      const r = recorder();
      const stop = on.subscribe(workspaceId, options, r.listener);
      stops.push(stop);
      return { ...r, stop };
    };
    const publishAll = async (events: EngineEvent[]) => {
      for (const e of events) await publish(e);
    };

    it("delivers a workspace's events live, in order, under increasing ids that every process shares", async () => {
      const other = `ws-${randomUUID()}`;
      const here = watch(hub);
      const there = watch(peer);
      const elsewhere = watch(peer, {}, other);
      for (let seq = 1; seq <= 10; seq++) {
        await publish(started('ex1', seq));
        if (seq % 2) await publish(started('ex9', seq, other));
      }
      await until(() => here.got.length === 10 && there.got.length === 10, '10 events on both hubs');
      await until(() => elsewhere.got.length === 5, "the other workspace's 5 events");
      expect(here.events().map((e) => e.event)).toEqual(Array.from({ length: 10 }, (_, i) => started('ex1', i + 1)));
      const ids = here.ids();
      expect(ids.every(isEventId)).toBe(true);
      expect(new Set(ids).size).toBe(10);
      expect([...ids].sort(compareEventIds)).toEqual(ids);
      expect(there.ids()).toEqual(ids);
      expect(elsewhere.events().every((e) => e.event.workspaceId === other)).toBe(true);
    });

    it('narrows a subscription to one execution', async () => {
      const all = watch(hub);
      const onlyE2 = watch(peer, { executionId: 'e2' });
      await publishAll([started('e1', 1), started('e2', 1), started('e1', 2), started('e2', 2), started('e3', 1)]);
      await until(() => all.got.length === 5 && onlyE2.got.length === 2, 'all five events, two of e2');
      await delay(50);
      expect(onlyE2.events().map((e) => e.event)).toEqual([started('e2', 1), started('e2', 2)]);
    });

    it('resumes after an id with exactly the later events, then the live ones, without repeats', async () => {
      const first = watch(hub);
      await publishAll(Array.from({ length: 8 }, (_, i) => started('ex1', i + 1)));
      await until(() => first.got.length === 8, 'the first 8 events');
      first.stop();
      const x = first.ids()[2] as string;
      const resumed = watch(peer, { lastEventId: x });
      await until(() => resumed.got.length === 5, 'the 5 events after the third');
      await publishAll([started('ex1', 9), started('ex1', 10)]);
      await until(() => resumed.got.length === 7, 'two live events after the replay');
      await delay(50);
      expect(resumed.got).toHaveLength(7);
      expect(resumed.ids().slice(0, 5)).toEqual(first.ids().slice(3));
      expect(resumed.events().map((e) => e.event.seq)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    });

    it('answers a malformed id with a gap, then every retained event', async () => {
      const watcher = watch(hub);
      await publishAll([started('ex1', 1), started('ex1', 2), started('ex1', 3)]);
      await until(() => watcher.got.length === 3, 'three events');
      const resumed = watch(peer, { lastEventId: 'not-an-id' });
      await until(() => resumed.got.length === 4, 'a gap and three events');
      expect(resumed.got[0]).toEqual({ gap: { lastEventId: 'not-an-id' } });
      expect(resumed.ids().slice(1)).toEqual(watcher.ids());
    });

    it('stops delivering after unsubscribe, and counts subscribers', async () => {
      const before = hub.subscriberCount;
      const staying = watch(hub);
      const leaving = watch(hub);
      expect(hub.subscriberCount).toBe(before + 2);
      await publish(started('ex1', 1));
      await until(() => staying.got.length === 1 && leaving.got.length === 1, 'the first event on both');
      leaving.stop();
      expect(hub.subscriberCount).toBe(before + 1);
      await publishAll([started('ex1', 2), started('ex1', 3)]);
      await until(() => staying.got.length === 3, 'the later events on the staying subscriber');
      await delay(50);
      expect(leaving.got).toHaveLength(1);
    });

    it('resolves waitFor with the event that ends the execution, on any process', async () => {
      const onHub = hub.waitFor('ex-done', 10_000);
      const onPeer = peer.waitFor('ex-done', 10_000);
      const other = peer.waitFor('ex-other', 200);
      await publishAll([started('ex-done', 1), started('ex-other', 1), completed('ex-done', 2)]);
      expect(await onHub.promise).toEqual(completed('ex-done', 2));
      expect(await onPeer.promise).toEqual(completed('ex-done', 2));
      expect(await other.promise).toBeUndefined();
    });

    it('resolves waitFor with undefined on cancel', async () => {
      const waiting = hub.waitFor('ex-never', 10_000);
      waiting.cancel();
      expect(await waiting.promise).toBeUndefined();
    });
  });
}
