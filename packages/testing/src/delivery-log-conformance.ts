import { randomUUID } from 'node:crypto';
import type { DeliveryLog, DeliveryLogEntry } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Creates a log for one test, on storage no other test writes to (`list` without a workspace
 * filter is checked too).
 */
export type DeliveryLogFactory = () => Promise<{ log: DeliveryLog; cleanup?: () => Promise<void> }>;

/**
 * The contract every delivery log must meet: an entry is read back unchanged (optional fields
 * included) by the process that recorded it; `list` is newest first by `at`, then `id`; each
 * filter (workspace, workflow, endpoint, direction) narrows the result and workspaces never see
 * each other's entries; `limit` (default 100) and the keyset cursor `before` page through equal
 * timestamps without gaps or repeats; concurrent records are all kept.
 *
 * @example
 * ```ts
 * describeDeliveryLogConformance('memory', async () => ({ log: new MemoryDeliveryLog() }));
 * ```
 */
export function describeDeliveryLogConformance(name: string, factory: DeliveryLogFactory): void {
  describe(`DeliveryLog conformance: ${name}`, () => {
    let log: DeliveryLog;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    beforeEach(async () => {
      ({ log, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const T0 = 1_700_000_000_000;
    // Ids of one length from digits, so every collation orders them the same way.
    const entry = (n: number, overrides: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry => ({
      id: `d${String(n).padStart(6, '0')}`,
      direction: 'inbound',
      endpoint: 'orders',
      workspaceId: ws,
      attempt: 1,
      status: 202,
      ok: true,
      durationMs: 4,
      at: T0 + n,
      ...overrides,
    });
    const ids = (entries: DeliveryLogEntry[]) => entries.map((e) => e.id);

    it('reads an entry back unchanged, optional fields included', async () => {
      const full = entry(1, {
        direction: 'outbound',
        endpoint: 'sub_1',
        workflowId: 'wf-orders',
        method: 'POST',
        event: 'order.created',
        attempt: 3,
        status: null,
        ok: false,
        error: 'connect ECONNREFUSED 127.0.0.1:9 — ünïcødé',
        refusedReason: 'webhook-signature-invalid',
        durationMs: 1250,
        executionId: 'ex-1',
      });
      const bare = entry(2);
      await log.record(full);
      await log.record(bare);
      expect(await log.list({ workspaceId: ws })).toEqual([bare, full]);
    });

    it('lists newest first by time, then by id for equal times', async () => {
      const recorded = [entry(5), entry(1), entry(3, { at: T0 + 9 }), entry(2, { at: T0 + 9 }), entry(4)];
      for (const e of recorded) await log.record(e);
      expect(ids(await log.list({ workspaceId: ws }))).toEqual(['d000003', 'd000002', 'd000005', 'd000004', 'd000001']);
    });

    it('narrows by workflow, endpoint and direction, all given conditions holding', async () => {
      await log.record(entry(1, { workflowId: 'wf-a', endpoint: 'a', direction: 'inbound' }));
      await log.record(entry(2, { workflowId: 'wf-a', endpoint: 'sub_1', direction: 'outbound' }));
      await log.record(entry(3, { workflowId: 'wf-b', endpoint: 'b', direction: 'inbound' }));
      await log.record(entry(4, { endpoint: 'sub_1', direction: 'outbound' }));
      expect(ids(await log.list({ workspaceId: ws, workflowId: 'wf-a' }))).toEqual(['d000002', 'd000001']);
      expect(ids(await log.list({ workspaceId: ws, endpoint: 'sub_1' }))).toEqual(['d000004', 'd000002']);
      expect(ids(await log.list({ workspaceId: ws, direction: 'inbound' }))).toEqual(['d000003', 'd000001']);
      expect(ids(await log.list({ workspaceId: ws, workflowId: 'wf-a', direction: 'inbound' }))).toEqual(['d000001']);
      expect(await log.list({ workspaceId: ws, workflowId: 'wf-b', direction: 'outbound' })).toEqual([]);
    });

    it("keeps workspaces apart, and lists every workspace's entries without a filter", async () => {
      const other = `ws-${randomUUID()}`;
      await log.record(entry(1));
      await log.record(entry(2, { workspaceId: other }));
      await log.record(entry(3));
      expect(ids(await log.list({ workspaceId: ws }))).toEqual(['d000003', 'd000001']);
      expect(ids(await log.list({ workspaceId: other }))).toEqual(['d000002']);
      expect(await log.list({ workspaceId: `ws-${randomUUID()}` })).toEqual([]);
      expect(ids(await log.list())).toEqual(['d000003', 'd000002', 'd000001']);
    });

    it('returns at most `limit` entries, 100 by default', async () => {
      for (let n = 1; n <= 105; n++) await log.record(entry(n));
      const page = await log.list({ workspaceId: ws });
      expect(page).toHaveLength(100);
      expect(page[0]?.id).toBe('d000105');
      expect(page[99]?.id).toBe('d000006');
      expect(ids(await log.list({ workspaceId: ws, limit: 2 }))).toEqual(['d000105', 'd000104']);
    });

    it('pages with the `before` cursor through equal timestamps without gaps or repeats', async () => {
      // Three entries per millisecond, recorded out of order.
      const all = Array.from({ length: 25 }, (_, i) => entry(i + 1, { at: T0 + Math.floor(i / 3) }));
      for (const e of [...all].reverse()) await log.record(e);
      const seen: string[] = [];
      let before: { at: number; id: string } | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await log.list({ workspaceId: ws, limit: 4, ...(before ? { before } : {}) });
        seen.push(...ids(page));
        const last = page.at(-1);
        if (!last) break;
        before = { at: last.at, id: last.id };
      }
      expect(seen).toEqual(ids([...all].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))));
    });

    it('keeps every one of many concurrent records', async () => {
      await Promise.all(Array.from({ length: 250 }, (_, i) => log.record(entry(i + 1, { attempt: (i % 5) + 1 }))));
      const listed = await log.list({ workspaceId: ws, limit: 1000 });
      expect(listed).toHaveLength(250);
      expect(new Set(ids(listed)).size).toBe(250);
      expect(listed[0]).toEqual(entry(250, { attempt: 5 }));
    });

    it('hands out copies: changing a recorded or listed entry changes nothing stored', async () => {
      const e = entry(1);
      await log.record(e);
      e.status = 500;
      const [read] = await log.list({ workspaceId: ws });
      expect(read?.status).toBe(202);
      if (read) read.endpoint = 'changed';
      expect((await log.list({ workspaceId: ws }))[0]?.endpoint).toBe('orders');
    });
  });
}
