import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { WeftClient } from '@weft/client';
import { createSqliteStorage } from '@weft/sqlite';
import { startWebHost, type WebHost, watchServiceWorker } from './web-host.js';

// The analytics dashboard against a real `weft start` (SQLite, analytics on by default) with
// executions run through the API: live tiles from the realtime SSE stream, charts and health, SLO
// and ROI computed from the ingest's partial buckets (not yet rolled up), per workflow too, and a
// phone-sized layout. Screenshots land in each test's output directory for a look.
test.describe.configure({ mode: 'serial' });

let host: WebHost;
let ws: string;
let client: WeftClient;
const dataDir = mkdtempSync(join(tmpdir(), 'weft-web-analytics-'));

const ok = {
  name: 'Orders',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    {
      id: 'tag',
      name: 'Tag',
      type: 'weft.set',
      parameters: { fields: [{ name: 'seen', value: 'yes' }] },
      position: [260, 0],
    },
  ],
  connections: [{ source: 'start', target: 'tag' }],
};
const broken = {
  name: 'Payments',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    {
      id: 'fail',
      name: 'Fail',
      type: 'weft.stopAndError',
      parameters: { message: 'card declined' },
      position: [260, 0],
    },
  ],
  connections: [{ source: 'start', target: 'fail' }],
};

test.beforeAll(async () => {
  test.setTimeout(120_000); // a host starting on a busy machine, then 12 runs
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false', WEFT_DATA_DIR: dataDir });
  client = new WeftClient({ baseUrl: host.baseUrl });
  await client.auth.login({ email: host.email, password: host.password });
  ws = (await client.auth.me()).workspaces[0]?.id as string;
  const o = await client.workflows.create(ws, ok as never);
  const b = await client.workflows.create(ws, broken as never);
  for (let i = 0; i < 9; i++) await client.workflows.run(ws, o.id, { wait: true });
  for (let i = 0; i < 3; i++) await client.workflows.run(ws, b.id, { wait: true });
});

test.afterAll(async () => {
  await host?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

test('the dashboard shows live figures, charts, health, SLO and ROI from real executions', async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(page).toHaveURL(/\/analytics$/);
  await expect(page.getByRole('heading', { name: 'Analytics' })).toBeVisible();

  // Live tiles come over the SSE stream: 12 production runs, 3 of them failed.
  await expect(page.getByTestId('live-status')).toHaveText('● live');
  await expect(page.getByTestId('rt-runs')).toContainText('12');
  await expect(page.getByTestId('rt-errors')).toContainText('25%');
  await expect(page.getByTestId('rt-inflight')).toContainText('0');

  // Historical series include the buckets not rolled up yet (the ingest writes them every 5 s).
  await expect
    .poll(async () => {
      await page.getByRole('button', { name: '24 hours' }).click();
      // Empty hours count 0 runs (a bar) but have no p95 (no dot): wait for a dot.
      return page.locator('svg[aria-label="p95 duration over time"] circle.an-dot').count();
    })
    .toBeGreaterThan(0);
  await expect(page.locator('svg[aria-label="Runs over time"] rect.an-bar').first()).toBeAttached();
  const health = Number(await page.getByTestId('health-score').textContent());
  expect(health).toBeGreaterThan(0);
  expect(health).toBeLessThan(100);
  await expect(page.getByRole('region', { name: 'Health' })).toContainText('75% of 12 runs succeeded');
  await expect(page.getByTestId('slo-budget')).toContainText('3 bad of 12');
  await expect(page.getByTestId('roi')).toContainText('Successful runs9');
  // ROI comes from the stored settings: the workspace defaults here, saved from the dashboard.
  await expect(page.getByRole('heading', { name: 'Workspace defaults' })).toBeVisible();
  await page.getByLabel('Minutes saved per run').fill('20');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('roi')).toContainText('Hours saved3.0');
  await page.screenshot({ path: testInfo.outputPath('workspace.png'), fullPage: true });

  // One workflow.
  await page.getByLabel('Workflow').selectOption({ label: 'Payments' });
  await expect(page).toHaveURL(/\/analytics\?workflow=/);
  await expect(page.getByRole('region', { name: 'Health' })).toContainText('0% of 3 runs succeeded');
  await expect(page.getByTestId('roi')).toContainText('Successful runs0');
  // The workflow's own SLO: a latency objective over 7 days, the workspace's 20 minutes shown as the fallback.
  await expect(page.getByRole('heading', { name: 'Settings of this workflow' })).toBeVisible();
  await expect(page.getByLabel('Minutes saved per run')).toHaveAttribute('placeholder', '20');
  await page.getByLabel('SLO: latency objective p95 (ms)').fill('2000');
  await page.getByLabel('SLO window (days)').fill('7');
  await page.getByLabel('SLO: runs that succeed (%)').fill('95');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('slo-objective')).toHaveText('95% of runs finish under 2.0 s, 7 days');
  await page.screenshot({ path: testInfo.outputPath('workflow.png'), fullPage: true });
});

test('the dashboard reflows on a phone and follows new runs live', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto(`${host.baseUrl}/analytics`);
  await expect(page.getByTestId('rt-runs')).toContainText('12');
  const { items } = await client.workflows.list(ws);
  await client.workflows.run(ws, items.find((w) => w.name === 'Orders')!.id, { wait: true });
  // The stream pushes every 5 s.
  await expect(page.getByTestId('rt-runs')).toContainText('13', { timeout: 15_000 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath('phone.png'), fullPage: true });
});

test('firing alerts of a workflow and of the whole workspace show on the dashboard', async ({ page }, testInfo) => {
  // The evaluator needs closed, rolled-up 5-minute buckets (minutes after the runs) to start an
  // alert; the host tests cover that. Here its record of two alerts starting (as it writes it, in
  // the host's own database) is what the dashboard must show, read through GET …/analytics/alerts.
  const { items } = await client.workflows.list(ws);
  const payments = items.find((w) => w.name === 'Payments')!.id;
  const since = Date.now() - 600_000;
  const storage = await createSqliteStorage({ filename: join(dataDir, 'weft.db') });
  const row = { workspace_id: ws, active: 1, version: 1, since };
  await storage.db
    .insertInto('analytics_alert_state')
    .values([
      {
        ...row,
        workflow_id: payments,
        kind: 'anomaly',
        detail: JSON.stringify({ metric: 'errorRate', value: 1, score: 0.97 }),
      },
      {
        ...row,
        workflow_id: '',
        kind: 'slo_burn',
        detail: JSON.stringify({ rules: [{ rule: 'fast burn', severity: 'page', longBurnRate: 25 }], target: 0.99 }),
      },
    ])
    .execute();
  await storage.close();
  await signIn(page);
  await page.goto(`${host.baseUrl}/analytics`);
  const alerts = page.getByRole('region', { name: 'Alerts firing' });
  await expect(alerts.getByTestId('firing-alert')).toHaveCount(2);
  await expect(alerts).toContainText('Payments: Anomaly in the error rate (100%)');
  await expect(alerts).toContainText('Whole workspace: SLO burn rate: page, fast burn at 25.0x');
  await page.screenshot({ path: testInfo.outputPath('alerts.png'), fullPage: true });
  // One workflow's dashboard shows its own alerts only; another's shows none.
  await page.getByLabel('Workflow').selectOption({ label: 'Payments' });
  await expect(alerts.getByTestId('firing-alert')).toHaveCount(1);
  await expect(alerts).toContainText('Payments: Anomaly');
  await page.getByLabel('Workflow').selectOption({ label: 'Orders' });
  // Orders has 9 or 10 runs, as the phone test's live run comes before this test or not; all succeeded.
  await expect(page.getByRole('region', { name: 'Health' })).toContainText(/100% of \d+ runs succeeded/);
  await expect(alerts).toHaveCount(0);
});

test('alert push messages become notifications, the resolution replacing the start; Settings opts a device into them', async ({
  page,
  context,
}) => {
  const pushReady = await watchServiceWorker(page, context, host.baseUrl);
  await signIn(page);
  const push = await pushReady();
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => ({ title: n.title, body: n.body, tag: n.tag }))
        .sort((a, b) => a.tag.localeCompare(b.tag)),
    );
  const burn = {
    kind: 'alert',
    workspaceId: ws,
    workflowId: 'wf-pay',
    workflowName: 'Payments',
    alert: 'slo_burn',
    active: true,
    message: 'The error budget is burning at 25.0x (fast burn)',
  };
  const workspaceAnomaly = {
    kind: 'alert',
    workspaceId: ws,
    workflowId: '',
    alert: 'anomaly',
    active: true,
    message: 'Anomalous error rate: 40.0%',
  };
  // Delivery is retried until the worker shows it; an alert without its workflow id is ignored.
  await expect
    .poll(async () => {
      await push({ kind: 'alert', workspaceId: ws, alert: 'slo_burn', active: true, message: 'x' });
      await push(burn);
      await push(workspaceAnomaly);
      return shown();
    })
    .toEqual([
      { title: 'Workspace: Anomaly alert', body: 'Anomalous error rate: 40.0%', tag: 'alert-anomaly-' },
      {
        title: 'Payments: SLO burn-rate alert',
        body: 'The error budget is burning at 25.0x (fast burn)',
        tag: 'alert-slo_burn-wf-pay',
      },
    ]);
  await expect
    .poll(async () => {
      await push({ ...burn, active: false, message: 'The error budget stopped burning fast' });
      return (await shown()).find((n) => n.tag === 'alert-slo_burn-wf-pay');
    })
    .toEqual({
      title: 'Payments: SLO burn-rate alert resolved',
      body: 'The error budget stopped burning fast',
      tag: 'alert-slo_burn-wf-pay',
    });
  expect(await shown()).toHaveLength(2);

  // The opt-in is remembered per workspace on this device.
  await page.goto(`${host.baseUrl}/settings`);
  const optIn = page.getByLabel('Also analytics alerts (SLO burn rate, anomalies), as they start and resolve');
  await expect(optIn).not.toBeChecked();
  await optIn.check();
  await page.reload();
  await expect(optIn).toBeChecked();
});
