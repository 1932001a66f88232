#!/usr/bin/env node
// Production layouts side by side: the reference webhook flow (webhook -> code -> if -> set ->
// respond, every execution persisted) served by a bare Express handler, Weft in one process on
// SQLite, Weft in one process on Postgres (no queue), and queue mode — a host process that
// enqueues plus worker processes that run — on Postgres + Redis and on Postgres alone (SKIP LOCKED +
// LISTEN/NOTIFY). 50 keep-alive connections from autocannon in its own process; every server role
// runs in its own process so its CPU is its own. Per request it reports the CPU of the host, the
// workers, Postgres (this scenario's backends plus the server's background processes, from /proc)
// and Redis (INFO used_cpu_*), and the Postgres statements and Redis commands each process sent.
// Scenarios alternate over rounds; the table shows medians. Needs PostgreSQL and Redis
// (WEFT_TEST_PG_URL / WEFT_TEST_REDIS_URL or the local defaults). BENCH_SCENARIOS=bare,pg-redis
// picks scenarios; BENCH_WORKERS (default 1) sets the worker processes of the queue layouts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchEnv,
  CONNECTIONS,
  cpuUs,
  load,
  median,
  pad,
  procCpuMs,
  serveBare,
  setUpOrderWebhook,
  spawnChild,
} from './bench-lib.mjs';

const PG = process.env.WEFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '64';
const SELF = new URL(import.meta.url).pathname;

if (process.argv[2] === 'serve') await serveRole();
else await main();

// A server process: counts what it sends to Postgres and Redis (statements = round trips with pg;
// Redis commands, where one EVALSHA is one command), answers 'usage' with its CPU and counters.
async function serveRole() {
  process.on('disconnect', () => process.exit(0));
  const inbox = [];
  let handle;
  process.on('message', (m) => (handle ? handle(m) : inbox.push(m)));
  const counts = { pg: 0, redis: 0, redisBatches: 0 };
  // Counts the statements and commands of the pg and ioredis copies a build resolves (another
  // checkout's build, given as `dist`, has its own node_modules).
  const countCalls = (pg, Redis) => {
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (...args) {
      counts.pg++;
      return query.apply(this, args);
    };
    const send = Redis.prototype.sendCommand;
    Redis.prototype.sendCommand = function (...args) {
      counts.redis++;
      return send.apply(this, args);
    };
  };
  countCalls((await import('pg')).default, (await import('ioredis')).Redis);
  const { Pipeline } = await import('ioredis');
  if (Pipeline?.prototype?.exec) {
    const exec = Pipeline.prototype.exec;
    Pipeline.prototype.exec = function (...args) {
      counts.redisBatches++;
      return exec.apply(this, args);
    };
  }
  let stop = async () => {};
  handle = async (m) => {
    if (m.cmd === 'usage') {
      process.send({ cpuUs: cpuUs(), ...counts });
    } else if (m.cmd === 'stop') {
      await stop();
      process.send({ stopped: true });
      process.exit(0);
    } else if (m.cmd === 'start') {
      const started = await start(m);
      stop = started.stop;
      process.send({ url: started.url });
    }
  };
  for (const m of inbox.splice(0)) await handle(m);

  async function start({ kind, env, dist }) {
    if (kind === 'bare') {
      const bare = await serveBare();
      return { url: bare.url, stop: bare.close };
    }
    if (dist) {
      const require = createRequire(dist);
      const pg = require('pg');
      const { Redis } = require('ioredis');
      if (pg !== (await import('pg')).default) countCalls(pg, Redis);
    }
    const { createHost, createRuntime, createHostLogger, loadConfig } = await import(dist ?? '../dist/index.js');
    const config = loadConfig(env);
    if (kind === 'worker') {
      const { Redactor } = await import('@weft/connectors');
      const redactor = new Redactor();
      const logger = createHostLogger({ level: 'warn', service: 'weft-worker', redactor });
      const runtime = await createRuntime(config, { logger, redactor });
      return { url: '', stop: () => runtime.close() };
    }
    const host = await createHost(config, {
      announce: () => {},
      worker: kind !== 'host',
      ...(kind === 'direct' ? { launchMode: 'direct' } : {}),
    });
    const base = await host.listen();
    return { url: base, stop: () => host.close() };
  }
}

async function main() {
  const pg = (await import('pg')).default;
  const { Redis } = await import('ioredis');
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  const redis = new Redis(REDIS);
  const tag = `${process.pid}`;
  const all = [
    { name: 'bare Express handler', id: 'bare' },
    { name: 'SQLite, one process', id: 'sqlite' },
    { name: 'Postgres, one process (no queue)', id: 'pg-direct', db: true },
    { name: `Postgres + Redis queue (host + ${WORKERS} worker)`, id: 'pg-redis', db: true, redis: true, queue: true },
    { name: `Postgres queue (host + ${WORKERS} worker)`, id: 'pg-queue', db: true, queue: true },
  ];
  // BENCH_BEFORE_DIST=<another checkout>/host/dist/index.js adds the SQLite and queue layouts of that build (A/B in one run).
  const before = process.env.BENCH_BEFORE_DIST;
  if (before)
    all.push(
      { ...all[1], name: `${all[1].name}, before`, id: 'sqlite-before', dist: before },
      { ...all[3], name: `${all[3].name}, before`, id: 'pg-redis-before', dist: before },
      { ...all[4], name: `${all[4].name}, before`, id: 'pg-queue-before', dist: before },
    );
  const pick = process.env.BENCH_SCENARIOS?.split(',');
  const scenarios = all.filter((s) => !pick || pick.includes(s.id));
  const dirs = [];
  for (const s of scenarios) {
    console.error(`setting up ${s.name}`);
    const dir = mkdtempSync(join(tmpdir(), `weft-qbench-${s.id}-`));
    dirs.push(dir);
    const env = benchEnv(dir, { WEFT_WORKER_CONCURRENCY: CONCURRENCY });
    if (s.db) {
      s.dbName = `weft_qbench_${s.id.replaceAll('-', '_')}_${tag}`;
      await admin.query(`create database ${s.dbName}`);
      const url = new URL(PG);
      url.pathname = `/${s.dbName}`;
      env.WEFT_DATABASE_URL = url.toString();
    }
    if (s.redis) {
      env.WEFT_REDIS_URL = REDIS;
      env.WEFT_REDIS_PREFIX = `qbench${tag}${s.id}`;
    }
    s.procs = [];
    if (s.id === 'bare') s.procs.push({ role: 'host', ...spawnChild(SELF, ['serve']) });
    else {
      const kind = s.queue ? 'host' : s.id === 'pg-direct' ? 'direct' : 'single';
      const host = { role: 'host', ...spawnChild(SELF, ['serve']) };
      s.procs.push(host);
      const { url } = await host.ask({ cmd: 'start', kind, env, dist: s.dist });
      s.base = url;
      if (s.queue)
        for (let i = 0; i < WORKERS; i++) {
          const w = { role: 'worker', ...spawnChild(SELF, ['serve']) };
          s.procs.push(w);
          await w.ask({ cmd: 'start', kind: 'worker', env, dist: s.dist });
        }
    }
    if (s.id === 'bare') s.url = (await s.procs[0].ask({ cmd: 'start', kind: 'bare', env })).url;
    else s.url = (await setUpOrderWebhook(s.base)).url;
  }

  const pgUsage = async (s) => {
    if (!s.db) return new Map();
    const { rows } = await admin.query(
      `select pid from pg_stat_activity where datname = $1 or (backend_type <> 'client backend' and datname is null)`,
      [s.dbName],
    );
    const per = new Map();
    for (const { pid } of rows) {
      const t = procCpuMs(pid);
      if (t !== undefined) per.set(pid, t);
    }
    return per;
  };
  const redisCpu = async () => {
    const info = await redis.info('cpu');
    const v = (k) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return v('used_cpu_sys') + v('used_cpu_user');
  };
  const redisCalls = async () => {
    const info = await redis.info('commandstats');
    let n = 0;
    for (const m of info.matchAll(/calls=(\d+)/g)) n += Number(m[1]);
    return n;
  };

  // What Postgres wrote per execution: row versions per table (pg_stat_user_tables of the
  // scenario's database) and WAL bytes whose blocks belong to that database (pg_walinspect, which
  // skips other databases' writes on a shared server; commit records carry no block and are counted
  // apart, server-wide).
  const dbClient = async (s) => {
    const url = new URL(PG);
    url.pathname = `/${s.dbName}`;
    s.client ??= new pg.Client({ connectionString: url.toString() });
    if (!s.connected) {
      await s.client.connect();
      s.connected = true;
      await s.client.query('create extension if not exists pg_walinspect').catch(() => {});
    }
    return s.client;
  };
  const tableWrites = async (s) => {
    const c = await dbClient(s);
    const { rows } = await c.query(
      `select relname, n_tup_ins::int8 as ins, n_tup_upd::int8 as upd, n_tup_hot_upd::int8 as hot, n_tup_del::int8 as del,
         (select count(*) from pg_index i where i.indrelid = t.relid)::int as indexes
       from pg_stat_user_tables t`,
    );
    return new Map(rows.map((r) => [r.relname, r]));
  };
  const walPosition = async () => (await admin.query('select pg_current_wal_lsn() as lsn')).rows[0].lsn;
  const walOfDatabase = async (s, from, to) => {
    const c = await dbClient(s);
    try {
      const { rows } = await c.query(
        `select coalesce(sum(record_length + fpi_length) filter (where block_ref like '%/' || d.oid || '/%'), 0)::int8 as mine,
           coalesce(sum(record_length + fpi_length) filter (where block_ref like '%/' || d.oid || '/%' and fpi_length > 0), 0)::int8 as fpi_records,
           count(*) filter (where resource_manager = 'Transaction')::int8 as commits,
           coalesce(sum(record_length + fpi_length), 0)::int8 as server
         from pg_get_wal_records_info($1, $2), (select oid from pg_database where datname = current_database()) d`,
        [from, to],
      );
      // Where it went: WAL bytes per relation (heap or index) of this database, largest first.
      const per = await c.query(
        `select coalesce(cl.relname, w.rel) as rel, w.bytes, w.records from (
           select substring(block_ref from 'rel \\d+/' || d.oid || '/(\\d+)') as rel,
             sum(record_length + fpi_length)::int8 as bytes, count(*)::int8 as records
           from pg_get_wal_records_info($1, $2), (select oid from pg_database where datname = current_database()) d
           where block_ref like '%/' || d.oid || '/%' group by 1) w
         left join pg_class cl on cl.relfilenode::text = w.rel order by w.bytes desc limit 12`,
        [from, to],
      );
      return { ...rows[0], relations: per.rows };
    } catch (e) {
      return { error: String(e.message ?? e) };
    }
  };
  const diffWrites = (a, b) =>
    [...b.values()]
      .map((r) => {
        const o = a.get(r.relname) ?? { ins: 0, upd: 0, hot: 0, del: 0 };
        return {
          table: r.relname,
          indexes: r.indexes,
          ins: r.ins - o.ins,
          upd: r.upd - o.upd,
          hot: r.hot - o.hot,
          del: r.del - o.del,
        };
      })
      .filter((r) => r.ins + r.upd + r.del > 0);
  const printWrites = (list) => {
    if (!list.length) return;
    console.log(
      `\n${pad('Postgres writes per execution', 48)}${pad('table', 18)}${pad('idx', 5)}${pad('ins', 7)}${pad('upd', 7)}${pad('HOT', 7)}del`,
    );
    for (const s of list) {
      const { n, tables, wal } = s.writes;
      for (const t of tables)
        console.log(
          `${pad(s.name, 48)}${pad(t.table, 18)}${pad(t.indexes, 5)}${pad((t.ins / n).toFixed(2), 7)}` +
            `${pad((t.upd / n).toFixed(2), 7)}${pad((t.hot / n).toFixed(2), 7)}${(t.del / n).toFixed(2)}`,
        );
      console.log(
        wal.error
          ? `${pad(s.name, 48)}WAL: ${wal.error}`
          : `${pad(s.name, 48)}WAL ${Math.round(wal.mine / n)} B/execution in this database (full-page images in ${Math.round(wal.fpi_records / n)} B of it); ` +
              `${(wal.commits / n).toFixed(2)} commit records and ${Math.round(wal.server / n)} B/execution server-wide (other databases included)`,
      );
      for (const r of wal.relations ?? [])
        console.log(
          `${pad('', 48)}${pad(`WAL ${r.rel}`, 36)}${pad(`${Math.round(r.bytes / n)} B`, 9)}${(r.records / n).toFixed(2)} records`,
        );
    }
  };

  for (const s of scenarios) await load(s.url, WARMUP_S);
  const runs = new Map(scenarios.map((s) => [s.id, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of scenarios) {
      const before = await Promise.all(s.procs.map((p) => p.ask({ cmd: 'usage' })));
      const pg0 = await pgUsage(s);
      const r0 = s.redis ? await redisCpu() : 0;
      console.error(`round ${round + 1}: ${s.name}`);
      const r = await load(s.url, DURATION_S);
      const after = await Promise.all(s.procs.map((p) => p.ask({ cmd: 'usage' })));
      const pg1 = await pgUsage(s);
      const r1 = s.redis ? await redisCpu() : 0;
      const n = Math.max(1, r.total);
      const sum = (role, k) =>
        s.procs.reduce((acc, p, i) => (p.role === role ? acc + (after[i][k] - before[i][k]) : acc), 0);
      let pgMs = 0;
      if (s.db) for (const [pid, t] of pg1) pgMs += t - (pg0.get(pid) ?? 0);
      runs.get(s.id).push({
        ...r,
        host: sum('host', 'cpuUs') / n / 1000,
        workers: sum('worker', 'cpuUs') / n / 1000,
        pg: pgMs / n,
        redis: ((r1 - r0) * 1000) / n,
      });
    }
  }

  const rows = scenarios.map((s) => {
    const rs = runs.get(s.id);
    const m = (k) => median(rs.map((r) => r[k]));
    return {
      s,
      rps: m('rps'),
      p50: m('p50'),
      p99: m('p99'),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      host: m('host'),
      workers: m('workers'),
      pg: m('pg'),
      redis: m('redis'),
    };
  });
  // Round trips per execution, on a fixed number of requests (so idle work such as sweeps and
  // heartbeats adds little): statements each process sent to Postgres, commands to Redis.
  const COUNT = Number(process.env.BENCH_COUNT_REQUESTS ?? 1000);
  const counted = [];
  // A temporary slot keeps the WAL of the counted requests until pg_walinspect has read it (other
  // databases' writes on a shared server can recycle it first); it goes when this session ends.
  await admin
    .query(`select pg_create_physical_replication_slot($1, true, true)`, [`weft_qbench_${tag}`])
    .catch((e) => console.error(`no WAL slot: ${e.message}`));
  for (const s of scenarios.filter((x) => x.db)) {
    const before = await Promise.all(s.procs.map((p) => p.ask({ cmd: 'usage' })));
    const rc0 = s.redis ? await redisCalls() : 0;
    const w0 = await walPosition();
    const t0 = await tableWrites(s);
    const r = await load(s.url, 0, COUNT);
    const after = await Promise.all(s.procs.map((p) => p.ask({ cmd: 'usage' })));
    const rc1 = s.redis ? await redisCalls() : 0;
    const w1 = await walPosition();
    const n = Math.max(1, r.total);
    // Backends report table statistics at most once a second: wait for them before reading.
    await new Promise((res) => setTimeout(res, 1500));
    const t1 = await tableWrites(s);
    s.writes = { n, tables: diffWrites(t0, t1), wal: await walOfDatabase(s, w0, w1) };
    const per = (role, k) =>
      s.procs.reduce((acc, p, i) => (p.role === role ? acc + (after[i][k] - before[i][k]) : acc), 0) / n;
    counted.push({
      s,
      n,
      pgHost: per('host', 'pg'),
      pgWorkers: per('worker', 'pg'),
      redisHost: per('host', 'redis'),
      redisWorkers: per('worker', 'redis'),
      redisCalls: (rc1 - rc0) / n,
    });
  }

  printWrites(scenarios.filter((x) => x.writes));

  const bare = rows.find((r) => r.s.id === 'bare');
  const ms = (v) => v.toFixed(3);
  console.log(
    `${pad('scenario', 48)}${pad('req/s', 8)}${pad('ratio', 7)}${pad('p50', 6)}${pad('p99', 6)}${pad('err', 5)}` +
      `${pad('host', 7)}${pad('workers', 8)}${pad('PG', 7)}Redis   (CPU ms per request)`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.s.name, 48)}${pad(Math.round(r.rps), 8)}${pad(bare ? `${(r.rps / bare.rps).toFixed(2)}x` : '-', 7)}` +
        `${pad(r.p50, 6)}${pad(r.p99, 6)}${pad(r.errors, 5)}${pad(ms(r.host), 7)}${pad(ms(r.workers), 8)}` +
        `${pad(r.s.db ? ms(r.pg) : '-', 7)}${r.s.redis ? ms(r.redis) : '-'}`,
    );
  }
  console.log(
    `\nreq/s, latency (ms) and CPU ms per request: medians of ${ROUNDS} alternating rounds of ${DURATION_S} s, ${CONNECTIONS} connections;` +
      ` queue layouts: 1 host process (no worker) + ${WORKERS} worker process(es), concurrency ${CONCURRENCY}.` +
      `\nPG = this scenario's backends + the server's background processes (/proc); Redis = INFO used_cpu_sys + used_cpu_user.`,
  );
  console.log(
    `\n${pad('round trips per execution', 48)}${pad('PG host', 9)}${pad('PG workers', 12)}${pad('Redis host', 12)}${pad('Redis workers', 15)}Redis ran`,
  );
  for (const c of counted)
    console.log(
      `${pad(c.s.name, 48)}${pad(c.pgHost.toFixed(2), 9)}${pad(c.pgWorkers.toFixed(2), 12)}` +
        `${pad(c.s.redis ? c.redisHost.toFixed(2) : '-', 12)}${pad(c.s.redis ? c.redisWorkers.toFixed(2) : '-', 15)}` +
        `${c.s.redis ? c.redisCalls.toFixed(1) : '-'}`,
    );
  console.log(
    `(${COUNT} requests each; PG = statements sent (one pg round trip each), Redis = commands sent (an EVALSHA is one),` +
      ` "Redis ran" = commands Redis executed per request, scripts' inner calls included, from INFO commandstats: anything else on this Redis counts too)`,
  );
  const q = rows.find((r) => r.s.id === 'pg-redis');
  if (q && bare)
    console.log(
      `targets (PG + Redis queue): >= 2,500 req/s and >= 0.35x bare: ${Math.round(q.rps)} req/s, ${(q.rps / bare.rps).toFixed(2)}x;` +
        ` p99 <= 60 ms: ${q.p99}; PG <= 0.25 ms: ${ms(q.pg)}; Redis <= 0.1 ms: ${ms(q.redis)}`,
    );
  const sq = rows.find((r) => r.s.id === 'sqlite');
  if (sq && bare) console.log(`target SQLite >= 0.7x bare: ${(sq.rps / bare.rps).toFixed(2)}x`);

  for (const s of scenarios) for (const p of [...s.procs].reverse()) await p.ask({ cmd: 'stop' });
  for (const s of scenarios) if (s.connected) await s.client.end();
  for (const s of scenarios) if (s.db) await admin.query(`drop database if exists ${s.dbName} with (force)`);
  const keys = await redis.keys(`qbench${tag}*`);
  if (keys.length) await redis.del(...keys);
  await admin.end();
  redis.disconnect();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
