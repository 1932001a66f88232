import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStorage } from '@weft/sqlite';
import { afterEach, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../bin/weft.js');
const built = join(here, '../../dist/bin/weft.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

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

describe('kill -9 of a single-process SQLite host under webhook load (a flow with a 0.3 s wait)', () => {
  const children: ChildProcess[] = [];
  let dir = '';
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every acknowledged execution finishes after a restart, the node after the wait exactly once', async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (npx tsc -b host)`);
    dir = mkdtempSync(join(tmpdir(), 'weft-kill9-host-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      WEFT_DATA_DIR: dir,
      WEFT_PORT: String(port),
      WEFT_HOST: '127.0.0.1',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_SEED_EXAMPLES: 'false',
      WEFT_OWNER_EMAIL: 'owner@example.com',
      WEFT_OWNER_PASSWORD: 'owner-password',
    };
    const start = async () => {
      const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('is running at')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`host exited early with ${code}`)));
      });
      return child;
    };
    const api = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return res.json();
    };

    const first = await start();
    const { accessToken } = await api('POST', '/auth/login', {
      email: env.WEFT_OWNER_EMAIL,
      password: 'owner-password',
    });
    const ws = (await api('GET', '/workspaces', undefined, accessToken)).items[0].id as string;
    await api('POST', `/workspaces/${ws}/workflows`, flow, accessToken);
    await api('POST', `/workspaces/${ws}/workflows/hook-wait/activate`, undefined, accessToken);

    const acked: string[] = [];
    let sent = 0;
    let killed = false;
    const send = async () => {
      while (!killed && sent < 3000) {
        sent++;
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
    while (acked.length < 600) await new Promise((r) => setTimeout(r, 5));
    first.kill('SIGKILL');
    killed = true;
    await new Promise((r) => first.once('exit', r));
    await load;

    const storage = await createSqliteStorage({ filename: join(dir, 'weft.db'), migrate: false });
    const statusOf = async () => {
      const counts: Record<string, number> = {};
      for (const id of acked) {
        const s = (await storage.executions.get(ws, id))?.status ?? 'missing';
        counts[s] = (counts[s] ?? 0) + 1;
      }
      return counts;
    };
    const atKill = await statusOf();
    // What nothing but the sweeper recovers: parked on a timer with no resume job in the queue.
    const jobs = new Set(
      (await storage.db.selectFrom('queue_jobs').select('execution_id').execute()).map((r) => r.execution_id),
    );
    let withoutJob = 0;
    for (const id of acked) {
      const r = await storage.executions.get(ws, id);
      if (r?.status === 'waiting' && !jobs.has(id)) withoutJob++;
    }
    const second = await start();
    const deadline = Date.now() + 30_000;
    let after = await statusOf();
    while ((after.succeeded ?? 0) < acked.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      after = await statusOf();
    }
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
    console.info(
      `kill -9 of a SQLite host: ${acked.length} acknowledged; at the kill ${JSON.stringify(atKill)}, ${withoutJob} waiting without a job; after a restart ${JSON.stringify(after)}`,
    );
    expect(after).toEqual({ succeeded: acked.length });
    expect(await storage.queue.listDeadLetters()).toEqual([]);
    for (const id of acked) {
      const runs = await storage.executions.listNodeRuns(id);
      expect(runs.filter((r) => r.nodeId === 'a' && r.status === 'succeeded')).toHaveLength(1);
    }
    await storage.close();
  }, 120_000);
});
