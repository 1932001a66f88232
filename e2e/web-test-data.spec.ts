import { expect, type Locator, type Page, test } from '@playwright/test';
import { WeftClient } from '@weft/client';
import { startWebHost, type WebHost } from './web-host.js';

// Data while building, in the editor against a real `weft start`: listen for a test event on a
// webhook trigger (the request runs the document and is pinned), pin data, Execute step with the
// pinned and previous data, and a trigger payload for Test and Debug.
test.describe.configure({ mode: 'serial' });

let host: WebHost;
let workflowId: string;
let workspaceId: string;
let client: WeftClient;

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
  client = new WeftClient({ baseUrl: host.baseUrl });
  await client.auth.login({ email: host.email, password: host.password });
  workspaceId = (await client.auth.me()).workspaces[0]?.id as string;
  workflowId = (await client.workflows.create(workspaceId, flow as never)).id;
});

test.afterAll(async () => {
  await host?.stop();
});

async function openEditor(page: Page, id = workflowId): Promise<void> {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await page.goto(`${host.baseUrl}/workflows/${id}`);
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

test('a copied node takes its pinned output along when pasted; the original keeps its pin', async ({ page }) => {
  test.setTimeout(60_000);
  await openEditor(page);
  await canvasNode(page, 'Total').click();
  await page.getByRole('button', { name: 'Pin data…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pinned output of Total' });
  await dialog.getByLabel(/JSON/).fill('[{ "qty": 7 }, { "qty": 8 }]');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 2 items/);

  await canvasNode(page, 'Total').click();
  await page.keyboard.press('Control+c');
  await page.locator('weft-canvas .weft-flow__pane').click({ position: { x: 400, y: 380 } });
  await page.keyboard.press('Control+v');
  await expect(canvasNode(page, 'Total 1')).toHaveCount(1);
  // the copy lands beside the original, partly over it: move it clear
  const box = (await canvasNode(page, 'Total 1').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 200, { steps: 8 });
  await page.mouse.up();
  await canvasNode(page, 'Total 1').click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 2 items/);
  await page.getByRole('button', { name: 'Edit pin' }).click();
  const copied = page.getByRole('dialog', { name: 'Pinned output of Total 1' });
  await expect(copied.getByLabel(/JSON/)).toHaveValue(/"qty": 7[\s\S]*"qty": 8/);
  await copied.getByRole('button', { name: 'Cancel' }).click();

  // Unpinning the copy leaves the original's pin alone: the pins are per node, not shared.
  await page.getByRole('button', { name: 'Unpin' }).click();
  await expect(page.locator('.node-tools .pin-state')).toHaveCount(0);
  await canvasNode(page, 'Total').click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 2 items/);
});

test('pins this browser kept by node name move into the workflow, then follow their node through a rename', async ({
  page,
}) => {
  test.setTimeout(60_000);
  // a workflow of its own: the others' shared (co-edited) document already has pins
  const id = (await client.workflows.create(workspaceId, { ...flow, name: 'Legacy pins' } as never)).id;
  const key = `weft.testData.${workspaceId}.${id}`;
  await page.goto(`${host.baseUrl}/signin`);
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key as string, value as string),
    [
      key,
      JSON.stringify({
        pins: { Total: [{ json: { qty: 5 } }], 'Gone node': [{ json: { x: 1 } }] },
        payload: [{ json: { body: { qty: 3 } } }],
      }),
    ],
  );
  await openEditor(page, id);
  const notice = page.locator('.editor .notice');
  await expect(notice).toContainText('Pinned data kept in this browser moved into the workflow (Total)');
  await expect(notice).toContainText('Dropped pins of nodes no longer here: Gone node');
  // what stays in the browser is the trigger payload only
  expect(JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key)) as string)).toEqual({
    payload: [{ json: { body: { qty: 3 } } }],
  });

  await canvasNode(page, 'Total').click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);
  const name = page.locator('weft-inspector').getByLabel('Name', { exact: true });
  await name.fill('Sum');
  await name.press('Tab');
  await expect(canvasNode(page, 'Sum')).toHaveCount(1);
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(notice).toHaveText(/Saved version/);

  // Saved with the workflow under the node's id: a reload finds it there, not in the browser.
  await page.reload();
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(3);
  await canvasNode(page, 'Sum').click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);
  await page.getByRole('button', { name: 'Edit pin' }).click();
  await expect(page.getByRole('dialog', { name: 'Pinned output of Sum' }).getByLabel(/JSON/)).toHaveValue(/"qty": 5/);
  await expect(page.locator('.editor .notice', { hasText: 'moved into the workflow' })).toHaveCount(0);
});
