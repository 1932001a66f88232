import { expect, type Page, test } from '@playwright/test';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// The editor's Ask AI panel against a real `weft start` with no model configured (the offline
// planner): build a workflow from a request, watch it drawn, accept, save and run it; then change
// the saved workflow in words and look at the diff before accepting.
test.describe.configure({ mode: 'serial' });

let host: WebHost;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
});

test.afterAll(async () => {
  await host?.stop();
});

const nodes = (page: Page) => page.locator('weft-canvas .weft-flow__node:not(.note)');
const canvasNode = (page: Page, name: string) =>
  page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });

test('builds a workflow from a request, accepts, saves and runs it', async ({ page }, info) => {
  test.setTimeout(90_000);
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/workflows/new`);
  const panel = page.getByRole('region', { name: 'Ask AI' });
  await expect(panel).toBeVisible();
  await panel
    .getByRole('textbox', { name: 'Ask AI' })
    .fill('When a webhook is called at /ai-orders, if amount > 100 send to Slack #big-orders otherwise respond ok');
  await panel.getByRole('button', { name: 'Build workflow' }).click();

  const proposal = page.getByRole('region', { name: 'AI proposal' });
  await expect(proposal).toBeVisible();
  await expect(nodes(page)).toHaveCount(4);
  await expect(proposal.locator('.ai-steps li')).toHaveText([
    'Webhook',
    'If',
    'Slack: Send message',
    'Respond to Webhook',
  ]);
  await page.screenshot({ path: info.outputPath('1-proposal.png') });

  await proposal.getByRole('button', { name: 'Accept' }).click();
  await expect(proposal).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'AI changes accepted' })).toBeVisible();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved version 1' })).toBeVisible();
  await expect(page).toHaveURL(/\/workflows\/(?!new)[^/]+$/);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(canvasNode(page, 'Respond to Webhook')).toHaveClass(/status-succeeded/, { timeout: 20_000 });
  await expect(canvasNode(page, 'If')).toHaveClass(/status-succeeded/);
  await expect(page.locator('.run-status')).toContainText('succeeded');
  await page.screenshot({ path: info.outputPath('2-ran.png') });

  await page.getByRole('button', { name: 'Inactive' }).click();
  // exact: "Inactive" contains "active", so a substring match passes before the activation answered.
  await expect(page.getByRole('button', { name: 'Active', exact: true })).toBeVisible();
  const hook = await fetch(`${host.baseUrl}/hooks/ai-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 20 }),
  });
  expect(hook.status).toBe(200);
  expect(await hook.text()).toContain('ok');
});

test('changes the saved workflow in words, shows the diff, and rejects or accepts it', async ({ page }, info) => {
  test.setTimeout(60_000);
  await signIn(page, host);
  await page
    .getByRole('link', { name: /When a webhook is called/ })
    .first()
    .click();
  await expect(nodes(page)).toHaveCount(4);
  const panel = page.getByRole('region', { name: 'Ask AI' });
  const ask = panel.getByRole('textbox', { name: 'Ask AI' });

  await ask.fill('add a wait of 5 seconds before the Slack message');
  await panel.getByRole('button', { name: 'Change workflow' }).click();
  const proposal = page.getByRole('region', { name: 'AI proposal' });
  await expect(proposal.locator('.ai-diff .added').first()).toHaveText('+ Wait');
  await expect(nodes(page)).toHaveCount(5);
  await page.screenshot({ path: info.outputPath('3-diff.png') });
  await proposal.getByRole('button', { name: 'Reject' }).click();
  await expect(nodes(page)).toHaveCount(4);

  await ask.fill('remove the Slack message');
  await panel.getByRole('button', { name: 'Change workflow' }).click();
  await expect(proposal.locator('.ai-diff .removed').first()).toHaveText('− Slack: Send message');
  await proposal.getByRole('button', { name: 'Accept' }).click();
  await expect(nodes(page)).toHaveCount(3);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved version 2' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('4-accepted.png') });
});

test('marks optimisation findings on their nodes and applies one as a new version', async ({ page }, info) => {
  test.setTimeout(60_000);
  const { client, workspaceId: ws } = await ownerClient(host);
  const node = (id: string, type: string, x: number, y = 0) => ({
    id,
    name: id,
    type,
    parameters: {},
    position: [x, y],
  });
  const { id } = await client.workflows.create(ws, {
    name: 'Has a leftover node',
    nodes: [
      node('Start', 'weft.manualTrigger', 0),
      node('Work', 'weft.noOp', 260),
      node('Leftover', 'weft.noOp', 260, 160),
    ],
    connections: [{ source: 'Start', target: 'Work' }],
  } as never);
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/workflows/${id}`);
  await expect(nodes(page)).toHaveCount(3);
  const panel = page.getByRole('region', { name: 'Ask AI' });
  await panel.getByRole('button', { name: 'Find optimisations' }).click();
  const findings = panel.getByRole('list', { name: 'Optimisations' });
  await expect(findings.getByRole('listitem')).toHaveCount(1);
  await expect(findings).toContainText('Leftover');
  await expect(canvasNode(page, 'Leftover').locator('.badge.problems')).toHaveAttribute(
    'title',
    /Optimisation: .*Leftover/,
  );
  await expect(canvasNode(page, 'Work').locator('.badge.problems')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('5-findings.png') });
  await findings.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved version 2' })).toBeVisible();
  await expect(nodes(page)).toHaveCount(2);
  const stored = await client.workflows.get(ws, id);
  expect(stored.version).toBe(2);
  expect(stored.workflow.nodes.map((n) => n.id)).toEqual(['Start', 'Work']);
});

test('shows insights from recent executions on the node that fails, with links to them', async ({ page }, info) => {
  test.setTimeout(60_000);
  const { client, workspaceId: ws } = await ownerClient(host);
  const { id } = await client.workflows.create(ws, {
    name: 'Charges cards',
    nodes: [
      { id: 'Start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
      {
        id: 'Charge',
        name: 'Charge',
        type: 'weft.stopAndError',
        parameters: { message: 'card declined for order {{ $json.order }}' },
        position: [260, 0],
      },
    ],
    connections: [{ source: 'Start', target: 'Charge' }],
  } as never);
  for (const order of [101, 102, 103]) {
    await client.workflows.run(ws, id, { input: [{ json: { order } }], wait: true }).catch(() => undefined);
  }
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/workflows/${id}`);
  await expect(nodes(page)).toHaveCount(2);
  const panel = page.getByRole('region', { name: 'Ask AI' });
  await panel.getByRole('button', { name: 'Show insights' }).click();
  const list = panel.getByRole('list', { name: 'Insights' });
  await expect(list.getByRole('listitem').first()).toContainText(/Charge: fails 3× .*card declined for order 10[123]/);
  await expect(list.getByRole('link', { name: 'see run' }).first()).toHaveAttribute('href', /^\/executions\//);
  await expect(canvasNode(page, 'Charge').locator('.badge.problems')).toHaveAttribute(
    'title',
    /Insight: Charge: fails 3×/,
  );
  await page.screenshot({ path: info.outputPath('6-insights.png') });
  // The trigger may be flagged as a cost driver, never as failing.
  for (const title of await canvasNode(page, 'Start')
    .locator('.badge.problems')
    .evaluateAll((els) => els.map((e) => e.getAttribute('title'))))
    expect(title).not.toMatch(/fails/);
});
