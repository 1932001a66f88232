import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysRotateCommand } from '../cli/maintenance-commands.js';
import { storedText } from '../testing/database-dump.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pgService = await serviceUrl('pg');
const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const MARKER = `PHI-${randomBytes(6).toString('hex')}`;

describe.each(sqliteAndPostgres(pgService))('payload encryption at rest on %s', (name, skip, open) => {
  let t: TestHost;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  const work = mkdtempSync(join(tmpdir(), 'weft-hipaa-test-'));
  const path = `hipaa-${name.toLowerCase()}-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    env = { ...o.env, WEFT_DATA_DIR: work, WEFT_MASTER_KEY: K1 };
    t = await startTestHost(env, { keepDir: true });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'sealed in the database, plain through the API, and still readable after weft keys rotate',
    async () => {
      const token = await t.login('owner@example.com', 'owner-password');
      const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      const settings = `/api/v1/workspaces/${ws}/compliance-settings`;
      const set = await t.call('PUT', settings, {
        token,
        body: { scanBlockSeverity: null, subjectPaths: [], encryptPayloads: true },
      });
      expect(set.status).toBe(200);
      expect(set.body.encryptPayloads).toBe(true);
      expect((await t.call('GET', settings, { token })).body.encryptPayloads).toBe(true);
      const bad = await t.call('PUT', settings, {
        token,
        body: { scanBlockSeverity: null, subjectPaths: [], encryptPayloads: 'yes' },
      });
      expect(bad.status).toBe(400);

      await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
        token,
        body: {
          id: 'intake',
          name: 'intake',
          nodes: [
            {
              id: 'hook',
              name: 'Hook',
              type: 'weft.webhook',
              parameters: { path, methods: ['POST'], responseMode: 'lastNode' },
            },
            {
              id: 'tag',
              name: 'Tag',
              type: 'weft.set',
              parameters: { fields: [{ name: 'note', value: 'seen' }] },
            },
          ],
          connections: [{ source: 'hook', target: 'tag' }],
        },
      });
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/intake/activate`, { token })).status).toBe(200);
      const hook = await fetch(`${t.base}/hooks/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ diagnosis: MARKER }),
      });
      expect(hook.status).toBe(200);
      const executionId = hook.headers.get('x-weft-execution-id') as string;
      const readBack = async (host: TestHost, tok: string) => {
        const e = await host.call('GET', `/api/v1/workspaces/${ws}/executions/${executionId}`, { token: tok });
        expect(e.status).toBe(200);
        return JSON.stringify(e.body);
      };
      expect(await readBack(t, token)).toContain(MARKER);

      // A run that fails with the payload in its error message: the message is sealed too.
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
        token,
        body: {
          id: 'refuse',
          name: 'refuse',
          nodes: [
            { id: 'hook', name: 'Hook', type: 'weft.webhook', parameters: { path: `${path}-x`, methods: ['POST'] } },
            {
              id: 'stop',
              name: 'Stop',
              type: 'weft.stopAndError',
              parameters: { message: 'refused {{ $json.body.diagnosis }}' },
            },
          ],
          connections: [{ source: 'hook', target: 'stop' }],
        },
      });
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/refuse/activate`, { token })).status).toBe(200);
      const failing = await fetch(`${t.base}/hooks/${path}-x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ diagnosis: `${MARKER}-err` }),
      });
      const failedId = failing.headers.get('x-weft-execution-id') as string;
      let failed: { status?: string; error?: { message: string }; nodeRuns?: { error?: { message: string } }[] } = {};
      for (let i = 0; i < 100 && failed.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        failed = (await t.call('GET', `/api/v1/workspaces/${ws}/executions/${failedId}`, { token })).body;
      }
      expect(failed.error?.message).toContain(`refused ${MARKER}-err`);
      expect(failed.nodeRuns?.find((r) => r.error)?.error?.message).toContain(`refused ${MARKER}-err`);

      const stored = await storedText(env, ['executions', 'node_runs']);
      expect(stored).toContain('$sealed');
      expect(stored).toContain('[sealed]');
      expect(stored).not.toContain(MARKER);

      // Rotate online (the host keeps running), with both keys configured for the command.
      const lines: string[] = [];
      const rotateEnv = { ...env, WEFT_MASTER_KEY: `${K1},${K2}`, WEFT_LOG_LEVEL: 'silent' };
      expect(await keysRotateCommand({ to: 'k2' }, (l) => lines.push(l), rotateEnv)).toBe(0);
      expect(lines.at(-1)).toMatch(/and [1-9]\d* payload and subject keys?; they now open with k2/);
      expect(await readBack(t, token)).toContain(MARKER);
      // A second run finds nothing left to do (a stopped run resumes the same way).
      lines.length = 0;
      expect(await keysRotateCommand({ to: 'k2' }, (l) => lines.push(l), rotateEnv)).toBe(0);
      expect(lines.at(-1)).toMatch(/and 0 payload and subject keys/);

      // Without the old master key at all, the payloads still open.
      await t.close();
      t = await startTestHost({ ...env, WEFT_MASTER_KEY: K2 }, { keepDir: true });
      const again = await t.login('owner@example.com', 'owner-password');
      expect(await readBack(t, again)).toContain(MARKER);
    },
  );
});
