import type { LookupAddress } from 'node:dns';
import type { JsonValue, ResolvedCredential } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { AddressPolicy } from '../../http/address-policy.js';
import { resolveAllowedAddress } from '../../http/resolve-allowed-address.js';
import type { ActionContext } from '../../kit/connector-context.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { importOptionalPeer } from '../../kit/import-optional-peer.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

/**
 * Options of {@link createRedisConnector}.
 *
 * @example
 * ```ts
 * createRedisConnector({ allow: ['10.0.0.0/8'] } satisfies RedisConnectorOptions);
 * ```
 */
export interface RedisConnectorOptions {
  /** Addresses or ranges the Redis host may resolve to although private. */
  allow?: readonly string[];
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

type Redis = import('ioredis').Redis;

/**
 * Creates the Redis connector: get, set (with expiry), delete, increment and publish. The host is
 * checked by the address policy like HTTP targets.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(createRedisConnector({ allow: ['10.0.0.0/8'] })));
 * ```
 */
export function createRedisConnector(options: RedisConnectorOptions = {}) {
  const policy = new AddressPolicy({ allow: options.allow ?? [] });

  async function withRedis<T>(credential: ResolvedCredential | undefined, work: (r: Redis) => Promise<T>): Promise<T> {
    const d = credential?.data ?? {};
    const host = String(d.host ?? '').trim();
    if (!host) throw new Error('Redis credential: host is missing');
    const address = await resolveAllowedAddress(host, policy, options.resolve);
    const { Redis } = await importOptionalPeer(() => import('ioredis'), 'ioredis', 'Redis connector');
    const redis = new Redis({
      host: address,
      port: Number(d.port ?? 6379),
      db: Number(d.db ?? 0),
      ...(typeof d.username === 'string' && d.username ? { username: d.username } : {}),
      ...(typeof d.password === 'string' && d.password ? { password: d.password } : {}),
      ...(d.tls === true ? { tls: { servername: host } } : {}),
      lazyConnect: true,
      connectTimeout: 10_000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    await redis.connect();
    try {
      return await work(redis);
    } finally {
      redis.disconnect();
    }
  }

  const connection = Auth.custom({
    type: 'redis.connection',
    displayName: 'Redis connection',
    fields: {
      host: Property.ShortText({ label: 'Host', required: true, expressions: false }),
      port: Property.Number({ label: 'Port', default: 6379, integer: true, min: 1, max: 65535 }),
      db: Property.Number({ label: 'Database', default: 0, integer: true, min: 0 }),
      username: Property.ShortText({ label: 'Username (ACL)', expressions: false }),
      password: Property.SecretText({ label: 'Password', expressions: false }),
      tls: Property.Checkbox({ label: 'TLS', default: false }),
    },
    sign: () => {},
    test: async ({ data }) => {
      await withRedis({ id: 'test', type: 'redis.connection', data }, (r) => r.ping());
    },
  });

  const key = Property.ShortText({ label: 'Key', required: true });
  const parse = (v: string | null): JsonValue => {
    if (v === null) return null;
    try {
      return JSON.parse(v) as JsonValue;
    } catch {
      return v;
    }
  };
  const action =
    <P>(fn: (r: Redis, ctx: ActionContext<P>) => Promise<Record<string, JsonValue>>) =>
    (ctx: ActionContext<P>) =>
      withRedis(ctx.credential, (r) => fn(r, ctx));

  const get = defineAction({
    name: 'get',
    displayName: 'Get',
    description: 'Reads a key (JSON values are parsed)',
    sideEffects: 'none',
    props: { key },
    run: action(async (r, ctx) => ({ key: ctx.props.key, value: parse(await r.get(ctx.props.key)) })),
  });
  const set = defineAction({
    name: 'set',
    displayName: 'Set',
    description: 'Writes a key (objects are stored as JSON), optionally with an expiry',
    sideEffects: 'idempotent',
    props: {
      key,
      value: Property.Json({ label: 'Value', required: true }),
      ttlSeconds: Property.Number({ label: 'Expire after (s)', integer: true, min: 1 }),
      onlyIfAbsent: Property.Checkbox({ label: 'Only if the key does not exist', default: false }),
    },
    run: action(async (r, ctx) => {
      const p = ctx.props;
      const value = typeof p.value === 'string' ? p.value : JSON.stringify(p.value);
      const args: (string | number)[] = [];
      if (p.ttlSeconds) args.push('EX', p.ttlSeconds);
      if (p.onlyIfAbsent) args.push('NX');
      const res = await r.call('SET', p.key, value, ...args);
      return { key: p.key, written: res === 'OK' };
    }),
  });
  const del = defineAction({
    name: 'delete',
    displayName: 'Delete',
    description: 'Deletes a key',
    sideEffects: 'idempotent',
    props: { key },
    run: action(async (r, ctx) => ({ key: ctx.props.key, deleted: (await r.del(ctx.props.key)) === 1 })),
  });
  const incr = defineAction({
    name: 'increment',
    displayName: 'Increment',
    description: 'Adds to a counter and returns the new value',
    sideEffects: 'once',
    props: { key, by: Property.Number({ label: 'By', default: 1, integer: true }) },
    run: action(async (r, ctx) => ({ key: ctx.props.key, value: await r.incrby(ctx.props.key, ctx.props.by) })),
  });
  const publish = defineAction({
    name: 'publish',
    displayName: 'Publish',
    description: 'Publishes a message on a channel',
    sideEffects: 'once',
    props: {
      channel: Property.ShortText({ label: 'Channel', required: true }),
      message: Property.Json({ label: 'Message', required: true }),
    },
    run: action(async (r, ctx) => {
      const m = typeof ctx.props.message === 'string' ? ctx.props.message : JSON.stringify(ctx.props.message);
      return { channel: ctx.props.channel, receivers: await r.publish(ctx.props.channel, m) };
    }),
  });

  return defineConnector({
    name: 'redis',
    displayName: 'Redis',
    description: 'Read and write keys, counters and pub/sub messages in Redis.',
    version: '1.0.0',
    icon: svgIcon('#DC382D', '<path d="m12 5 8 3.5-8 3.5-8-3.5zM4 12.5 12 16l8-3.5M4 16l8 3.5 8-3.5"/>'),
    auth: connection,
    actions: [get, set, del, incr, publish],
  });
}

/**
 * The Redis connector with the default policy (public hosts only).
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(redisConnector));
 * ```
 */
export const redisConnector = createRedisConnector();
