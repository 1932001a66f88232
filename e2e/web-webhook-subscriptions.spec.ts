import { expect, type Page, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../host/src/testing/webhook-receiver.js';
import { startWebHost, type WebHost } from './web-host.js';

// Outbound webhooks from the settings page against a real `weft start` (SQLite) and a node:http
// receiver on loopback that checks the Standard Webhooks signature with the secret the page showed.
test.describe.configure({ mode: 'serial' });
let host: WebHost;
let rx: WebhookReceiver;

test.beforeAll(async () => {
  test.setTimeout(90_000); // a busy machine takes a while to start the host
  rx = await WebhookReceiver.start();
  host = await startWebHost({
    WEFT_HTTP_ALLOW: '127.0.0.1/32',
    WEFT_WEBHOOK_OUT_POLL_MS: '100',
    WEFT_WEBHOOK_OUT_RETRY_BASE_MS: '200',
    WEFT_WEBHOOK_OUT_MAX_ATTEMPTS: '2',
  });
});

test.afterAll(async () => {
  await host?.stop();
  await rx?.close();
});

async function signIn(page: Page) {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

test('create a subscription, send a test event, see the signed delivery and replay it', async ({ page }, info) => {
  test.setTimeout(60_000);
  await signIn(page);
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks' })).toBeVisible();
  await expect(page.getByText('No webhook subscriptions yet.')).toBeVisible();

  await page.getByLabel('Name').fill('CRM sync');
  await page.getByLabel('Endpoint URL').fill(rx.url);
  await page.getByRole('checkbox', { name: /execution\.failed/ }).check();
  await page.getByRole('checkbox', { name: /workflow\.activated/ }).check();
  await page.getByRole('button', { name: 'Create subscription' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'not shown again' });
  await expect(notice).toBeVisible();
  const secret = (await notice.locator('code').textContent())?.trim() as string;
  expect(secret).toMatch(/^whsec_/);
  await page.screenshot({ path: info.outputPath('webhooks-created.png'), fullPage: true });

  const row = page.locator('tr[data-subscription]').filter({ hasText: 'CRM sync' });
  await expect(row.getByText('active')).toBeVisible();
  await row.getByRole('button', { name: 'Send test event' }).click();
  const deliveries = page.getByRole('region', { name: 'Deliveries' });
  await expect(deliveries.locator('tr[data-delivery]').first()).toContainText('webhook.test');
  await expect(deliveries.locator('tr[data-delivery]').first()).toContainText('succeeded', { timeout: 10_000 });
  await expect(deliveries.locator('tr[data-delivery]').first()).toContainText('200');

  const [got] = await rx.until((all) => all.length >= 1);
  const event = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string };
  expect(event.type).toBe('webhook.test');

  await deliveries.locator('tr[data-delivery]').first().getByRole('button', { name: 'Replay' }).click();
  await expect(deliveries.locator('tr[data-delivery]')).toHaveCount(2, { timeout: 10_000 });
  await expect(deliveries.locator('tr[data-delivery]').first()).toContainText('replay');
  await rx.until((all) => all.length >= 2);
  expect(rx.received[1]?.headers['webhook-id']).toBe(got?.headers['webhook-id']);
  await page.screenshot({ path: info.outputPath('webhooks-deliveries.png'), fullPage: true });
});

test('a failing receiver shows the response and the delivery as failed', async ({ page }, info) => {
  test.setTimeout(60_000);
  rx.respond = () => ({ status: 500, body: 'receiver exploded' });
  await signIn(page);
  await page.goto(`${host.baseUrl}/webhooks`);
  const row = page.locator('tr[data-subscription]').filter({ hasText: 'CRM sync' });
  await row.getByRole('button', { name: 'Send test event' }).click();
  const first = page.getByRole('region', { name: 'Deliveries' }).locator('tr[data-delivery]').first();
  await expect(first).toContainText('failed', { timeout: 15_000 });
  await expect(first).toContainText('500');
  await first.getByText('details').click();
  await expect(first.getByText('receiver exploded')).toBeVisible();
  await page.screenshot({ path: info.outputPath('webhooks-failed.png'), fullPage: true });
});

test('rotating the secret shows the new one and how long the old one still signs; both verify a test event', async ({
  page,
}, info) => {
  test.setTimeout(60_000);
  rx.respond = () => ({ status: 200, body: 'ok' });
  await signIn(page);
  await page.goto(`${host.baseUrl}/webhooks`);
  await page.getByLabel('Name').fill('Rotating');
  await page.getByLabel('Endpoint URL').fill(rx.url);
  await page.getByRole('checkbox', { name: /execution\.failed/ }).check();
  await page.getByRole('button', { name: 'Create subscription' }).click();
  const created = page.getByRole('status').filter({ hasText: 'not shown again' });
  const oldSecret = (await created.locator('code').textContent())?.trim() as string;

  const row = page.locator('tr[data-subscription]').filter({ hasText: 'Rotating' });
  page.once('dialog', (d) => {
    expect(d.message()).toContain('keeps signing beside the new one');
    void d.accept();
  });
  await row.getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = page.getByRole('status').filter({ hasText: 'previous secret also signs until' });
  await expect(rotated).toBeVisible();
  const newSecret = (await rotated.locator('code').textContent())?.trim() as string;
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(oldSecret);
  await expect(row.getByRole('note').filter({ hasText: 'Previous secret signs too until' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('webhooks-rotated.png'), fullPage: true });

  const before = rx.received.length;
  await row.getByRole('button', { name: 'Send test event' }).click();
  const all = await rx.until((r) => r.length > before);
  const got = all[all.length - 1] as (typeof all)[number];
  for (const secret of [oldSecret, newSecret]) {
    const event = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as { type: string };
    expect(event.type).toBe('webhook.test');
  }
});
