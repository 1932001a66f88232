import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisQueue } from '@weft/redis';
import { createSqliteStorage } from '@weft/sqlite';
import { serviceUrl } from '@weft/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../bin/weft.js');
const built = join(here, '../../dist/bin/weft.js');
const pgService = await serviceUrl('pg');
const redisService = await serviceUrl('redis');

const flow = {
  id: 'hook-wait',
  name: 'Webhook, wait, set',
  nodes: [
    {
      id: 'hook',
      name: 'Hook',
      type: 'weft.webhook',
      parameters: { path: 'kill9', methods: ['POST'], responseMode: 'immediately' },
    },
    { id: 'w', name: 'Wait', type: 'weft.wait', parameters: { mode: 'duration', amount: 0.3, unit: 'seconds' } },
    { id: 'a', name: 'After', type: 'weft.set', parameters: { fields: [{ name: 'done', value: 'yes' }] } },
  ],
  connections: [
    { source: 'hook', target: 'w' },
    { source: 'w', target: 'a' },
  ],
};

/** What the test reads back from the store the processes shared. */
interface StoreView {
  status(ids: string[]): Promise<Record<string, number>>;
  /** Acknowledged executions left without the job they need: queued, or parked on a timer. */
  withoutJob(ids: string[]): Promise<number>;
  /** How many executions ran the node after the wait exactly once. */
  afterOnce(ids: string[]): Promise<number>;
  deadLetters(): Promise<number>;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The dedupe key of the job an execution needs (as the engine's `recoveryJob` plans it). */
const neededJob = (r: { id: string; status: string; resumeAt?: number | null }) =>
  r.status === 'queued'
    ? `start:${r.id}`
    : r.status === 'waiting' && r.resumeAt
      ? `resume:${r.id}:${r.resumeAt}`
      : undefined;

const count = (values: string[]) => {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
};

describe('kill -9 under webhook load (a flow with a 0.3 s wait)', () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  /** Starts `weft start` or `weft worker` on the built CLI and resolves once it is ready. */
  const launch = (env: NodeJS.ProcessEnv, command: 'start' | 'worker') => {
    const child = spawn(process.execPath, [bin, command], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    return new Promise<ChildProcess>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        if (/is running at|claiming jobs/.test(d.toString())) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`weft ${command} exited early with ${code}`)));
    });
  };
  const killed = (child: ChildProcess) => {
    child.kill('SIGKILL');
    return new Promise((r) => child.once('exit', r));
  };

  /**
   * A host (and any extra processes) under webhook load, killed once `acks` requests were
   * acknowledged; then one host again until every acknowledged execution is done.
   */
  async function run(
    name: string,
    env: Record<string, string>,
    view: (ws: string, dir: string) => Promise<StoreView>,
    options: { worker: boolean; acks: number },
  ) {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (npx tsc -b host)`);
    const dir = mkdtempSync(join(tmpdir(), 'weft-kill9-host-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const full = {
      ...process.env,
      ...env,
      WEFT_DATA_DIR: dir,
      WEFT_PORT: String(port),
      WEFT_HOST: '127.0.0.1',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_SEED_EXAMPLES: 'false',
      WEFT_OWNER_EMAIL: 'owner@example.com',
      WEFT_OWNER_PASSWORD: 'owner-password',
    };
    const api = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return res.json();
    };

    const host = await launch(full, 'start');
    const worker = options.worker ? await launch(full, 'worker') : undefined;
    const { accessToken } = await api('POST', '/auth/login', {
      email: full.WEFT_OWNER_EMAIL,
      password: 'owner-password',
    });
    const ws = (await api('GET', '/workspaces', undefined, accessToken)).items[0].id as string;
    await api('POST', `/workspaces/${ws}/workflows`, flow, accessToken);
    await api('POST', `/workspaces/${ws}/workflows/hook-wait/activate`, undefined, accessToken);

    const acked: string[] = [];
    let stop = false;
    const send = async () => {
      for (let sent = 0; !stop && sent < 500; sent++) {
        try {
          const res = await fetch(`${base}/hooks/kill9`, { method: 'POST', body: '{}' });
          const id = res.headers.get('x-weft-execution-id');
          if (res.status === 202 && id) acked.push(id);
        } catch {
          // the connection died with the process: not acknowledged
        }
      }
    };
    const load = Promise.all(Array.from({ length: 32 }, send));
    while (acked.length < options.acks) await new Promise((r) => setTimeout(r, 5));
    if (worker) await killed(worker);
    await killed(host);
    stop = true;
    await load;

    const store = await view(ws, dir);
    cleanups.push(() => store.close());
    const atKill = await store.status(acked);
    const withoutJob = await store.withoutJob(acked);
    const again = await launch(full, 'start');
    const deadline = Date.now() + 30_000;
    let after = await store.status(acked);
    while ((after.succeeded ?? 0) < acked.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      after = await store.status(acked);
    }
    again.kill('SIGTERM');
    await new Promise((r) => again.once('exit', r));
    console.info(
      `kill -9 (${name}): ${acked.length} acknowledged; at the kill ${JSON.stringify(atKill)}, ${withoutJob} without their job; after a restart ${JSON.stringify(after)}`,
    );
    expect(after).toEqual({ succeeded: acked.length });
    expect(await store.afterOnce(acked)).toBe(acked.length);
    expect(await store.deadLetters()).toBe(0);
  }

  it('SQLite, one process: every acknowledged execution finishes after a restart, the node after the wait once', async () => {
    await run(
      'SQLite, one process',
      {},
      async (ws, dir) => {
        const storage = await createSqliteStorage({ filename: join(dir, 'weft.db'), migrate: false });
        const get = (id: string) => storage.executions.get(ws, id);
        return {
          status: async (ids) => count(await Promise.all(ids.map(async (id) => (await get(id))?.status ?? 'missing'))),
          async withoutJob(ids) {
            let n = 0;
            for (const id of ids) {
              const r = await get(id);
              const key = r && neededJob({ ...r, resumeAt: r.wait?.kind === 'timer' ? r.wait.resumeAt : undefined });
              if (key && !(await storage.queue.hasJob(key))) n++;
            }
            return n;
          },
          async afterOnce(ids) {
            let n = 0;
            for (const id of ids) {
              const runs = await storage.executions.listNodeRuns(id);
              if (runs.filter((r) => r.nodeId === 'a' && r.status === 'succeeded').length === 1) n++;
            }
            return n;
          },
          deadLetters: async () => (await storage.queue.listDeadLetters()).length,
          close: () => storage.close(),
        };
      },
      { worker: false, acks: 400 },
    );
  }, 180_000);

  it.skipIf(pgService.skip || redisService.skip)(
    'Postgres + Redis, a host and a worker: worker then host killed, every acknowledged execution finishes after a restart',
    async () => {
      const db = await createTempDatabase(pgService.url());
      cleanups.push(() => db.drop());
      const prefix = `weft-kill9-${Date.now().toString(36)}`;
      await run(
        'Postgres + Redis, worker then host',
        { WEFT_DATABASE_URL: db.url, WEFT_REDIS_URL: redisService.url(), WEFT_REDIS_PREFIX: prefix },
        async () => {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          const redis = new Redis(redisService.url(), { maxRetriesPerRequest: null });
          const queue = new RedisQueue({ redis, prefix });
          const rows = async (ids: string[]) =>
            (await client.query('select id, status, resume_at from executions where id = any($1)', [ids])).rows as {
              id: string;
              status: string;
              resume_at: string | null;
            }[];
          return {
            async status(ids) {
              const found = await rows(ids);
              return count([...found.map((r) => r.status), ...Array(ids.length - found.length).fill('missing')]);
            },
            async withoutJob(ids) {
              let n = 0;
              for (const r of await rows(ids)) {
                const key = neededJob({ ...r, resumeAt: r.resume_at === null ? null : Number(r.resume_at) });
                if (key && !(await queue.hasJob(key))) n++;
              }
              return n;
            },
            async afterOnce(ids) {
              const r = await client.query(
                `select execution_id from node_runs where execution_id = any($1) and node_id = 'a' and status = 'succeeded'
                 group by execution_id having count(*) = 1`,
                [ids],
              );
              return r.rowCount ?? 0;
            },
            deadLetters: async () => (await queue.listDeadLetters()).length,
            async close() {
              await client.end();
              await queue.close();
              redis.disconnect();
            },
          };
        },
        { worker: true, acks: 400 },
      );
    },
    180_000,
  );
});
