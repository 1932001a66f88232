import { randomUUID } from 'node:crypto';
import type { TestRunRecord, TestSuiteStore } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Creates a store for one test; `peer` is a second instance on the same data (itself in memory). */
export type TestSuiteStoreFactory = () => Promise<{
  store: TestSuiteStore;
  peer: TestSuiteStore;
  cleanup?: () => Promise<void>;
}>;

function run(ws: string, wf: string, id: string, createdAt: number, status: 'passed' | 'failed'): TestRunRecord {
  return {
    id,
    workspaceId: ws,
    workflowId: wf,
    workflowVersion: 2,
    suiteVersion: 1,
    status,
    total: 2,
    passed: status === 'passed' ? 2 : 1,
    failed: status === 'passed' ? 0 : 1,
    durationMs: 12.5,
    results: [{ name: 'large order', status, assertions: [{ kind: 'equals', passed: false, diff: '- 1\n+ 2' }] }],
    createdAt,
  };
}

/**
 * The contract every test suite store must meet: each save is a new version that records the
 * workflow version, earlier versions stay readable, documents round-trip unchanged (and are
 * copied), runs are listed newest first with a cursor, workspaces never see each other's suites or
 * runs, and deleting a workflow's suite removes its versions and runs.
 *
 * @example
 * ```ts
 * describeTestSuiteStoreConformance('memory', async () => {
 *   const store = new MemoryTestSuiteStore();
 *   return { store, peer: store };
 * });
 * ```
 */
export function describeTestSuiteStoreConformance(name: string, factory: TestSuiteStoreFactory): void {
  describe(`TestSuiteStore conformance: ${name}`, () => {
    let store: TestSuiteStore;
    let peer: TestSuiteStore;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    beforeEach(async () => {
      ({ store, peer, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('versions each save and keeps earlier versions', async () => {
      const suite = { cases: [{ name: 'ünïcødé "case"', input: [{ json: { n: 1.5, list: [null, true] } }] }] };
      const first = await store.save(ws, 'wf1', { workflowVersion: 3, suite, gate: true });
      expect(first).toMatchObject({ workspaceId: ws, workflowId: 'wf1', version: 1, workflowVersion: 3, gate: true });
      suite.cases.push({ name: 'changed after save', input: [] });
      const second = await store.save(ws, 'wf1', { workflowVersion: 4, suite: { cases: [] }, gate: false });
      expect(second.version).toBe(2);
      const latest = await peer.get(ws, 'wf1');
      expect(latest).toMatchObject({ version: 2, workflowVersion: 4, gate: false, suite: { cases: [] } });
      const v1 = await peer.getVersion(ws, 'wf1', 1);
      expect(v1?.suite).toEqual({
        cases: [{ name: 'ünïcødé "case"', input: [{ json: { n: 1.5, list: [null, true] } }] }],
      });
      expect(typeof v1?.createdAt).toBe('number');
      expect(await store.getVersion(ws, 'wf1', 3)).toBeUndefined();
      expect(await store.get(ws, 'other')).toBeUndefined();
      expect(await store.get(`${ws}-other`, 'wf1')).toBeUndefined();
    });

    it('stores runs and lists them newest first with a cursor', async () => {
      await store.save(ws, 'wf1', { workflowVersion: 2, suite: { cases: [] }, gate: false });
      await store.addRun(run(ws, 'wf1', 'r1', 1000, 'failed'));
      await store.addRun(run(ws, 'wf1', 'r2', 2000, 'passed'));
      await store.addRun(run(ws, 'wf1', 'r3', 3000, 'failed'));
      await store.addRun(run(ws, 'wf2', 'r4', 4000, 'passed'));
      expect(await peer.getRun(ws, 'r1')).toEqual(run(ws, 'wf1', 'r1', 1000, 'failed'));
      expect(await peer.getRun(`${ws}-other`, 'r1')).toBeUndefined();
      const page1 = await peer.listRuns(ws, 'wf1', { limit: 2 });
      expect(page1.items.map((r) => r.id)).toEqual(['r3', 'r2']);
      expect(page1.nextCursor).toBeTypeOf('string');
      const page2 = await peer.listRuns(ws, 'wf1', { limit: 2, cursor: page1.nextCursor as string });
      expect(page2.items.map((r) => r.id)).toEqual(['r1']);
      expect(page2.nextCursor).toBeUndefined();
      expect((await peer.latestRun(ws, 'wf1'))?.id).toBe('r3');
      expect(await peer.latestRun(ws, 'none')).toBeUndefined();
      await expect(store.addRun(run(ws, 'wf1', 'r1', 5000, 'passed'))).rejects.toThrow();
    });

    it('deletes a workflow suite with its versions and runs, and nothing else', async () => {
      await store.save(ws, 'wf1', { workflowVersion: 1, suite: { cases: [] }, gate: false });
      await store.save(ws, 'wf1', { workflowVersion: 2, suite: { cases: [] }, gate: false });
      await store.save(ws, 'wf2', { workflowVersion: 1, suite: { cases: [] }, gate: false });
      await store.addRun(run(ws, 'wf1', 'r1', 1000, 'passed'));
      await store.addRun(run(ws, 'wf2', 'r2', 1000, 'passed'));
      expect(await store.delete(ws, 'wf1')).toBe(true);
      expect(await peer.get(ws, 'wf1')).toBeUndefined();
      expect(await peer.getVersion(ws, 'wf1', 1)).toBeUndefined();
      expect(await peer.getRun(ws, 'r1')).toBeUndefined();
      expect((await peer.get(ws, 'wf2'))?.version).toBe(1);
      expect(await peer.getRun(ws, 'r2')).toBeDefined();
      expect(await store.delete(ws, 'wf1')).toBe(false);
    });
  });
}
