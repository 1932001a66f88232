import { expect, test } from '@playwright/test';
import { ownerClient, startWebHost, type WebHost } from './web-host.js';

// The home-screen quick action "Run a workflow" on a phone (issue 21): a deep link to /run/<id>
// survives sign-in, the form is prefilled from the trigger's sample item, runs the workflow and
// shows the result; invalid JSON is explained and blocks the run. Real `weft start`, real Chromium.
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 } });

let host: WebHost;
let workflowId: string;
let failingId: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
  const { client, workspaceId: ws } = await ownerClient(host);
  const created = await client.workflows.create(ws, {
    name: 'Greets a customer',
    nodes: [
      { id: 'Start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
      {
        id: 'Greet',
        name: 'Greet',
        type: 'weft.set',
        parameters: { fields: [{ name: 'greeting', value: 'Hello {{ $json.name }}, {{ $json.count }} items' }] },
        position: [260, 0],
      },
    ],
    connections: [{ source: 'Start', target: 'Greet' }],
    pinData: { Start: [{ json: { name: 'Ada', count: 2 } }] },
  } as never);
  workflowId = created.id;
  const failing = await client.workflows.create(ws, {
    name: 'Charges a card',
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
  failingId = failing.id;
  // Its last run's input is the sample the form offers.
  await client.workflows.run(ws, failingId, { input: [{ json: { order: 7 } }], wait: true });
});

test.afterAll(async () => {
  await host?.stop();
});

test('a deep link to /run/<id> survives sign-in, runs with the form and shows the result', async ({ page }, info) => {
  test.setTimeout(60_000);
  await page.goto(`${host.baseUrl}/run/${workflowId}`);
  await expect(page).toHaveURL(new RegExp(`/signin\\?next=${encodeURIComponent(`/run/${workflowId}`)}$`));
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/run/${workflowId}$`));
  await expect(page.getByRole('heading', { name: 'Run a workflow' })).toBeVisible();
  await expect(page.getByText('Greets a customer · v1')).toBeVisible();
  const name = page.getByRole('textbox', { name: 'name', exact: true });
  await expect(name).toHaveValue('Ada');
  await expect(page.getByRole('textbox', { name: 'count', exact: true })).toHaveValue('2');
  await name.fill('Grace');
  await expect(page.getByRole('textbox', { name: 'Input (JSON)' })).toHaveValue(/"name": "Grace"/);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const result = page.getByRole('status', { name: 'Result' });
  await expect(result.locator('.pill')).toHaveText('succeeded', { timeout: 20_000 });
  await expect(result).toContainText('Hello Grace, 2 items');
  await expect(result.getByRole('link', { name: 'Open execution' })).toHaveAttribute('href', /^\/executions\/[^/]+$/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath('1-ran.png') });

  const raw = page.getByRole('textbox', { name: 'Input (JSON)' });
  await raw.fill('{\n  "name": "Grace",\n  "count": \n}');
  await expect(page.getByRole('alert')).toContainText(/Invalid JSON: .*line 4, column 1/);
  await expect(raw).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: 'name', exact: true })).toHaveValue('Grace');
  await expect(page.getByRole('textbox', { name: 'name', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await page.screenshot({ path: info.outputPath('2-invalid.png') });
  await raw.fill('{ "name": "Lin", "count": 5 }');
  await expect(page.getByRole('alert')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  await expect(page.getByRole('textbox', { name: 'name', exact: true })).toHaveValue('Lin');
});

test('/run lists the workspace workflows with a search, and picking one opens its form', async ({ page }, info) => {
  await page.goto(`${host.baseUrl}/signin?next=%2Frun`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const list = page.getByRole('list', { name: 'Workflows' });
  await expect(list.getByRole('link')).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search workflows' }).fill('greet');
  await expect(list.getByRole('link')).toHaveText(['Greets a customer']);
  await page.screenshot({ path: info.outputPath('3-list.png') });
  await list.getByRole('link', { name: 'Greets a customer' }).click();
  await expect(page).toHaveURL(new RegExp(`/run/${workflowId}$`));
  await expect(page.getByRole('textbox', { name: 'name', exact: true })).toHaveValue('Ada');
});

test('a failing run shows failed with the error; the form comes from the last run input', async ({ page }, info) => {
  await page.goto(`${host.baseUrl}/signin?next=${encodeURIComponent(`/run/${failingId}`)}`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const order = page.getByRole('textbox', { name: 'order', exact: true });
  await expect(order).toHaveValue('7');
  await order.fill('42');
  await expect(page.getByRole('textbox', { name: 'Input (JSON)' })).toHaveValue(/"order": 42/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const result = page.getByRole('status', { name: 'Result' });
  await expect(result.locator('.pill')).toHaveText('failed', { timeout: 20_000 });
  await expect(result).toContainText('card declined for order 42');
  await page.screenshot({ path: info.outputPath('4-failed.png') });
});
