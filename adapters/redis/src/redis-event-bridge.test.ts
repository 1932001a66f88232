import { compareEventIds, type EngineEvent, isEventId } from '@weft/engine';
import type { Redis } from 'ioredis';
import { firstValueFrom, Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventIdOf } from './event-stream-entries.js';
import { cleanup, connect, delay, killConnections, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisEventBridge, type StreamedEvent } from './redis-event-bridge.js';

const event = (workspaceId: string, executionId: string, seq: number): EngineEvent => ({
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

async function until(check: () => boolean, what: string, timeoutMs = 5_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisEventBridge'), () => {
  let prefix: string;
  let clients: Redis[];
  let bridges: RedisEventBridge[];
  const open = (options: { maxLength?: number; retentionMs?: number } = {}) => {
    const redis = connect(prefix);
    clients.push(redis);
    const bridge = new RedisEventBridge({ redis, prefix, ...options });
    bridges.push(bridge);
    return bridge;
  };
  beforeEach(() => {
    prefix = randomPrefix();
    clients = [];
    bridges = [];
  });
  afterEach(async () => {
    for (const b of bridges) await b.close();
    await cleanup(prefix, clients);
  });

  it('delivers a workspace its own events only, and everything to the all-workspaces subscription', async () => {
    const worker = open();
    const host = open();
    const a: EngineEvent[] = [];
    const all: EngineEvent[] = [];
    host.subscribe({ workspaceId: 'ws-a' }).subscribe((e) => a.push(e.event));
    host.subscribe().subscribe((e) => all.push(e.event));
    await host.ready();
    await worker.publish(event('ws-a', 'ex1', 1));
    await worker.publish(event('ws-b', 'ex2', 1));
    await worker.publish(event('ws:*?', 'ex3', 1));
    await until(() => all.length === 3, 'three events');
    expect(a).toEqual([event('ws-a', 'ex1', 1)]);
    expect(all.map((e) => e.workspaceId)).toEqual(['ws-a', 'ws-b', 'ws:*?']);
  });

  it('keeps the order of each execution, forwarding an engine event stream', async () => {
    const worker = open();
    const host = open();
    const got: EngineEvent[] = [];
    host.subscribe().subscribe((e) => got.push(e.event));
    await host.ready();
    const events$ = new Subject<EngineEvent>();
    const forwarding = worker.forward(events$);
    for (let seq = 1; seq <= 300; seq++) {
      events$.next(event('ws', 'ex1', seq));
      events$.next(event('ws', 'ex2', seq));
    }
    await until(() => got.length === 600, '600 events');
    forwarding.unsubscribe();
    for (const id of ['ex1', 'ex2']) {
      expect(got.filter((e) => e.executionId === id).map((e) => e.seq)).toEqual(
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
    }
  });

  it('sends the events of one turn as one message per workspace, each with its own stream id', async () => {
    const worker = open();
    const host = open();
    const raw = connect(prefix);
    clients.push(raw);
    const messages: string[] = [];
    raw.on('message', (_channel: string, message: string) => messages.push(message));
    await raw.subscribe(host.channel('ws-a'), host.channel('ws-b'));
    const got: StreamedEvent[] = [];
    host.subscribe().subscribe((e) => got.push(e));
    await host.ready();
    const events$ = new Subject<EngineEvent>();
    const forwarding = worker.forward(events$);
    for (let seq = 1; seq <= 5; seq++) events$.next(event('ws-a', 'ex1', seq));
    events$.next(event('ws-b', 'ex2', 1));
    await until(() => got.length === 6 && messages.length === 2, 'six events in two messages');
    forwarding.unsubscribe();
    expect(got.filter((e) => e.event.workspaceId === 'ws-a').map((e) => e.event.seq)).toEqual([1, 2, 3, 4, 5]);
    const { events } = await host.read('ws-a', { after: '0-0' });
    expect(events.map((e) => e.id)).toEqual(got.filter((e) => e.event.workspaceId === 'ws-a').map((e) => e.id));
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
  });

  it('unsubscribes from Redis when the last observer leaves', async () => {
    const host = open();
    const admin = clients[0] as Redis;
    const first = host.subscribe({ workspaceId: 'ws' }).subscribe();
    const second = host.subscribe({ workspaceId: 'ws' }).subscribe();
    await host.ready();
    const channel = host.channel('ws');
    expect(await admin.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
    first.unsubscribe();
    await host.ready();
    expect(await admin.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
    second.unsubscribe();
    await host.ready();
    expect(await admin.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
  });

  it('drops malformed messages and keeps going', async () => {
    const host = open();
    const got: StreamedEvent[] = [];
    host.subscribe({ workspaceId: 'ws' }).subscribe((e) => got.push(e));
    await host.ready();
    const raw = clients[0] as Redis;
    await raw.publish(host.channel('ws'), 'not json');
    await raw.publish(host.channel('ws'), '{"type":1}');
    await raw.publish(host.channel('ws'), JSON.stringify(event('ws', 'ex1', 1))); // no id
    await raw.publish(host.channel('ws'), JSON.stringify({ id: '1-1', event: event('ws', 'ex1', 1) })); // format 1
    await raw.publish(host.channel('ws'), JSON.stringify({ id: '1-1', events: [event('ws', 'ex1', 1), { type: 2 }] }));
    await raw.publish(host.channel('ws'), JSON.stringify({ id: '1-1', events: [event('ws', 'ex1', 1)] }));
    await until(() => got.length === 1, 'the valid event');
    expect(got).toEqual([{ id: '1-1000', event: event('ws', 'ex1', 1) }]);
  });

  it('stores one publish as one stream entry, resumes inside it, and reads format-1 entries as one event each', async () => {
    const bridge = open();
    const raw = clients[0] as Redis;
    const old = (await raw.xadd(bridge.stream('ws'), '*', 'e', JSON.stringify(event('ws', 'ex0', 0)))) as string;
    const { ids } = await bridge.publishBatch(
      'ws',
      [1, 2, 3].map((seq) => event('ws', 'ex1', seq)),
    );
    expect(await raw.xlen(bridge.stream('ws'))).toBe(2);
    const oldId = eventIdOf(old, 0);
    expect([oldId, ...ids].every(isEventId)).toBe(true);
    expect([oldId, ...ids].slice(1).every((id, i) => compareEventIds(id, [oldId, ...ids][i] as string) > 0)).toBe(true);
    const all = await bridge.read('ws', { after: '0-0' });
    expect(all.events.map((e) => e.id)).toEqual([oldId, ...ids]);
    expect(all.events.map((e) => e.event.seq)).toEqual([0, 1, 2, 3]);
    expect(await bridge.read('ws', { after: ids[0] as string })).toEqual({
      events: [
        { id: ids[1], event: event('ws', 'ex1', 2) },
        { id: ids[2], event: event('ws', 'ex1', 3) },
      ],
      complete: true,
    });
    expect(await bridge.read('ws', { after: ids[2] as string })).toEqual({ events: [], complete: true });
    expect(await bridge.lastId('ws')).toBe(ids[2]);
    // count is in entries: a page of one entry, then the rest after its last event
    expect(await bridge.read('ws', { after: '0-0', count: 1 })).toEqual({
      events: [{ id: oldId, event: event('ws', 'ex0', 0) }],
      complete: true,
      next: oldId,
    });
    expect((await bridge.read('ws', { after: oldId, count: 1 })).events.map((e) => e.id)).toEqual(ids);
    await expect(bridge.publishBatch('ws', [])).rejects.toThrow(
      'RedisEventBridge.publishBatch: between 1 and 1000 events, got 0',
    );
  });

  it('resubscribes after its pub/sub connection is killed (CLIENT KILL TYPE pubsub) and after the publisher is', async () => {
    const worker = open();
    const host = open();
    const one: EngineEvent[] = [];
    const all: EngineEvent[] = [];
    host.subscribe({ workspaceId: 'ws' }).subscribe((e) => one.push(e.event));
    host.subscribe().subscribe((e) => all.push(e.event));
    await host.ready();
    await worker.publish(event('ws', 'ex1', 1));
    await until(() => all.length === 1, 'the first event');
    const back = firstValueFrom(host.resubscribed$);
    // Only this test's pub/sub connection: other test files' subscribers share the server.
    expect(await killConnections(prefix, 'pubsub')).toBe(1);
    await back;
    // resubscribed$ waits until Redis confirmed the resubscriptions.
    const { receivers } = await worker.publish(event('ws', 'ex1', 2));
    expect(receivers).toBe(2); // the channel and the pattern subscription are both back
    expect(await killConnections(prefix, 'normal')).toBeGreaterThanOrEqual(2);
    await worker.publish(event('ws', 'ex1', 3)); // queued by ioredis until the publisher reconnects
    await until(() => all.length >= 3 && one.length >= 3, 'events after the reconnects');
    expect(one.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('gives each event a stream id, the same for every subscriber, increasing in publish order', async () => {
    const worker = open();
    const [hostA, hostB] = [open(), open()];
    const onA: StreamedEvent[] = [];
    const onB: StreamedEvent[] = [];
    hostA.subscribe({ workspaceId: 'ws' }).subscribe((e) => onA.push(e));
    hostB.subscribe().subscribe((e) => onB.push(e));
    await Promise.all([hostA.ready(), hostB.ready()]);
    const published = await Promise.all([1, 2, 3].map((seq) => worker.publish(event('ws', 'ex1', seq))));
    await until(() => onA.length === 3 && onB.length === 3, 'three events on both');
    expect(onA).toEqual(onB);
    expect(onA.map((e) => e.id)).toEqual(published.map((p) => p.id));
    expect(onA.map((e) => e.event.seq)).toEqual([1, 2, 3]);
    expect(published.every((p) => /^\d+-\d+$/.test(p.id))).toBe(true);
  });

  it('reads the backlog after an id page by page, and says when entries after it were trimmed', async () => {
    const bridge = open({ maxLength: 10, retentionMs: 60_000 });
    expect(await bridge.lastId('ws')).toBe('0-0');
    expect(await bridge.read('ws', { after: '0-0' })).toEqual({ events: [], complete: true });
    const ids: string[] = [];
    for (let seq = 1; seq <= 5; seq++) ids.push((await bridge.publish(event('ws', 'ex1', seq))).id);
    expect(await bridge.lastId('ws')).toBe(ids[4]);
    const page = await bridge.read('ws', { after: ids[1] as string, count: 2 });
    expect(page).toEqual({
      events: [
        { id: ids[2], event: event('ws', 'ex1', 3) },
        { id: ids[3], event: event('ws', 'ex1', 4) },
      ],
      complete: true,
      next: ids[3],
    });
    expect(await bridge.read('ws', { after: ids[3] as string, count: 2 })).toEqual({
      events: [{ id: ids[4], event: event('ws', 'ex1', 5) }],
      complete: true,
    });
    expect((await bridge.read('ws', { after: '0-0' })).events).toHaveLength(5); // never trimmed: complete
    const ttl = await (clients[0] as Redis).pttl(bridge.stream('ws'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // MAXLEN ~ trims whole stream nodes (100 entries by default): 250 more events drop the first ones.
    for (let seq = 6; seq <= 255; seq++) ids.push((await bridge.publish(event('ws', 'ex1', seq))).id);
    const retained = await bridge.read('ws', { after: '0-0', count: 1000 });
    expect(retained.complete).toBe(false);
    expect(retained.events.length).toBeGreaterThanOrEqual(10);
    expect(retained.events.length).toBeLessThan(255);
    expect(retained.events.map((e) => e.id)).toEqual(ids.slice(255 - retained.events.length));
    const trimmed = await bridge.read('ws', { after: ids[0] as string, count: 1000 });
    expect(trimmed.complete).toBe(false);
    expect(trimmed.events).toEqual(retained.events);
    const oldest = retained.events[0]?.id as string;
    expect((await bridge.read('ws', { after: oldest, count: 1000 })).complete).toBe(true);
    expect((await bridge.read('ws', { after: '1-0' })).complete).toBe(false); // never one of this stream's ids
    await expect(bridge.read('ws', { after: '41' })).rejects.toThrow(
      'RedisEventBridge.read: after must be a stream id like 1700000000000-0, got "41"',
    );
  });

  it('rejects a maxLength or retention that is not a positive integer', () => {
    expect(() => open({ maxLength: 0 })).toThrow('RedisEventBridge: maxLength must be a positive integer, got 0');
    expect(() => open({ retentionMs: 1.5 })).toThrow(
      'RedisEventBridge: retentionMs must be a positive integer, got 1.5',
    );
  });
});
