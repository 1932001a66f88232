import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBlobStore } from '@weft/engine';
import { sampleExecution, sampleNodeRun } from '@weft/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

describe('sqlite retention and blobs', () => {
  let dir: string;
  let storage: SqliteStorage;
  let blobs: MemoryBlobStore;
  beforeEach(async () => {
    blobs = new MemoryBlobStore();
    dir = mkdtempSync(join(tmpdir(), 'weft-retention-'));
    storage = await createSqliteStorage({
      filename: join(dir, 'weft.db'),
      blobThresholdBytes: 2048,
      blobs,
    });
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const drain = async (it: AsyncGenerator<{ deleted: number; chunks: number }>) => {
    const seen: number[] = [];
    for await (const p of it) seen.push(p.deleted);
    return seen;
  };

  it('moves large node-run payloads to the blob store and back, and deletes them with the execution', async () => {
    const rec = sampleExecution();
    await storage.executions.create(rec);
    const big = sampleNodeRun(rec.id, 0, { output: { main: [{ json: { text: 'y'.repeat(5000) } }] } });
    const small = sampleNodeRun(rec.id, 1);
    await storage.executions.checkpoint(rec.id, [big, small]);
    const rows = storage.database.prepare('select seq, payload, blob_key from node_runs order by seq').all() as {
      payload: string | null;
      blob_key: string | null;
    }[];
    expect(rows[0]?.payload).toBeNull();
    expect(rows[0]?.blob_key).toMatch(/^node-runs\//);
    expect(rows[1]?.blob_key).toBeNull();
    expect(await blobs.get(rows[0]?.blob_key as string)).toBeDefined();
    expect(await storage.executions.listNodeRuns(rec.id)).toEqual([big, small]);
    expect(await storage.executions.delete('ws-a', rec.id)).toBe(true);
    expect(await blobs.get(rows[0]?.blob_key as string)).toBeUndefined();
  });

  it('prunes by age and by count per workflow, in chunks, sparing unfinished executions', async () => {
    for (let i = 0; i < 30; i++) {
      const rec = sampleExecution({
        id: `ex-${String(i).padStart(2, '0')}`,
        workflowId: i % 2 ? 'wf-odd' : 'wf-even',
        status: i === 3 ? 'running' : 'succeeded',
        startedAt: 1_000_000 + i * 1000,
      });
      await storage.executions.create(rec);
      await storage.executions.checkpoint(rec.id, [sampleNodeRun(rec.id, 0)]);
    }
    const byAge = await drain(storage.executions.pruneExecutions({ olderThan: 1_000_000 + 10 * 1000, chunkSize: 4 }));
    expect(byAge).toEqual([4, 8, 9]);
    const left = (await storage.executions.list('ws-a', { limit: 100 })).items;
    expect(left.map((r) => r.id)).toContain('ex-03');
    expect(left).toHaveLength(21);
    expect(storage.database.prepare('select count(*) as n from node_runs').get()).toEqual({ n: 21 });

    await drain(storage.executions.pruneExecutions({ keepPerWorkflow: 3, chunkSize: 2 }));
    const kept = (await storage.executions.list('ws-a', { limit: 100 })).items.map((r) => r.id).sort();
    expect(kept).toEqual(['ex-03', 'ex-24', 'ex-25', 'ex-26', 'ex-27', 'ex-28', 'ex-29']);
    await expect(drain(storage.executions.pruneExecutions({}))).rejects.toThrow(/olderThan, keepPerWorkflow/);
  });

  it('gives the space back to the file system after pruning (incremental vacuum)', async () => {
    const filler = 'z'.repeat(1500);
    storage.database.transaction(() => {
      const insert = storage.database.prepare(
        `insert into executions (id, workspace_id, workflow_id, workflow_version, status, mode, input, started_at, depth)
         values (?, 'ws-a', 'wf', 1, 'succeeded', 'manual', ?, ?, 0)`,
      );
      for (let i = 0; i < 5000; i++) insert.run(`ex-${i}`, JSON.stringify({ main: [{ json: { filler } }] }), i);
    })();
    storage.database.pragma('wal_checkpoint(TRUNCATE)');
    const file = join(dir, 'weft.db');
    const before = statSync(file).size;
    expect(before).toBeGreaterThan(5_000_000);
    const progress = await drain(storage.executions.pruneExecutions({ olderThan: 10_000, chunkSize: 1000 }));
    expect(progress.at(-1)).toBe(5000);
    const after = statSync(file).size;
    expect(after).toBeLessThan(before / 5);
  });
});
