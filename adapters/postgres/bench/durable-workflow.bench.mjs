// Durable executions per second of the 5-node reference workflow (trigger -> set -> if -> code ->
// set) with every node run checkpointed, each backend measured in the same run beside the
// in-memory baseline: in-process on memory, SQLite and Postgres (50 executions in flight), then
// worker mode: executions enqueued on Redis, stored in Postgres, run by 1 and 2 worker processes.
// Needs PostgreSQL and Redis (WEFT_TEST_PG_URL / WEFT_TEST_REDIS_URL or the local defaults).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryExecutionStore, MemoryWorkflowStore, WorkflowEngine } from '@weft/engine';
import { RedisQueue } from '@weft/redis';
import { IsolateSandbox } from '@weft/sandbox';
import { createSqliteStorage } from '@weft/sqlite';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createPostgresStorage } from '../dist/index.js';

const PG = process.env.WEFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const workflow = {
  ...JSON.parse(readFileSync(new URL('../../../examples/workflows/order-total.json', import.meta.url), 'utf8')),
  id: 'order-total',
};
const input = [
  {
    json: {
      customer: 'ada',
      lines: [
        { price: 40, qty: 2 },
        { price: 12.5, qty: 4 },
      ],
    },
  },
];
const SECONDS = Number(process.env.WEFT_BENCH_SECONDS ?? 5);

const sandbox = new IsolateSandbox({ size: 1 });
await sandbox.warmUp(1, 64);

async function inProcess(label, stores) {
  const engine = new WorkflowEngine({ sandbox, ...stores });
  for (let i = 0; i < 300; i++) await engine.execute(workflow, { input });
  let done = 0;
  const latencies = [];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  const lane = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const r = await engine.execute(workflow, { input });
      if (r.status !== 'succeeded') throw new Error(`${label}: ${r.error?.message}`);
      latencies.push(performance.now() - t);
      done++;
    }
  };
  await Promise.all(Array.from({ length: 50 }, lane));
  latencies.sort((a, b) => a - b);
  return {
    label,
    perSecond: done / ((performance.now() - t0) / 1000),
    p50: latencies[latencies.length >> 1],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

const schema = `bench_${process.pid}`;
const rows = [];
rows.push(
  await inProcess('memory (baseline)', {
    executions: new MemoryExecutionStore({ maxFinished: 1000 }),
    workflows: new MemoryWorkflowStore(),
  }),
);
const dir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
const sqlite = await createSqliteStorage({ filename: join(dir, 'weft.db') });
rows.push(
  await inProcess('SQLite, in process', {
    executions: sqlite.executions,
    workflows: sqlite.workflows,
    queue: sqlite.queue,
  }),
);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
const postgres = await createPostgresStorage({ connectionString: PG, schema, poolSize: 10 });
rows.push(
  await inProcess('Postgres, in process', {
    executions: postgres.executions,
    workflows: postgres.workflows,
    queue: postgres.queue,
  }),
);

// Worker mode: the parent enqueues, worker processes claim from Redis and checkpoint in Postgres.
const redis = new Redis(REDIS);
async function workerMode(workers) {
  const name = `bench-${process.pid}-${workers}`;
  const queue = new RedisQueue({ redis, name });
  const engine = new WorkflowEngine({ sandbox, executions: postgres.executions, workflows: postgres.workflows, queue });
  await postgres.workflows.save('bench', workflow);
  const N = 1500 * workers;
  const children = Array.from({ length: workers }, () =>
    fork(new URL('./durable-worker.child.mjs', import.meta.url).pathname, [PG, schema, REDIS, name], {
      execArgv: ['--no-node-snapshot'],
    }),
  );
  await Promise.all(children.map((c) => new Promise((r) => c.once('message', r))));
  const t0 = performance.now();
  for (let i = 0; i < N; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, N - i) }, () => engine.enqueue('bench', 'order-total', { input })),
    );
  }
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  for (;;) {
    const { rows: r } = await client.query(
      `select count(*)::int as n from "${schema}".executions where workspace_id = 'bench' and status = 'succeeded'`,
    );
    if (r[0].n >= N) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  await client.query(`delete from "${schema}".executions where workspace_id = 'bench'`);
  await client.end();
  for (const c of children) c.kill();
  await queue.close();
  return {
    label: `Redis queue + Postgres, ${workers} worker process${workers > 1 ? 'es' : ''}`,
    perSecond: N / seconds,
  };
}
rows.push(await workerMode(1));
rows.push(await workerMode(2));
redis.disconnect();
const admin = new pg.Client({ connectionString: PG });
await admin.connect();
await admin.query(`drop schema if exists "${schema}" cascade`);
await admin.end();
await postgres.close();
await sandbox.close();

const base = rows[0].perSecond;
console.log(
  `Durable executions of the 5-node workflow, every node run checkpointed (${SECONDS} s per in-process run)\n`,
);
console.log('| backend | executions/s | p50 latency | p99 latency | vs memory |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  const ms = (v) => (v === undefined ? '–' : `${v.toFixed(2)} ms`);
  console.log(
    `| ${r.label} | ${Math.round(r.perSecond).toLocaleString('en')} | ${ms(r.p50)} | ${ms(r.p99)} | ${(r.perSecond / base).toFixed(2)}x |`,
  );
}
console.log('\ntargets: SQLite >= 3,000 executions/s and >= 0.30x memory');
