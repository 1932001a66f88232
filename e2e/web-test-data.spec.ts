import { expect, type Locator, type Page, test } from '@playwright/test';
import { WeftClient } from '@weft/client';
import { startWebHost, type WebHost } from './web-host.js';

// Data while building, in the editor against a real `weft start`: listen for a test event on a
// webhook trigger (the request runs the document and is pinned), pin data, Execute step with the
// pinned and previous data, and a trigger payload for Test and Debug.
test.describe.configure({ mode: 'serial' });

let host: WebHost;
let workflowId: string;

const set = (id: string, name: string, field: string, value: string, x: number) => ({
  id,
  name,
  type: 'weft.set',
  parameters: { fields: [{ name: field, value }] },
  position: [x, 0],
});

/** Order in (webhook) -> Total (sum of qty) -> Label. */
const flow = {
  name: 'Orders under test',
  nodes: [
    { id: 'hook', name: 'Order in', type: 'weft.webhook', parameters: { path: 'e2e/orders' }, position: [0, 0] },
    set('total', 'Total', 'qty', '{{ $json.body.qty * 2 }}', 260),
    set('label', 'Label', 'label', 'qty={{ $json.qty }}', 520),
  ],
  connections: [
    { source: 'hook', target: 'total' },
    { source: 'total', target: 'label' },
  ],
};

test.beforeAll(async () => {
  test.setTimeout(90_000);
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
  const client = new WeftClient({ baseUrl: host.baseUrl });
  await client.auth.login({ email: host.email, password: host.password });
  const ws = (await client.auth.me()).workspaces[0]?.id as string;
  workflowId = (await client.workflows.create(ws, flow as never)).id;
});

test.afterAll(async () => {
  await host?.stop();
});

async function openEditor(page: Page): Promise<void> {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await page.goto(`${host.baseUrl}/workflows/${workflowId}`);
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(3);
}

const canvasNode = (page: Page, name: string): Locator =>
  page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });
const output = (page: Page) => page.locator('.inspector-pane weft-execution-view');

test('listen for a test event, pin it, execute a step with pinned data, give Test a payload', async ({
  page,
}, info) => {
  test.setTimeout(60_000);
  await openEditor(page);
  await canvasNode(page, 'Order in').click();
  await page.getByRole('button', { name: 'Listen for test event' }).click();
  const listening = page.locator('.node-tools .listening');
  await expect(listening).toContainText(`${host.baseUrl}/hooks-test/e2e/orders`);
  await page.screenshot({ path: info.outputPath('listening.png') });

  const sent = await fetch(`${host.baseUrl}/hooks-test/e2e/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ qty: 4 }),
  });
  expect(sent.status).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'Test event received' })).toBeVisible();
  await expect(canvasNode(page, 'Label')).toHaveClass(/status-succeeded/);
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);
  await canvasNode(page, 'Label').click();
  await expect(output(page)).toContainText('qty=8');
  await page.screenshot({ path: info.outputPath('test-event-run.png') });

  // Pin Total's output as typed JSON: Execute step on Label uses it instead of running Total.
  await canvasNode(page, 'Total').click();
  await page.getByRole('button', { name: 'Pin data…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pinned output of Total' });
  const json = dialog.getByLabel(/JSON/);
  await json.fill('{ "qty": 100, }');
  await expect(dialog.getByRole('alert')).toContainText('Not valid JSON (line 1');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await page.screenshot({ path: info.outputPath('pin-invalid.png') });
  await json.fill('{ "qty": 100 }');
  await expect(dialog.getByRole('status')).toHaveText('1 item');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);

  await canvasNode(page, 'Label').click();
  await page.getByRole('button', { name: 'Execute step' }).click();
  const ran = page.getByRole('status').filter({ hasText: 'Ran up to Label with the data of' });
  await expect(ran).toContainText('Total');
  await expect(ran).toContainText('Order in');
  await expect(output(page)).toContainText('qty=100');
  await page.screenshot({ path: info.outputPath('execute-step.png') });

  // A trigger payload for Test; with the pins removed the document runs from it.
  await canvasNode(page, 'Order in').click();
  await page.getByRole('button', { name: 'Unpin' }).click();
  await canvasNode(page, 'Total').click();
  await page.getByRole('button', { name: 'Unpin' }).click();
  await page.getByRole('button', { name: 'Payload…' }).click();
  const payload = page.getByRole('dialog', { name: 'Trigger payload for Test and Debug' });
  await payload.getByLabel(/JSON/).fill('{ "body": { "qty": 21 } }');
  await payload.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Payload ●' })).toBeVisible();
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await canvasNode(page, 'Label').click();
  await expect(output(page)).toContainText('qty=42');
  await page.screenshot({ path: info.outputPath('payload-test.png') });

  // Debug starts from the same payload.
  await page.getByRole('button', { name: 'Debug', exact: true }).click();
  await expect(page.locator('.debug-bar .debug-status')).toHaveText('Paused before Order in. Step runs it.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await canvasNode(page, 'Label').click();
  await expect(output(page)).toContainText('qty=42');
});
