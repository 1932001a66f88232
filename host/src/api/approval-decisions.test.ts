import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const backends = sqliteAndPostgres(await serviceUrl('pg'));

const approvalFlow = {
  id: 'approval',
  name: 'Approval',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'a', name: 'Approve', type: 'weft.approval', parameters: { message: 'ok?' } },
    { id: 'y', name: 'Yes', type: 'weft.set', parameters: { fields: [{ name: 'decision', value: 'yes' }] } },
  ],
  connections: [
    { source: 't', target: 'a' },
    { source: 'a', sourcePort: 'approved', target: 'y' },
  ],
};

describe.each(backends)(
  'approval decisions with an idempotency key (offline queues resend them) on %s',
  (_n, skip, open) => {
    let t: TestHost;
    let drop: (() => Promise<void>) | undefined;
    let owner: string;
    let ws: string;
    const api = (p: string) => `/api/v1/workspaces/${ws}${p}`;
    const park = async () =>
      (await t.call('POST', api('/workflows/approval/run'), { token: owner, body: { wait: true } })).body
        .executionId as string;

    beforeAll(async () => {
      if (skip) return;
      const o = await open();
      drop = o.drop;
      t = await startTestHost(o.env);
      owner = await t.login('owner@example.com', 'owner-password');
      ws = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id;
      await t.call('POST', api('/workflows'), { token: owner, body: approvalFlow });
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    it.skipIf(skip)('a resent decision answers 200 replayed and the execution resumes once', async () => {
      const id = await park();
      const body = { decisionId: 'd-1', comment: 'fine' };
      const first = await t.call('POST', api(`/executions/${id}/approve`), { token: owner, body });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ executionId: id, status: 'succeeded' });
      const again = await t.call('POST', api(`/executions/${id}/approve`), { token: owner, body });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ executionId: id, status: 'succeeded', replayed: true });
      const detail = await t.call('GET', api(`/executions/${id}`), { token: owner });
      const yes = detail.body.nodeRuns.filter((r: { nodeId: string }) => r.nodeId === 'y');
      expect(yes).toHaveLength(1);
    });

    it.skipIf(skip)('a different decision gets 409 naming who decided first', async () => {
      const id = await park();
      const invite = await t.call('POST', api('/invites'), {
        token: owner,
        body: { role: 'editor', email: 'ed@example.com' },
      });
      const signup = await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email: 'ed@example.com', password: 'password-123', name: 'Edith' },
      });
      const editor = signup.body.accessToken as string;
      expect(
        (await t.call('POST', api(`/executions/${id}/reject`), { token: editor, body: { decisionId: 'e-1' } })).status,
      ).toBe(200);
      const late = await t.call('POST', api(`/executions/${id}/approve`), {
        token: owner,
        body: { decisionId: 'o-1' },
      });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('not-awaiting-approval');
      expect(late.body.decision).toMatchObject({ approved: false, byName: 'Edith', decisionId: 'e-1' });
    });

    it.skipIf(skip)('rejects an empty or oversized key, naming the field', async () => {
      const id = await park();
      for (const decisionId of ['', 'x'.repeat(101)]) {
        const r = await t.call('POST', api(`/executions/${id}/approve`), { token: owner, body: { decisionId } });
        expect(r.status).toBe(400);
        expect(JSON.stringify(r.body)).toContain('decisionId');
      }
    });
  },
);
