import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LocalRedisCluster,
  localBinaryGate,
  redisServerBinary,
  serviceUrl,
  startRedisCluster,
} from '@weft/testing';
import { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBreachCounters } from '../compliance/redis-breach-counters.js';
import { loadConfig } from '../config/load-config.js';
import { createHost, type Host } from '../create-host.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { createRuntime, type HostRuntime } from './host-runtime.js';
import { SharedTestHooks } from './shared-test-hooks.js';

const pg = await serviceUrl('pg');
const redisServer = localBinaryGate('redis-server', redisServerBinary);
const skip = pg.skip || redisServer.skip;
const title = (base: string) => pg.title(redisServer.title(base));

describe.skipIf(skip)(
  title('worker mode on a Redis Cluster: an API process and two worker runtimes, queue/events/locks on 3 masters'),
  () => {
    let cluster: LocalRedisCluster;
    let db: Awaited<ReturnType<typeof createTempDatabase>>;
    let host: Host;
    const workers: HostRuntime[] = [];
    let base: string;
    const dir = mkdtempSync(join(tmpdir(), 'weft-worker-cluster-'));

    beforeAll(async () => {
      [cluster, db] = await Promise.all([startRedisCluster({ masters: 3 }), createTempDatabase(pg.url())]);
      const config = loadConfig({
        WEFT_DATABASE_URL: db.url,
        // One seed node is enough: ioredis discovers the other masters.
        WEFT_REDIS_URL: cluster.urls[1] as string,
        WEFT_REDIS_CLUSTER: '1',
        WEFT_DATA_DIR: dir,
        WEFT_PORT: '0',
        WEFT_HOST: '127.0.0.1',
        WEFT_SEED_EXAMPLES: 'false',
        WEFT_OWNER_EMAIL: 'owner@example.com',
        WEFT_OWNER_PASSWORD: 'owner-password',
      });
      const logger = pino({ level: 'silent' });
      host = await createHost(config, { logger, worker: false, announce: () => {} });
      base = await host.listen();
      workers.push(await createRuntime(config, { logger }), await createRuntime(config, { logger }));
    }, 60_000);
    afterAll(async () => {
      await host?.close();
      for (const w of workers) await w.close();
      await db?.drop();
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers 30 concurrent webhooks with the output the worker runtimes computed', async () => {
      const rt = host.runtime;
      expect(rt.worker).toBeUndefined();
      expect(rt.redis).toBeInstanceOf(Cluster);
      const [ws] = await rt.identity.listWorkspaceIds();
      await rt.engine.workflows.save(ws as string, orderWebhookWorkflow('cluster-orders', 'co'));
      await rt.engine.workflows.setActive(ws as string, 'co', true);
      await rt.webhooks.sync(ws as string, 'co');
      const started = [0, 0];
      workers.forEach((w, i) => {
        w.engine.events$.subscribe((e) => {
          if (e.type === 'workflow:started') started[i] = (started[i] ?? 0) + 1;
        });
      });

      const responses = await Promise.all(
        Array.from({ length: 30 }, async (_, n) => {
          const res = await fetch(`${base}/hooks/cluster-orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ customer: `c${n}`, lines: [{ price: 10, qty: n }] }),
          });
          return { n, status: res.status, body: await res.json(), id: res.headers.get('x-weft-execution-id') };
        }),
      );
      for (const r of responses) {
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ customer: `c${r.n}`, total: 10 * r.n, tier: 10 * r.n >= 100 ? 'large' : 'small' });
        expect((await rt.engine.executions.get(ws as string, r.id as string))?.status).toBe('succeeded');
      }
      expect((started[0] ?? 0) + (started[1] ?? 0)).toBe(30);

      // The queue's keys share the {jobs} hash tag: one slot, on one master.
      const nodes = cluster.urls.map((url) => new Redis(url));
      try {
        const perNode = await Promise.all(nodes.map((n) => n.keys(`${rt.config.redisPrefix}:*`)));
        const queueKeys = perNode.flat().filter((k) => k.includes(':{jobs}:'));
        expect(queueKeys.length).toBeGreaterThan(0);
        expect(perNode.filter((keys) => keys.some((k) => k.includes(':{jobs}:')))).toHaveLength(1);
      } finally {
        for (const n of nodes) n.disconnect();
      }
    });
    it('breach counters and shared test listeners keep each script / MULTI in one slot', async () => {
      const redis = host.runtime.redis;
      if (!redis) throw new Error('no redis');
      // Hits and the quiet key of one slot go to one script: CROSSSLOT unless they share a hash tag.
      const counters = new RedisBreachCounters(redis, 'cluster-test');
      const at = Date.now();
      expect(await counters.hit('logins:ws1', at, 60_000, 2)).toEqual({ count: 1, alert: false });
      expect(await counters.hit('logins:ws1', at + 1, 60_000, 2)).toEqual({ count: 2, alert: true });
      expect(await counters.hit('logins:ws1', at + 2, 60_000, 2)).toEqual({ count: 3, alert: false });

      // The path and state keys of a listener are written in one MULTI.
      const hooks = new SharedTestHooks(redis, 'cluster-test');
      const state = {
        id: 'l1',
        status: 'listening' as const,
        method: 'POST',
        path: 'try-me',
        testUrl: `${base}/hooks-test/try-me`,
        expiresAt: Date.now() + 60_000,
      };
      const workflow = orderWebhookWorkflow('try-me', 'tm');
      await hooks.register({ state, workspaceId: 'ws1', workflow, nodeId: 'hook' }, 60_000);
      expect((await hooks.claim('try-me'))?.state.id).toBe('l1');
      expect(await hooks.claim('try-me')).toBeUndefined();
      expect((await hooks.state('l1'))?.workspaceId).toBe('ws1');
    });
  },
);
