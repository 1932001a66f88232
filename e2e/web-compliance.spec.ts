import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// The compliance pages against a real `weft start` (SQLite): the audit log and its verified
// badge, scan findings linking to their node, GDPR requests, and reports.
test.describe.configure({ mode: 'serial' });
let host: WebHost;
// Built at run time so this file holds no key-shaped string.
const awsKey = `AKIA${'QWERTYUIOPASDFGH'}`;

test.beforeAll(async () => {
  test.setTimeout(120_000); // a busy machine takes a while to start the host
  host = await startWebHost();
  const { client, workspaceId } = await ownerClient(host);
  await client.workflows.create(workspaceId, {
    id: 'leaky',
    name: 'Leaky sync',
    nodes: [
      { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
      {
        id: 'tag',
        name: 'Tag with key',
        type: 'weft.set',
        parameters: { fields: [{ name: 'key', value: awsKey }] },
        position: [260, 0],
      },
    ],
    connections: [{ source: 'start', target: 'tag' }],
  } as never);
  await client.workspaces.createApiKey(workspaceId, { name: 'CI deploy', role: 'operator' });
});

test.afterAll(async () => {
  await host?.stop();
});

test('audit log shows the chain verified and the entries', async ({ page }, info) => {
  await signIn(page, host);
  await page.getByRole('link', { name: 'Compliance', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Compliance' })).toBeVisible();
  await expect(page).toHaveURL(/\/compliance$/);
  await expect(page.getByRole('status').filter({ hasText: /^\s*Verified: \d+ entries/ })).toBeVisible();
  const rows = page.locator('table.audit-log tbody tr');
  await expect(rows.filter({ hasText: 'workflow.create' }).first()).toBeVisible();
  await expect(rows.filter({ hasText: 'api-key.create' }).first()).toBeVisible();
  await page.getByLabel('Action').fill('workflow.');
  await page.getByLabel('Action').press('Enter');
  await expect(rows.filter({ hasText: 'api-key.create' })).toHaveCount(0);
  await expect(rows.filter({ hasText: 'workflow.create' })).toHaveCount(1);
  await page.screenshot({ path: info.outputPath('audit-log.png'), fullPage: true });
});

test('a scan finding links to its node in the editor', async ({ page }, info) => {
  await signIn(page, host, host, { path: '/signin?next=%2Fcompliance%2Fscans', expectUrl: /\/compliance\/scans$/ });
  const row = page.locator('table.scan-findings tbody tr').filter({ hasText: 'secret/aws-access-key-id' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('critical');
  await expect(page.locator('table.scan-findings')).not.toContainText(awsKey);
  await page.screenshot({ path: info.outputPath('scan-findings.png'), fullPage: true });
  await row.getByRole('link', { name: 'Node tag' }).click();
  await expect(page).toHaveURL(/\/workflows\/leaky\?node=tag$/);
  await expect(page.locator('weft-inspector')).toContainText('Tag with key');
  await page.screenshot({ path: info.outputPath('finding-node.png') });
});

test('GDPR export stores a bundle with an expiring link, erasure deletes it, deadlines are listed', async ({
  page,
}, info) => {
  test.setTimeout(90_000); // two requests and a download on a busy machine
  await signIn(page, host, host, { path: '/signin?next=%2Fcompliance%2Fgdpr', expectUrl: /\/compliance\/gdpr$/ });
  await expect(page.getByText('No data-subject requests yet.')).toBeVisible();
  await page.getByLabel('Data subject').fill('ada@example.org');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Export of ada@example.org is ready' })).toBeVisible();
  const rows = page.locator('table.gdpr-requests tbody tr');
  // By the kind cell: the erasure's result also mentions export bundles.
  const exportRow = rows.filter({ has: page.getByRole('cell', { name: 'export', exact: true }) });
  const link = exportRow.getByRole('link', { name: /^Download \(\d+ KB\)$/ });
  await expect(link).toBeVisible();
  await expect(exportRow).toContainText('expires');
  await expect(exportRow.locator('td.gdpr-result')).toHaveText(
    /^Exported \d+ executions? and \d+ audit entr(y|ies)\.$/,
  );
  expect(await link.getAttribute('href')).toMatch(/\/data-subject-exports\/gdpr_[^?]+\?expires=\d+&kid=.+&sig=/);
  const download = page.waitForEvent('download');
  await link.click();
  const file = await (await download).path();
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  expect(bundle).toMatchObject({ format: 'weft-data-subject-export/1', subject: 'ada@example.org' });
  await page.screenshot({ path: info.outputPath('gdpr-export.png'), fullPage: true });

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Erase subject' }).click();
  await expect(page.getByRole('status')).toHaveText(/^Erased ada@example\.org: (key destroyed|nothing was sealed)/);
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ has: page.getByRole('cell', { name: 'erasure', exact: true }) })).toHaveCount(1);
  await expect(exportRow).toHaveCount(1);
  await expect(exportRow).toContainText('Erased with the subject');
  await expect(exportRow.getByRole('link', { name: /^Download/ })).toHaveCount(0);
  // The result as a sentence, not the recorded keys (keyDestroyed: false, requestId: …).
  const erasureResult = rows
    .filter({ has: page.getByRole('cell', { name: 'erasure', exact: true }) })
    .locator('td.gdpr-result');
  await expect(erasureResult).toHaveText(
    /^Erased: (key destroyed, \d+ executions? made unreadable|nothing was sealed for this subject).*; 1 export bundle deleted\.$/,
  );
  await expect(page.locator('table.gdpr-requests')).not.toContainText(/keyDestroyed|requestId|exportBundlesDeleted/);
  // Received now, due 30 days later.
  const received = await rows.first().locator('td').nth(2).textContent();
  const deadline = await rows.first().locator('td').nth(3).textContent();
  expect(received).toBeTruthy();
  expect(deadline).not.toEqual(received);
  await page.screenshot({ path: info.outputPath('gdpr.png'), fullPage: true });
});

test('reports: generate one, read it in the page, download its JSON', async ({ page }, info) => {
  await signIn(page, host, host, { path: '/signin?next=%2Fcompliance%2Freports', expectUrl: /\/compliance\/reports$/ });
  await expect(page.getByText('No reports yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Generate report' }).click();
  const frame = page.frameLocator('iframe.report-frame');
  await expect(frame.getByRole('heading', { name: /Compliance report/ })).toBeVisible();
  await expect(frame.locator('#mfa-coverage')).toContainText('0% (0 of 1 members)');
  await expect(frame.locator('#audit-chain')).toContainText('Verified:');
  await expect(frame.getByRole('cell', { name: 'leaky', exact: true })).toBeVisible();
  const rows = page.locator('table.reports tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('verified');
  await page.screenshot({ path: info.outputPath('reports.png'), fullPage: true });
  const download = page.waitForEvent('download');
  await rows.first().getByRole('button', { name: 'JSON' }).click();
  const report = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(report).toMatchObject({
    format: 'weft-compliance-report/1',
    members: { total: 1, byRole: { owner: 1 } },
    auditChain: { ok: true },
  });
  const leaky = report.scans.workflows.find((w: { workflowId: string }) => w.workflowId === 'leaky');
  expect(leaky.findings.critical).toBeGreaterThanOrEqual(1);
  expect(report.scans.findings.critical).toBeGreaterThanOrEqual(leaky.findings.critical);
});
