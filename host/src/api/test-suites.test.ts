import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { testSuiteStore } from '../workflows/workflow-tests.js';

const pg = await serviceUrl('pg');

describe.each(sqliteAndPostgres(pg))('workflow test suites on %s', (_title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let base: string;
  const call = (method: string, path: string, body?: unknown) =>
    t.call(method, `${base}${path}`, { token, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost(o.env);
    token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    base = `/api/v1/workspaces/${ws}/workflows/orders`;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: orderWebhookWorkflow('suite-orders', 'orders'),
    });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('saves a webhook execution as a case, runs it, and fails it once the workflow breaks', async () => {
    expect((await call('GET', '/test-suite')).body.code).toBe('test-suite-not-found');
    expect((await call('POST', '/activate')).status).toBe(200);
    const hook = await t.call('POST', '/hooks/suite-orders', {
      body: { customer: 'ada', lines: [{ price: 60, qty: 2 }] },
    });
    expect(hook.status).toBe(200);
    const executionId = hook.headers.get('x-weft-execution-id') as string;
    expect((await call('POST', '/deactivate')).status).toBe(200);

    const saved = await call('POST', '/test-suite/cases/from-execution', { executionId, name: 'large order' });
    expect(saved.status).toBe(201);
    expect(saved.body.suite).toMatchObject({ version: 1, workflowVersion: 1, gate: false });
    expect(saved.body.case.assertions[0].nodes).toEqual([
      'Order received',
      'Compute total',
      'Large order?',
      'Tag large',
      'Respond',
    ]);
    expect((await call('POST', '/test-suite/cases/from-execution', { executionId, name: 'large order' })).status).toBe(
      409,
    );

    const run = await call('POST', '/test-suites/run', {});
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      status: 'passed',
      total: 1,
      passed: 1,
      failed: 0,
      workflowVersion: 1,
      suiteVersion: 1,
    });

    const current = (await t.call('GET', base, { token })).body.workflow;
    const large = current.nodes.find((n: { id: string }) => n.id === 'large');
    large.parameters.conditions[0].right = '1000';
    expect((await t.call('PUT', base, { token, body: current })).status).toBe(200);
    const broken = await call('POST', '/test-suites/run', { cases: ['large order'] });
    expect(broken.body).toMatchObject({ status: 'failed', failed: 1, workflowVersion: 2 });
    const path = broken.body.results[0].assertions[0];
    expect(path).toMatchObject({ kind: 'path', passed: false });
    expect(path.diff[0]).toBe('$[3]: expected "Tag large", received "Tag small"');

    const runs = await call('GET', '/test-suites/runs?limit=1');
    expect(runs.body.items.map((r: { id: string }) => r.id)).toEqual([broken.body.id]);
    const older = await call('GET', `/test-suites/runs?limit=1&cursor=${encodeURIComponent(runs.body.nextCursor)}`);
    expect(older.body.items[0].id).toBe(run.body.id);
    expect((await call('GET', `/test-suites/runs/${run.body.id}`)).body.status).toBe('passed');
    expect((await call('GET', '/test-suites/runs/nope')).status).toBe(404);
    expect((await call('POST', '/test-suites/run', { cases: ['nope'] })).body.code).toBe('unknown-test-case');
  });

  it.skipIf(skip)(
    'takes YAML, names each bad field, and the gate refuses activation while the suite fails',
    async () => {
      const yaml = (await call('GET', '/test-suite?format=yaml')).body.yaml as string;
      expect(yaml).toContain('name: large order');
      const gated = await call('PUT', '/test-suite', { yaml: `gate: true\n${yaml}` });
      expect(gated.status).toBe(200);
      expect(gated.body).toMatchObject({ version: 2, workflowVersion: 2, gate: true });

      const bad = await call('PUT', '/test-suite', {
        suite: { cases: [{ name: 'x', assertions: [{ kind: 'equals', node: 'Ghost', value: 1 }] }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { in: 'body/suite', path: '/cases/0/assertions/0', message: 'names a node "Ghost" the workflow does not have' },
      ]);
      expect((await call('PUT', '/test-suite', { yaml: 'cases: [' })).body.code).toBe('invalid-test-suite');

      const refused = await call('POST', '/activate');
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('test-suite-failing');
      expect(refused.body.detail).toBe('Activation refused: test suite version 2 fails 1 of 1 case ("large order")');
      expect((await t.call('GET', base, { token })).body.active).toBe(false);

      const current = (await t.call('GET', base, { token })).body.workflow;
      current.nodes.find((n: { id: string }) => n.id === 'large').parameters.conditions[0].right = '100';
      await t.call('PUT', base, { token, body: current });
      expect((await call('POST', '/activate')).status).toBe(200);
      expect((await call('GET', '/test-suites/runs?limit=1')).body.items[0]).toMatchObject({
        status: 'passed',
        workflowVersion: 3,
      });
      // While active, a new version goes live at once, so a failing one is not saved either.
      const live = (await t.call('GET', base, { token })).body.workflow;
      live.nodes.find((n: { id: string }) => n.id === 'large').parameters.conditions[0].right = '1000';
      const save = await t.call('PUT', base, { token, body: live });
      expect(save.status).toBe(409);
      expect(save.body.detail).toMatch(
        /^Save refused \(the workflow is active\): test suite version 2 fails 1 of 1 case/,
      );
      expect((await t.call('GET', base, { token })).body).toMatchObject({ version: 3, active: true });
      expect((await t.call('DELETE', base, { token })).status).toBe(204);
      expect((await call('GET', '/test-suite')).body.code).toBe('test-suite-not-found');
      expect((await call('GET', '/test-suites/runs')).body.code).toBe('workflow-not-found');
      const ws = base.split('/')[4] as string;
      expect((await testSuiteStore(t.host.runtime).listRuns(ws, 'orders', { limit: 10 })).items).toEqual([]);
    },
  );
});
