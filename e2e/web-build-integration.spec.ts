import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { startWebHost, type WebHost } from './web-host.js';

// A new user builds webhook -> HTTP Request -> If -> Slack in an empty workspace only through
// the UI (palette search, inspector fields, connections dragged between handles, credentials made
// on the credentials page and from the node's picker), listens for a test event, saves, activates,
// calls the webhook and reads the execution node by node. HTTP Request calls an orders API and
// Slack a Slack-API server, both node:http on loopback. WEFT_SCREENSHOTS=<dir> writes the README's
// editor screenshots.
test.describe.configure({ mode: 'serial' });

const shots = process.env.WEFT_SCREENSHOTS;
let host: WebHost;
let orders: Server;
let slack: Server;
let ordersBase: string;
let slackBase: string;
const posted: { channel: string; text: string }[] = [];
const orderCalls: string[] = [];

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const base = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  orders = await listen((req, _body, res) => {
    if (req.headers['x-api-key'] !== 'orders-secret') return json(res, 401, { error: 'bad key' });
    const id = /^\/orders\/(\w+)$/.exec(req.url ?? '')?.[1];
    if (!id) return json(res, 404, { error: 'no such order' });
    orderCalls.push(id);
    json(res, 200, { id, customer: 'Ada', total: id === 'small' ? 20 : 250 });
  });
  slack = await listen((req, body, res) => {
    if (req.headers.authorization !== 'Bearer xoxb-e2e') return json(res, 200, { ok: false, error: 'invalid_auth' });
    const parsed = body ? JSON.parse(body) : {};
    switch (req.url) {
      case '/api/auth.test':
        return json(res, 200, { ok: true, team: 'Weft', user: 'orders-bot' });
      case '/api/conversations.list':
        return json(res, 200, {
          ok: true,
          channels: [
            { id: 'C100', name: 'general' },
            { id: 'C200', name: 'orders' },
          ],
          response_metadata: { next_cursor: '' },
        });
      case '/api/chat.postMessage':
        posted.push({ channel: parsed.channel, text: parsed.text });
        return json(res, 200, { ok: true, channel: parsed.channel, ts: '1700000000.000100' });
      default:
        return json(res, 200, { ok: false, error: 'unknown_method' });
    }
  });
  ordersBase = base(orders);
  slackBase = `${base(slack)}/api`;
  host = await startWebHost({ WEFT_HTTP_ALLOW: '127.0.0.1/32', WEFT_SEED_EXAMPLES: 'false' });
});

test.afterAll(async () => {
  await host?.stop();
  await new Promise((r) => orders?.close(r));
  await new Promise((r) => slack?.close(r));
});

const canvasNode = (page: Page, name: string): Locator =>
  page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });
const handle = (page: Page, name: string, type: 'source' | 'target', port = 'main'): Locator =>
  canvasNode(page, name).locator(`.weft-flow__handle.${type}[data-handleid="${port}"]`);
const inspector = (page: Page) => page.locator('weft-inspector');

async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png` });
}

/** Drags a connection from one handle to another with real mouse events. */
async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  if (!a) throw new Error('source handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2, { steps: 4 });
  const b = await to.boundingBox();
  if (!b) throw new Error('target handle not visible');
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** Searches the palette and adds the node type; the new node is selected in the inspector. */
async function addNode(page: Page, search: string, type: string): Promise<void> {
  const palette = page.locator('.palette-pane weft-node-palette');
  await palette.locator('input').fill(search);
  await palette.locator(`li.item[data-type="${type}"]`).click();
}

test('a new user builds webhook -> HTTP Request -> If -> Slack in the UI, activates it and sees it run', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();

  // The orders API key, on the credentials page.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
  const form = page.locator('weft-credential-form');
  await form.getByLabel('Credential type').selectOption({ label: 'HTTP Request — Header auth' });
  await form.getByLabel('Name', { exact: true }).fill('Orders API key');
  await form.getByLabel('Header name').fill('x-api-key');
  await form.getByLabel('Header value').fill('orders-secret');
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(page.locator('.card', { hasText: 'Orders API key' })).toBeVisible();

  // An empty workflow.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
  await page.getByRole('button', { name: 'New workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/new$/);
  await page.getByLabel('Workflow name').fill('Big orders to Slack');
  await page.getByLabel('Workflow name').press('Enter');

  await addNode(page, 'webhook', 'weft.webhook');
  await inspector(page).locator('[data-param="path"] input').fill('orders');

  await addNode(page, 'http', 'http.request');
  // Placed right of the selected webhook, in view: flows read left to right.
  const [hookBox, httpBox] = [
    await canvasNode(page, 'Webhook').boundingBox(),
    await canvasNode(page, 'HTTP Request').boundingBox(),
  ];
  expect(httpBox && hookBox && httpBox.x - (hookBox.x + hookBox.width)).toBeGreaterThan(20);
  expect(httpBox?.y).toBeCloseTo(hookBox?.y ?? 0, 0);
  await inspector(page).getByLabel(/^URL/).first().fill(`${ordersBase}/orders/{{ $json.body.id }}`);
  await inspector(page)
    .getByLabel(/^Credential/)
    .selectOption({ label: 'Orders API key' });

  await addNode(page, 'if', 'weft.if');
  await inspector(page).getByRole('button', { name: /Add/ }).first().click();
  await inspector(page).getByRole('textbox', { name: 'Value', exact: true }).fill('{{ $json.total }}');
  await inspector(page)
    .getByRole('combobox', { name: 'Operator', exact: true })
    .selectOption({ label: 'is greater than' });
  await inspector(page).getByRole('textbox', { name: 'Compare to', exact: true }).fill('100');

  await addNode(page, 'slack send', 'slack.sendMessage');
  await inspector(page)
    .getByLabel(/^Credential/)
    .selectOption({ label: '+ Create new credential…' });
  const dialog = page.locator('weft-credential-dialog dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name', { exact: true }).fill('Orders bot');
  await dialog.getByLabel('Token').fill('xoxb-e2e');
  await dialog.getByLabel('API base URL').fill(slackBase);
  await shot(page, 'credential-dialog');
  await dialog.getByRole('button', { name: 'Save and test' }).click();
  await expect(dialog).toBeHidden();
  await inspector(page).locator('[data-param="channel"] select').selectOption({ label: '#orders' });
  await inspector(page)
    .locator('[data-param="text"] textarea, [data-param="text"] input')
    .first()
    .fill('Big order {{ $json.id }} from {{ $json.customer }}: {{ $json.total }}');

  await page.locator('weft-canvas').getByRole('button', { name: 'Fit view' }).click();
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(4);
  await connect(page, handle(page, 'Webhook', 'source'), handle(page, 'HTTP Request', 'target'));
  await connect(page, handle(page, 'HTTP Request', 'source'), handle(page, 'If', 'target'));
  await connect(page, handle(page, 'If', 'source', 'true'), handle(page, 'Send message', 'target'));
  await expect(page.locator('weft-canvas g.edge')).toHaveCount(3);
  await page.locator('.palette-pane weft-node-palette input').fill('');
  await shot(page, 'editor');

  // Listen for a test event: a small order runs the unsaved document and goes the false way.
  await canvasNode(page, 'Webhook').click();
  await page.getByRole('button', { name: 'Listen for test event' }).click();
  await expect(page.locator('.node-tools .listening')).toContainText(`${host.baseUrl}/hooks-test/orders`);
  const sample = await fetch(`${host.baseUrl}/hooks-test/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'small' }),
  });
  expect(sample.status, await sample.text()).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'Test event received' })).toBeVisible();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);
  await expect(canvasNode(page, 'If')).toHaveClass(/status-succeeded/);
  await canvasNode(page, 'HTTP Request').click();
  await expect(page.locator('.inspector-pane weft-execution-view')).toContainText('Ada');
  await shot(page, 'test-event');
  expect(orderCalls).toEqual(['small']);
  expect(posted).toEqual([]);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved version 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Inactive' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Webhook is live' })).toBeVisible();
  // The pin is part of the saved document (shown on the node), not of this browser.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('weft.testData.')) localStorage.removeItem(key);
  });
  await page.reload();
  await expect(canvasNode(page, 'Webhook').locator('.badge.pinned')).toHaveText('1');
  await canvasNode(page, 'Webhook').click();
  await expect(page.locator('.node-tools .pin-state')).toHaveText(/Pinned: 1 item/);

  // Production: a big order goes through If's true branch to Slack; the pin is not used.
  const res = await fetch(`${host.baseUrl}/hooks/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'A42' }),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
  await expect
    .poll(() => posted, { timeout: 15_000 })
    .toEqual([{ channel: 'C200', text: 'Big order A42 from Ada: 250' }]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executions' }).click();
  const row = page.locator('table.list tbody tr', { hasText: 'webhook' }).first();
  await row.getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: /Execution/ })).toContainText('succeeded');
  const runs = page.locator('.execution');
  for (const name of ['Webhook', 'HTTP Request', 'If', 'Send message']) {
    await expect(runs.getByRole('button', { name: new RegExp(`succeeded ${name}`) })).toBeVisible();
  }
  await runs.getByRole('button', { name: /succeeded Send message/ }).click();
  await expect(runs).toContainText('1700000000.000100');
  await runs.getByRole('tab', { name: 'Input', exact: true }).click();
  await expect(runs.locator('table')).toContainText('Ada');
  await shot(page, 'execution');
});
