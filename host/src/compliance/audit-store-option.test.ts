import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditHead, AuditStore, SealedAuditEntry } from '@weft/engine';
import { type HostDb, SqlAuditStore } from '@weft/sql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createHost, type Host } from '../create-host.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'weft-audit-store-'));
  const seen: { action: string; ownHandle: boolean }[] = [];
  let host: Host;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({
      WEFT_DATA_DIR: dir,
      WEFT_PORT: '0',
      WEFT_HOST: '127.0.0.1',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_SEED_EXAMPLES: 'false',
      WEFT_OWNER_EMAIL: 'owner@example.com',
      WEFT_OWNER_PASSWORD: 'owner-password',
    });
    host = await createHost(config, {
      logger: pino({ level: 'silent' }),
      announce: () => {},
      auditStore: noting(seen, () => host.runtime.h.db),
    });
    base = await host.listen();
  });
  afterAll(async () => {
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes request entries and in-transaction entries through the given store', async () => {
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return res.json();
    };
    const { accessToken } = await call('POST', '/auth/login', {
      email: 'owner@example.com',
      password: 'owner-password',
    });
    const ws = (await call('GET', '/workspaces', undefined, accessToken)).items[0].id;
    const flow = {
      id: 'f',
      name: 'f',
      nodes: [{ id: 'm', name: 'M', type: 'weft.manualTrigger', parameters: {} }],
      connections: [],
    };
    await call('POST', `/workspaces/${ws}/workflows`, flow, accessToken);
    await call('PUT', `/workspaces/${ws}/workflows/f`, { ...flow, name: 'renamed' }, accessToken);
    // The login entry is written after its response, on the runtime's handle; workflow writes in
    // their own transaction, on the handle the store was built for.
    await expect.poll(() => seen.map((s) => s.action)).toContain('auth.login');
    expect(seen.find((s) => s.action === 'auth.login')?.ownHandle).toBe(false);
    expect(seen.filter((s) => s.action.startsWith('workflow.'))).toEqual([
      { action: 'workflow.create', ownHandle: true },
      { action: 'workflow.update', ownHandle: true },
    ]);
    // And they are the host's audit log: the chain verifies.
    const verify = await call('GET', `/workspaces/${ws}/audit-log/verify`, undefined, accessToken);
    expect(verify.ok).toBe(true);
  });
});
