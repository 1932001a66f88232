import type { ExecutionRecord, ExecutionStore } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleExecution, sampleNodeRun } from './fixtures.js';

/** Creates a fresh, empty store for one test and says how to dispose of it. */
export type ExecutionStoreFactory = () => Promise<{ store: ExecutionStore; cleanup?: () => Promise<void> }>;

/**
 * The contract every {@link ExecutionStore} must meet: records and node runs come back intact,
 * idempotency keys, patches, filters with cursor pagination, timer waits, deletion and workspace
 * scoping, also with many executions written at once (group commit).
 *
 * @example
 * ```ts
 * describeExecutionStoreConformance('memory', async () => ({ store: new MemoryExecutionStore() }));
 * ```
 */
export function describeExecutionStoreConformance(name: string, factory: ExecutionStoreFactory): void {
  describe(`ExecutionStore conformance: ${name}`, () => {
    let store: ExecutionStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('returns a created execution with every field intact, only to its workspace', async () => {
      const full = sampleExecution({
        parentExecutionId: 'ex-parent',
        idempotencyKey: 'key-1',
        depth: 2,
        mode: 'webhook',
        startNodeId: 'trigger-2',
        output: { main: [{ json: { done: true } }] },
        error: { message: 'boom', code: 'NODE_FAILED', nodeId: 'n1', nodeName: 'N', details: { attempt: 3 } },
        wait: { nodeId: 'n2', kind: 'timer', resumeAt: 1_700_000_100_000 },
        finishedAt: 1_700_000_200_000,
      });
      expect(await store.create(full)).toEqual({ created: true, record: full });
      expect(await store.get('ws-a', full.id)).toEqual(full);
      expect(await store.get(undefined, full.id)).toEqual(full);
      expect(await store.get('ws-b', full.id)).toBeUndefined();
      expect(await store.get('ws-a', 'ex-missing')).toBeUndefined();
      const minimal = sampleExecution();
      await store.create(minimal);
      expect(await store.get('ws-a', minimal.id)).toEqual(minimal);
    });

    it('rejects a second execution with the same id', async () => {
      const rec = sampleExecution();
      await store.create(rec);
      await expect(store.create({ ...rec })).rejects.toThrow();
    });

    it('returns the existing execution for a repeated idempotency key in the same workspace', async () => {
      const first = sampleExecution({ idempotencyKey: 'delivery-7' });
      await store.create(first);
      const again = await store.create(sampleExecution({ idempotencyKey: 'delivery-7' }));
      expect(again.created).toBe(false);
      expect(again.record).toEqual(first);
      const elsewhere = await store.create(sampleExecution({ workspaceId: 'ws-b', idempotencyKey: 'delivery-7' }));
      expect(elsewhere.created).toBe(true);
      const racing = await Promise.all(
        Array.from({ length: 5 }, () => store.create(sampleExecution({ idempotencyKey: 'race' }))),
      );
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(racing.map((r) => r.record.id)).size).toBe(1);
    });

    it('applies patches, including clearing a wait, and leaves other fields alone', async () => {
      const rec = sampleExecution({ status: 'running' });
      await store.create(rec);
      await store.update(rec.id, { status: 'waiting', wait: { nodeId: 'w', kind: 'signal' } });
      expect(await store.get('ws-a', rec.id)).toEqual({
        ...rec,
        status: 'waiting',
        wait: { nodeId: 'w', kind: 'signal' },
      });
      const output = { main: [{ json: { total: 99.5 } }] };
      await store.update(rec.id, { status: 'succeeded', wait: undefined, output, finishedAt: 1_700_000_000_999 });
      expect(await store.get('ws-a', rec.id)).toEqual({
        ...rec,
        status: 'succeeded',
        output,
        finishedAt: 1_700_000_000_999,
      });
      await store.update(rec.id, { error: { message: 'late', code: 'X' } });
      expect((await store.get('ws-a', rec.id))?.error).toEqual({ message: 'late', code: 'X' });
      await expect(store.update('ex-missing', { status: 'failed' })).rejects.toThrow(/ex-missing/);
    });

    it('returns node runs in seq order with items, errors and state intact', async () => {
      const rec = sampleExecution();
      await store.create(rec);
      const runs = [
        sampleNodeRun(rec.id, 0),
        sampleNodeRun(rec.id, 1, {
          status: 'failed',
          attempts: 3,
          runIndex: 2,
          error: { message: 'HTTP 500', code: 'HTTP_ERROR', nodeId: 'n1', details: { status: 500, retry: true } },
        }),
        sampleNodeRun(rec.id, 2, { status: 'skipped', input: undefined, output: undefined, state: undefined }),
        sampleNodeRun(rec.id, 3, { state: null, output: { main: [] } }),
      ];
      await store.checkpoint(rec.id, runs.slice(0, 1));
      await store.checkpoint(rec.id, runs.slice(1));
      const back = await store.listNodeRuns(rec.id);
      expect(back).toEqual(runs);
      expect(back.map((r) => r.seq)).toEqual([0, 1, 2, 3]);
      expect(await store.listNodeRuns('ex-missing')).toEqual([]);
    });

    it('lists only the runs of the given nodes, in seq order', async () => {
      const rec = sampleExecution();
      await store.create(rec);
      const runs = [0, 1, 2, 3, 4].map((seq) =>
        sampleNodeRun(rec.id, seq, { nodeId: seq % 2 === 0 ? 'respond' : `n${seq}` }),
      );
      // Large enough for a store that keeps big payloads elsewhere (blobs) to do so.
      runs[2] = { ...runs[2]!, state: { body: 'x'.repeat(4096) } };
      await store.checkpoint(rec.id, runs);
      expect(await store.listNodeRuns(rec.id, { nodeIds: ['respond'] })).toEqual([runs[0], runs[2], runs[4]]);
      expect(await store.listNodeRuns(rec.id, { nodeIds: ['n3', 'n1'] })).toEqual([runs[1], runs[3]]);
      expect(await store.listNodeRuns(rec.id, { nodeIds: [] })).toEqual([]);
      expect(await store.listNodeRuns(rec.id, { nodeIds: ["it's", '%', 'n1"'] })).toEqual([]);
    });

    it('keeps large node outputs intact', async () => {
      const rec = sampleExecution();
      await store.create(rec);
      const big = Array.from({ length: 2000 }, (_, i) => ({ json: { i, text: 'x'.repeat(100), u: 'ü€' } }));
      const run = sampleNodeRun(rec.id, 0, { output: { main: big } });
      await store.checkpoint(rec.id, [run]);
      expect(await store.listNodeRuns(rec.id)).toEqual([run]);
    });

    it('rejects a node run for an unknown execution or a repeated seq', async () => {
      await expect(store.checkpoint('ex-missing', [sampleNodeRun('ex-missing', 0)])).rejects.toThrow();
      const rec = sampleExecution();
      await store.create(rec);
      await store.checkpoint(rec.id, [sampleNodeRun(rec.id, 0)]);
      await expect(store.checkpoint(rec.id, [sampleNodeRun(rec.id, 0)])).rejects.toThrow();
      expect(await store.listNodeRuns(rec.id)).toHaveLength(1);
    });

    it('writes a checkpoint whole or not at all: runs and status together', async () => {
      const rec = sampleExecution();
      await store.create(rec);
      await store.checkpoint(rec.id, [sampleNodeRun(rec.id, 0), sampleNodeRun(rec.id, 1)], {
        status: 'succeeded',
        finishedAt: rec.startedAt + 9,
        output: { main: [{ json: { done: true } }] },
      });
      const done = await store.get('ws-a', rec.id);
      expect(done).toMatchObject({ status: 'succeeded', finishedAt: rec.startedAt + 9 });
      expect(done?.output).toEqual({ main: [{ json: { done: true } }] });
      expect((await store.listNodeRuns(rec.id)).map((r) => r.seq)).toEqual([0, 1]);

      // seq 3 is new but seq 1 repeats: neither run is stored and the patch is not applied
      const other = sampleExecution();
      await store.create(other);
      await store.checkpoint(other.id, [sampleNodeRun(other.id, 0), sampleNodeRun(other.id, 1)]);
      await expect(
        store.checkpoint(other.id, [sampleNodeRun(other.id, 2), sampleNodeRun(other.id, 1)], { status: 'failed' }),
      ).rejects.toThrow();
      expect((await store.listNodeRuns(other.id)).map((r) => r.seq)).toEqual([0, 1]);
      expect((await store.get('ws-a', other.id))?.status).toBe(other.status);
      // a patch alone, and an empty checkpoint, work too
      await store.checkpoint(other.id, [], { status: 'cancelled' });
      expect((await store.get('ws-a', other.id))?.status).toBe('cancelled');
      await expect(store.checkpoint('ex-missing', [], { status: 'failed' })).rejects.toThrow(/ex-missing/);
    });

    it('lists by workflow and status, newest first, with cursor pagination', async () => {
      const made: ExecutionRecord[] = [];
      for (let i = 0; i < 9; i++) {
        const rec = sampleExecution({
          id: `ex-list-${i}`,
          workflowId: i % 3 === 0 ? 'wf-x' : 'wf-y',
          status: i % 2 === 0 ? 'succeeded' : 'failed',
          startedAt: 1_700_000_000_000 + Math.min(i, 4) * 1000,
        });
        made.push(rec);
        await store.create(rec);
      }
      await store.create(sampleExecution({ id: 'ex-other-ws', workspaceId: 'ws-b' }));
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await store.list('ws-a', { limit: 4, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      const expected = [...made].sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id)).map((r) => r.id);
      expect(ids).toEqual(expected);
      const x = await store.list('ws-a', { workflowId: 'wf-x' });
      expect(x.items.map((r) => r.id).sort()).toEqual(['ex-list-0', 'ex-list-3', 'ex-list-6']);
      const failed = await store.list('ws-a', { status: ['failed'], workflowId: 'wf-y' });
      expect(failed.items.map((r) => r.id).sort()).toEqual(['ex-list-1', 'ex-list-5', 'ex-list-7']);
      const both = await store.list('ws-a', { status: ['failed', 'succeeded'], limit: 100 });
      expect(both.items).toHaveLength(9);
      expect(both.items[0]).toEqual(made.find((r) => r.id === expected[0]));
      expect((await store.list('ws-c')).items).toEqual([]);
    });

    it('lists executions due on a timer, oldest first', async () => {
      const at = (n: number) => 1_800_000_000_000 + n * 1000;
      const mk = async (id: string, resumeAt: number | undefined, kind: 'timer' | 'signal' = 'timer') => {
        await store.create(sampleExecution({ id, workspaceId: id.endsWith('b') ? 'ws-b' : 'ws-a', status: 'waiting' }));
        await store.update(id, { wait: { nodeId: 'wait', kind, ...(resumeAt ? { resumeAt } : {}) } });
      };
      await mk('ex-w3', at(3));
      await mk('ex-w1b', at(1));
      await mk('ex-w2', at(2));
      await mk('ex-w9', at(9));
      await mk('ex-sig', undefined, 'signal');
      await store.create(sampleExecution({ id: 'ex-running', status: 'running' }));
      const due = await store.listDueWaiting(at(5), 10);
      expect(due.map((r) => r.id)).toEqual(['ex-w1b', 'ex-w2', 'ex-w3']);
      expect(due[0]?.wait).toEqual({ nodeId: 'wait', kind: 'timer', resumeAt: at(1) });
      expect((await store.listDueWaiting(at(5), 2)).map((r) => r.id)).toEqual(['ex-w1b', 'ex-w2']);
      await store.update('ex-w2', { status: 'running', wait: undefined });
      expect((await store.listDueWaiting(at(5), 10)).map((r) => r.id)).toEqual(['ex-w1b', 'ex-w3']);
    });

    it('transitions an execution only from the expected status, once among racers', async () => {
      const rec = sampleExecution({ status: 'waiting' });
      await store.create(rec);
      await store.update(rec.id, { wait: { nodeId: 'wait', kind: 'timer', resumeAt: 1_800_000_000_000 } });
      expect(await store.transition(rec.id, 'queued', { status: 'running' })).toBe(false);
      const racers = await Promise.all(
        [1, 2, 3].map(() => store.transition(rec.id, 'waiting', { status: 'running', wait: undefined })),
      );
      expect(racers.filter(Boolean)).toHaveLength(1);
      const after = await store.get('ws-a', rec.id);
      expect(after?.status).toBe('running');
      expect(after?.wait).toBeUndefined();
      expect(await store.transition('ex-missing', 'waiting', { status: 'running' })).toBe(false);
    });

    it('lists queued executions started before a time, oldest first', async () => {
      const t0 = 1_600_000_000_000;
      for (const [id, n, status] of [
        ['ex-q3', 3, 'queued'],
        ['ex-q1', 1, 'queued'],
        ['ex-q2', 2, 'queued'],
        ['ex-q9', 9, 'queued'],
        ['ex-r1', 1, 'running'],
      ] as const)
        await store.create(sampleExecution({ id, status, startedAt: t0 + n * 1000, workspaceId: `ws-${n}` }));
      expect((await store.listQueued(t0 + 5000, 10)).map((r) => r.id)).toEqual(['ex-q1', 'ex-q2', 'ex-q3']);
      expect((await store.listQueued(t0 + 5000, 2)).map((r) => r.id)).toEqual(['ex-q1', 'ex-q2']);
      await store.update('ex-q1', { status: 'running' });
      const left = await store.listQueued(t0 + 5000, 10);
      expect(left.map((r) => r.id)).toEqual(['ex-q2', 'ex-q3']);
      expect(left[0]).toMatchObject({ workspaceId: 'ws-2', status: 'queued' });
    });

    it('deletes an execution and its node runs, only in its workspace', async () => {
      const rec = sampleExecution({ idempotencyKey: 'k-del' });
      await store.create(rec);
      await store.checkpoint(rec.id, [sampleNodeRun(rec.id, 0)]);
      expect(await store.delete('ws-b', rec.id)).toBe(false);
      expect(await store.get('ws-a', rec.id)).toBeDefined();
      expect(await store.delete('ws-a', rec.id)).toBe(true);
      expect(await store.get('ws-a', rec.id)).toBeUndefined();
      expect(await store.listNodeRuns(rec.id)).toEqual([]);
      expect(await store.delete('ws-a', rec.id)).toBe(false);
      expect((await store.create(sampleExecution({ idempotencyKey: 'k-del' }))).created).toBe(true);
    });

    it('applies every mix of writes to different executions issued together', async () => {
      const [a, b, c] = [sampleExecution(), sampleExecution(), sampleExecution()];
      await Promise.all([store.create(a), store.create(b), store.create(c)]);
      await Promise.all([
        store.checkpoint(a.id, [sampleNodeRun(a.id, 0)]),
        store.update(b.id, { status: 'failed', finishedAt: 1 }),
      ]);
      await Promise.all([
        store.update(a.id, { status: 'succeeded' }),
        store.checkpoint(c.id, [sampleNodeRun(c.id, 0)], { status: 'running' }),
      ]);
      await Promise.all([store.update(c.id, { status: 'cancelled' }), store.update(b.id, { status: 'succeeded' })]);
      expect((await store.get('ws-a', a.id))?.status).toBe('succeeded');
      expect((await store.get('ws-a', b.id))?.status).toBe('succeeded');
      expect((await store.get('ws-a', c.id))?.status).toBe('cancelled');
      expect(await store.listNodeRuns(a.id)).toHaveLength(1);
      expect(await store.listNodeRuns(c.id)).toHaveLength(1);
    });

    it('keeps every write when many executions are checkpointed at once', async () => {
      const n = 60;
      const records = Array.from({ length: n }, () => sampleExecution());
      await Promise.all(
        records.map(async (rec) => {
          await store.create(rec);
          for (let seq = 0; seq < 3; seq++) await store.checkpoint(rec.id, [sampleNodeRun(rec.id, seq)]);
          await store.checkpoint(rec.id, [sampleNodeRun(rec.id, 3), sampleNodeRun(rec.id, 4)], {
            status: 'succeeded',
            finishedAt: rec.startedAt + 5,
          });
        }),
      );
      for (const rec of records) {
        expect((await store.get('ws-a', rec.id))?.status).toBe('succeeded');
        expect((await store.listNodeRuns(rec.id)).map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
      }
    });
  });
}
