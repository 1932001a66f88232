import type { EngineEvent } from '@weft/engine';
import type { Redis } from 'ioredis';
import { firstValueFrom, Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, connect, delay, killConnections, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisEventBridge } from './redis-event-bridge.js';

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
  const open = () => {
    const redis = connect(prefix);
    clients.push(redis);
    const bridge = new RedisEventBridge({ redis, prefix });
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
    host.subscribe({ workspaceId: 'ws-a' }).subscribe((e) => a.push(e));
    host.subscribe().subscribe((e) => all.push(e));
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
    host.subscribe().subscribe((e) => got.push(e));
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
    const got: EngineEvent[] = [];
    host.subscribe({ workspaceId: 'ws' }).subscribe((e) => got.push(e));
    await host.ready();
    const raw = clients[0] as Redis;
    await raw.publish(host.channel('ws'), 'not json');
    await raw.publish(host.channel('ws'), '{"type":1}');
    await raw.publish(host.channel('ws'), JSON.stringify(event('ws', 'ex1', 1)));
    await until(() => got.length === 1, 'the valid event');
    expect(got).toEqual([event('ws', 'ex1', 1)]);
  });

  it('resubscribes after its pub/sub connection is killed (CLIENT KILL TYPE pubsub) and after the publisher is', async () => {
    const worker = open();
    const host = open();
    const one: EngineEvent[] = [];
    const all: EngineEvent[] = [];
    host.subscribe({ workspaceId: 'ws' }).subscribe((e) => one.push(e));
    host.subscribe().subscribe((e) => all.push(e));
    await host.ready();
    await worker.publish(event('ws', 'ex1', 1));
    await until(() => all.length === 1, 'the first event');
    const back = firstValueFrom(host.resubscribed$);
    // Only this test's pub/sub connection: other test files' subscribers share the server.
    expect(await killConnections(prefix, 'pubsub')).toBe(1);
    await back;
    // ioredis resubscribes right after 'ready'; wait until the server shows both subscriptions.
    const subscriptions = async () =>
      String(await (clients[0] as Redis).client('LIST', 'TYPE', 'pubsub'))
        .split('\n')
        .find((line) => line.includes(` name=${prefix} `));
    for (let i = 0; i < 100 && !/ sub=1 psub=1 /.test((await subscriptions()) ?? ''); i++) await delay(10);
    const delivered = await worker.publish(event('ws', 'ex1', 2));
    expect(delivered).toBe(2); // the channel and the pattern subscription are both back
    expect(await killConnections(prefix, 'normal')).toBeGreaterThanOrEqual(2);
    await worker.publish(event('ws', 'ex1', 3)); // queued by ioredis until the publisher reconnects
    await until(() => all.length >= 3 && one.length >= 3, 'events after the reconnects');
    expect(one.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});
