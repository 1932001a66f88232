import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../cli/scan-command.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { scanBlockSeverity } from './workflow-scans.js';

const pg = await serviceUrl('pg');
// Built at run time so this file holds no key-shaped string.
const awsKey = `AKIA${'QWERTYUIOPASDFGH'}`;

function withSecret(id: string) {
  const wf = orderWebhookWorkflow(`gate-${id}`, id);
  const set = wf.nodes.find((n) => n.id === 'tag-large');
  if (set) set.parameters = { fields: [{ name: 'key', value: awsKey }] };
  return wf;
}

describe.each(sqliteAndPostgres(pg))('scans on save and the activation gate on %s', (_title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let token: string;
  let ws: string;
  const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;

  beforeAll(async () => {
    if (skip) return;
    const backend = await open();
    drop = backend.drop;
    t = await startTestHost({ ...backend.env, WEFT_SEED_EXAMPLES: 'false' });
    env = { ...backend.env, WEFT_DATA_DIR: t.host.runtime.config.dataDir };
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('stores a scan run per save and refuses activation naming the finding', async () => {
    expect((await t.call('POST', api('/workflows'), { token, body: withSecret('leaky') })).status).toBe(201);
    const runs = await t.call('GET', api('/scan-runs?workflowId=leaky'), { token });
    expect(runs.status).toBe(200);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({ workflowVersion: 1, source: 'save', counts: { critical: 1, high: 1 } });
    expect(JSON.stringify(runs.body)).not.toContain(awsKey);

    const refused = await t.call('POST', api('/workflows/leaky/activate'), { token });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('scan-blocks-activation');
    expect(refused.body.detail).toContain('secret/aws-access-key-id');
    expect(refused.body.errors[0].path).toMatch(/^\/nodes\/\d+\/parameters\/fields\/0\/value$/);
    expect((await t.call('GET', api('/workflows/leaky'), { token })).body.active).toBe(false);

    const clean = orderWebhookWorkflow('gate-leaky', 'leaky');
    expect((await t.call('PUT', api('/workflows/leaky'), { token, body: clean })).status).toBe(200);
    expect((await t.call('POST', api('/workflows/leaky/activate'), { token })).status).toBe(200);
    // A new version of an active workflow goes live at once, so the gate applies to the save.
    const save = await t.call('PUT', api('/workflows/leaky'), { token, body: withSecret('leaky') });
    expect(save.status).toBe(422);
    expect((await t.call('GET', api('/workflows/leaky'), { token })).body.version).toBe(2);
    const page = await t.call('GET', api('/scan-runs?workflowId=leaky&limit=1'), { token });
    expect(page.body.items[0]).toMatchObject({ workflowVersion: 2, counts: { critical: 0 } });
    const next = await t.call('GET', api(`/scan-runs?workflowId=leaky&limit=1&cursor=${page.body.nextCursor}`), {
      token,
    });
    expect(next.body.items[0].workflowVersion).toBe(1);
    const one = await t.call('GET', api(`/scan-runs/${next.body.items[0].id}?format=sarif`), { token });
    expect(one.body.sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain(
      'secret/aws-access-key-id',
    );
  });

  it.skipIf(skip)('blocks at the workspace severity, else the environment default', async () => {
    await t.call('POST', api('/workflows/leaky/deactivate'), { token });
    const set = await t.call('PUT', api('/compliance-settings'), {
      token,
      body: { scanBlockSeverity: 'high', subjectPaths: [] },
    });
    expect(set.body).toMatchObject({ scanBlockSeverity: 'high', effectiveScanBlockSeverity: 'high' });
    const refused = await t.call('POST', api('/workflows/leaky/activate'), { token });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('trigger/webhook-without-auth');
    await t.call('PUT', api('/compliance-settings'), { token, body: { scanBlockSeverity: 'off', subjectPaths: [] } });
    expect((await t.call('POST', api('/workflows/leaky/activate'), { token })).status).toBe(200);
    await t.call('PUT', api('/compliance-settings'), { token, body: { scanBlockSeverity: null, subjectPaths: [] } });
    expect(await scanBlockSeverity(t.host.runtime, ws, { WEFT_SCAN_BLOCK_SEVERITY: 'Medium' })).toBe('medium');
    expect(await scanBlockSeverity(t.host.runtime, ws, {})).toBe('critical');
    await expect(scanBlockSeverity(t.host.runtime, ws, { WEFT_SCAN_BLOCK_SEVERITY: 'loud' })).rejects.toThrow(
      'WEFT_SCAN_BLOCK_SEVERITY must be one of critical, high, medium, low, off (got "loud")',
    );
    const bad = await t.call('PUT', api('/compliance-settings'), {
      token,
      body: { scanBlockSeverity: 'severe', subjectPaths: [] },
    });
    expect(bad.status).toBe(400);
  });

  it.skipIf(skip)(
    'weft scan reads a file or a stored workflow, as text, JSON or SARIF, and fails at --fail-on',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'weft-scan-'));
      const file = join(dir, 'leaky.json');
      writeFileSync(file, JSON.stringify(withSecret('file-wf')));
      const lines: string[] = [];
      const code = await scanCommand(
        { target: file, format: 'sarif', failOn: 'critical' },
        t.host.runtime.registry,
        (l) => lines.push(l),
      );
      expect(code).toBe(1);
      expect(JSON.parse(lines.join('\n')).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
        file,
      );
      const text: string[] = [];
      expect(
        await scanCommand({ target: 'leaky', workspace: ws }, t.host.runtime.registry, (l) => text.push(l), env),
      ).toBe(0);
      expect(text.at(-1)).toBe('2 finding(s): 0 critical, 1 high, 0 medium, 1 low');
      const runs = await t.call('GET', api('/scan-runs?workflowId=leaky&limit=1'), { token });
      expect(runs.body.items[0].source).toBe('cli');
      await expect(
        scanCommand({ target: 'nope', workspace: ws }, t.host.runtime.registry, () => {}, env),
      ).rejects.toThrow(`No workflow file or stored workflow "nope" in workspace ${ws}`);
      await expect(scanCommand({ target: file, failOn: 'loud' }, t.host.runtime.registry, () => {})).rejects.toThrow(
        '--fail-on must be one of',
      );
    },
  );

  it.skipIf(skip)('deleting the workspace deletes its scan runs and compliance settings', async () => {
    const { db } = t.host.runtime.h;
    await t.call('PUT', api('/compliance-settings'), {
      token,
      body: { scanBlockSeverity: 'low', subjectPaths: ['email'] },
    });
    expect(
      (await db.selectFrom('scan_runs').select('id').where('workspace_id', '=', ws).execute()).length,
    ).toBeGreaterThan(0);
    expect((await t.call('DELETE', `/api/v1/workspaces/${ws}`, { token })).status).toBe(204);
    for (const table of ['scan_runs', 'compliance_settings'] as const)
      expect(await db.selectFrom(table).select('workspace_id').where('workspace_id', '=', ws).execute()).toEqual([]);
  });
});
