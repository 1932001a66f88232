import { randomBytes } from 'node:crypto';
import { NodeRegistry } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { testCredential } from '../../kit/test-credential.js';
import { runNode } from '../../testing/node-context.js';
import { createRedisConnector } from './redis-connector.js';

const redisTarget = await serviceUrl('redis');

describe.skipIf(redisTarget.skip)(redisTarget.title('Redis connector'), () => {
  const prefix = `weft:test:${randomBytes(4).toString('hex')}:`;
  const connector = createRedisConnector({ allow: ['127.0.0.0/8', '::1/128'] });
  const registry = new NodeRegistry().register(...connectorNodeTypes(connector));
  let credential: { id: string; type: string; data: Record<string, string | number> };
  let observer: Redis;
  const run = async (action: string, params: Record<string, unknown>) =>
    (await runNode(registry.get(`redis.${action}`)!, { params, credential }))[0]?.json;

  beforeAll(() => {
    const url = new URL(redisTarget.url());
    credential = {
      id: 'r',
      type: 'redis.connection',
      data: { host: url.hostname, port: Number(url.port || 6379), db: 0 },
    };
    observer = new Redis(redisTarget.url());
  });
  afterAll(async () => {
    const keys = await observer.keys(`${prefix}*`);
    if (keys.length) await observer.del(...keys);
    observer.disconnect();
  });

  it('sets, gets, increments and deletes', async () => {
    expect(
      await run('set', { key: `${prefix}obj`, value: { a: [1, 2] }, ttlSeconds: 60, onlyIfAbsent: false }),
    ).toEqual({ key: `${prefix}obj`, written: true });
    expect(await observer.ttl(`${prefix}obj`)).toBeGreaterThan(0);
    expect(await run('get', { key: `${prefix}obj` })).toEqual({ key: `${prefix}obj`, value: { a: [1, 2] } });
    expect(await run('set', { key: `${prefix}obj`, value: 'other', onlyIfAbsent: true })).toEqual({
      key: `${prefix}obj`,
      written: false,
    });
    expect(await run('increment', { key: `${prefix}n`, by: 5 })).toEqual({ key: `${prefix}n`, value: 5 });
    expect(await run('increment', { key: `${prefix}n`, by: -2 })).toEqual({ key: `${prefix}n`, value: 3 });
    expect(await run('delete', { key: `${prefix}n` })).toEqual({ key: `${prefix}n`, deleted: true });
    expect(await run('get', { key: `${prefix}n` })).toEqual({ key: `${prefix}n`, value: null });
  });

  it('publishes to subscribers', async () => {
    const sub = new Redis(redisTarget.url());
    const got = new Promise<string>((resolve) => sub.on('message', (_c, m) => resolve(m)));
    await sub.subscribe(`${prefix}chan`);
    expect(await run('publish', { channel: `${prefix}chan`, message: { hello: 'world' } })).toEqual({
      channel: `${prefix}chan`,
      receivers: 1,
    });
    expect(JSON.parse(await got)).toEqual({ hello: 'world' });
    sub.disconnect();
  });

  it('reports Redis errors, refuses private hosts unless allowed, and tests the connection', async () => {
    await observer.set(`${prefix}text`, 'abc');
    await expect(run('increment', { key: `${prefix}text`, by: 1 })).rejects.toThrow(/not an integer/);
    const guarded = new NodeRegistry().register(...connectorNodeTypes(createRedisConnector())).get('redis.get')!;
    await expect(runNode(guarded, { params: { key: 'x' }, credential })).rejects.toThrow(/blocked: loopback/);
    expect(await testCredential(connector, credential)).toEqual({ ok: true });
  });
});
