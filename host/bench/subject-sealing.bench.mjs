#!/usr/bin/env node
// Cost of GDPR subject sealing (ADR 0012) on the execution store's hot path, on SQLite: the same
// workload (create, five checkpoints of one small node run, finish, read the node runs back) through
// the bare SQL execution store and through the sealing store, alternated over rounds in one run.
// Scenarios: a workspace without subject paths (every webhook today: one map lookup per call), a
// workspace whose executions name a subject (every payload AES-256-GCM sealed and opened), and a
// workspace that encrypts every payload at rest (HIPAA-style encryptPayloads, the workspace key).
// Sealing is synchronous node:crypto (it was Web Crypto, whose promise per payload made the sealed
// path 2-2.8x the bare store).
// Target: no subject -> <= 3% over the bare store (medians); sealing costs what the crypto costs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.env.BENCH_EXECUTIONS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const { createSqliteStorage } = await import('@weft/sqlite');
const { MemoryBlobStore } = await import('@weft/engine');
const { weftMigrations, SqlComplianceSettings } = await import('@weft/sql');
const { sealSubjectPayloads } = await import('../dist/compliance/subject-sealing.js');

const dir = mkdtempSync(join(tmpdir(), 'weft-sealing-bench-'));
const storage = await createSqliteStorage({
  filename: join(dir, 'weft.db'),
  blobs: new MemoryBlobStore(),
  migrations: weftMigrations,
});
const h = { db: storage.db, dialect: 'sqlite' };
const bare = storage.executions;
const sealed = sealSubjectPayloads(h, `k1:${randomBytes(32).toString('base64')}`, bare);
await new SqlComplianceSettings(h).put('ws_subject', { scanBlockSeverity: null, subjectPaths: ['email'] });
await new SqlComplianceSettings(h).put('ws_hipaa', {
  scanBlockSeverity: null,
  subjectPaths: [],
  encryptPayloads: true,
});

let n = 0;
async function workload(store, workspaceId) {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const id = `e${n++}`;
    const json = { email: `user${i % 50}@example.org`, lines: [{ price: 60, qty: 2 }], total: 120 };
    await store.create({
      id,
      workspaceId,
      workflowId: 'wf',
      workflowVersion: 1,
      status: 'running',
      mode: 'webhook',
      input: { main: [{ json }] },
      startedAt: Date.now(),
      depth: 0,
    });
    for (let seq = 0; seq < 5; seq++) {
      const run = {
        executionId: id,
        seq,
        nodeId: `n${seq}`,
        nodeName: `N${seq}`,
        runIndex: 0,
        status: 'succeeded',
        attempts: 1,
        input: { main: [{ json }] },
        output: { main: [{ json: { ...json, seq } }] },
        startedAt: 1,
        finishedAt: 2,
      };
      await store.checkpoint(id, [run], seq === 4 ? { status: 'succeeded', finishedAt: Date.now() } : undefined);
    }
    await store.listNodeRuns(id, { nodeIds: ['n4'] });
  }
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - started) / 1000 / N, cpu: (used.user + used.system) / N };
}

const scenarios = [
  ['bare SQL execution store', () => workload(bare, 'ws_plain')],
  ['sealing store, no subject', () => workload(sealed, 'ws_plain')],
  ['sealing store, subject sealed', () => workload(sealed, 'ws_subject')],
  ['sealing store, workspace encrypted', () => workload(sealed, 'ws_hipaa')],
];
for (const [, run] of scenarios) await run();
const results = scenarios.map(() => []);
for (let round = 0; round < ROUNDS; round++)
  for (const [i, [, run]] of scenarios.entries()) results[i].push(await run());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const of = (i, k) => median(results[i].map((r) => r[k]));
console.log(`\n${N} executions x ${ROUNDS} rounds (create, 5 checkpoints, finish, read back), medians:`);
console.log('(CPU time of this process is the steadier figure on a loaded machine; wall time includes waiting)\n');
console.log('| store                              | wall µs/execution | vs bare | CPU µs/execution | vs bare |');
console.log('| ---------------------------------- | ----------------: | ------: | ---------------: | ------: |');
for (const [i, [name]] of scenarios.entries()) {
  const w = of(i, 'wall');
  const c = of(i, 'cpu');
  console.log(
    `| ${name.padEnd(34)} | ${w.toFixed(1).padStart(17)} | ${(w / of(0, 'wall')).toFixed(3).padStart(6)}x | ${c.toFixed(1).padStart(16)} | ${(c / of(0, 'cpu')).toFixed(3).padStart(6)}x |`,
  );
}
await storage.close();
rmSync(dir, { recursive: true, force: true });
