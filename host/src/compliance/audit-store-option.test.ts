import type { AuditHead, AuditStore, SealedAuditEntry } from '@weft/engine';
import { type HostDb, SqlAuditStore } from '@weft/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

/** An `SqlAuditStore` that notes each action it appends and on which database handle. */
function noting(seen: { action: string; ownHandle: boolean }[], rootDb: () => unknown) {
  return (h: HostDb): AuditStore =>
    new (class extends SqlAuditStore {
      override append(ws: string, seal: (head: AuditHead) => Promise<SealedAuditEntry>) {
        return super.append(ws, async (head) => {
          const sealed = await seal(head);
          seen.push({ action: sealed.action, ownHandle: h.db !== rootDb() });
          return sealed;
        });
      }
    })(h);
}

describe('createHost auditStore option', () => {
  const seen: { action: string; ownHandle: boolean }[] = [];
  let t: TestHost;

  beforeAll(async () => {
    t = await startTestHost({}, { auditStore: noting(seen, () => t.host.runtime.h.db) });
  });
  afterAll(() => t?.close());

  it('writes request entries and in-transaction entries through the given store', async () => {
    const token = await t.login('owner@example.com', 'owner-password');
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await t.call(method, `/api/v1${path}`, { token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return res.body;
    };
    const ws = (await call('GET', '/workspaces')).items[0].id;
    const flow = {
      id: 'f',
      name: 'f',
      nodes: [{ id: 'm', name: 'M', type: 'weft.manualTrigger', parameters: {} }],
      connections: [],
    };
    await call('POST', `/workspaces/${ws}/workflows`, flow);
    await call('PUT', `/workspaces/${ws}/workflows/f`, { ...flow, name: 'renamed' });
    // The login entry is written after its response, on the runtime's handle; workflow writes in
    // their own transaction, on the handle the store was built for.
    await expect.poll(() => seen.map((s) => s.action)).toContain('auth.login');
    expect(seen.find((s) => s.action === 'auth.login')?.ownHandle).toBe(false);
    expect(seen.filter((s) => s.action.startsWith('workflow.'))).toEqual([
      { action: 'workflow.create', ownHandle: true },
      { action: 'workflow.update', ownHandle: true },
    ]);
    // And they are the host's audit log: the chain verifies.
    expect((await call('GET', `/workspaces/${ws}/audit-log/verify`)).ok).toBe(true);
  });
});
