import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import {
  type OAuth2AuthorizationServer,
  startOAuth2AuthorizationServer,
} from '../host/src/testing/oauth2-authorization-server.js';
import { startWebHost, type WebHost } from './web-host.js';

// OAuth2 Connect from the editor framed cross-site: the embedding product's page is on
// http://localhost:<port>, the host on http://127.0.0.1:<port> (another site), so Chromium drops
// the SameSite=Lax binding cookie the authorize answer sets in the frame (the callback then
// refused the popup) and Chromium 156 denies the frame localStorage. The popup gets its binding
// cookie first-party (the host's single-use Connect link) and the callback page answers its opener
// with postMessage as well as on the BroadcastChannel, which browsers that partition third-party
// storage keep apart from the frame.
test.describe.configure({ mode: 'serial' });
test.use({ serviceWorkers: 'block' });

const sdk = readFileSync(new URL('../packages/embed/dist/browser/weft-embed.js', import.meta.url), 'utf8');
let host: WebHost;
let auth: OAuth2AuthorizationServer;
let token: string;
/** The embedding product's server: a real one on loopback (Chromium's local-network checks refuse a
 * page it cannot place on the machine framing 127.0.0.1). It serves the SDK and `pages`. */
let productServer: Server;
let product: string;
const pages = new Map<string, string>();

test.beforeAll(async () => {
  test.setTimeout(90_000); // a busy machine takes a while to start the host
  productServer = createServer((req, res) => {
    if (req.url === '/embed-sdk.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    else if (pages.has(req.url ?? ''))
      res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(req.url ?? ''));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => productServer.listen(0, '127.0.0.1', resolve));
  product = `http://localhost:${(productServer.address() as AddressInfo).port}`;
  auth = await startOAuth2AuthorizationServer({ clientId: 'weft-e2e', clientSecret: 'e2e-secret' });
  host = await startWebHost({ WEFT_HTTP_ALLOW: '127.0.0.1/32', WEFT_EMBED_ALLOWED_ORIGINS: product });
  auth.register(`${host.baseUrl}/api/v1/oauth2/callback`);
  const res = await fetch(`${host.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: host.email, password: host.password }),
  });
  token = ((await res.json()) as { accessToken: string }).accessToken;
});

test.afterAll(async () => {
  await host?.stop();
  await auth?.close();
  await new Promise((resolve) => productServer?.close(resolve));
});

type Events = { event: string; payload: unknown }[];
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Events }).events);

/** The product's page on localhost mounting a host view with @weft/embed's mountWeft(). */
async function openProductPage(page: Page, options: Record<string, unknown>) {
  pages.set(
    '/app',
    `<!doctype html><body style="margin:0"><h1 style="font:16px sans-serif">Acme CRM</h1>
      <div id="slot" style="height:720px"></div>
      <script type="module">
        import { mountWeft } from '/embed-sdk.js';
        window.events = [];
        window.weft = mountWeft({ host: ${JSON.stringify(host.baseUrl)}, target: document.getElementById('slot'),
          token: ${JSON.stringify(token)}, ...${JSON.stringify(options)},
          onEvent: (event, payload) => window.events.push({ event, payload }) });
        window.weft.ready.then(() => { window.embedReady = true; }, (e) => { window.embedError = String(e); });
      </script></body>`,
  );
  await page.goto(`${product}/app`);
  await page.waitForFunction(() => (window as unknown as { embedReady?: boolean }).embedReady === true);
  const frame = page.frames().find((f) => f.url().startsWith(host.baseUrl));
  expect(new URL(page.url()).hostname).toBe('localhost');
  expect(new URL(frame?.url() ?? '').hostname).toBe('127.0.0.1');
  return page.frameLocator('iframe');
}

/** Allows access in the provider's popup; the popup closes itself after the callback. */
async function allowInPopup(page: Page, shot?: string) {
  const popup = await page.context().waitForEvent('page');
  await expect(popup.getByRole('heading', { name: 'Allow access?' })).toBeVisible({ timeout: 15_000 });
  expect(new URL(popup.url()).origin).toBe(auth.url);
  if (shot) await popup.screenshot({ path: shot });
  await popup.getByRole('button', { name: 'Allow' }).click();
  await popup.waitForEvent('close');
}

async function credential(id: string) {
  const me = await fetch(`${host.baseUrl}/api/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } });
  const ws = ((await me.json()) as { items: { id: string }[] }).items[0]?.id as string;
  const res = await fetch(`${host.baseUrl}/api/v1/workspaces/${ws}/credentials/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as { name: string; oauth2?: { connected: boolean; account?: string } };
}

test('the editor framed on another site connects an OAuth2 credential from the node picker', async ({ page }, info) => {
  test.setTimeout(90_000);
  const frame = await openProductPage(page, { view: 'editor' });
  await frame.locator('weft-node-palette input').first().fill('http request');
  await frame.locator('weft-node-palette li[data-type="http.request"]').first().click();
  const inspector = frame.locator('weft-inspector');
  await inspector.getByLabel(/^Credential( \*)?$/).selectOption({ label: '+ Create new credential…' });
  const dialog = frame.locator('weft-credential-dialog dialog');
  await dialog.getByLabel('Credential type').selectOption({ label: 'HTTP Request — OAuth2 API' });
  await expect(dialog.getByLabel('Redirect URL')).toHaveValue(`${host.baseUrl}/api/v1/oauth2/callback`);
  await dialog.getByLabel('Name').fill('Provider from the embedded editor');
  await dialog.getByLabel('Authorization URL').fill(auth.authorizationUrl);
  await dialog.getByLabel('Access token URL').fill(auth.tokenUrl);
  await dialog.getByLabel('Client ID').fill('weft-e2e');
  await dialog.getByLabel('Client secret').fill('e2e-secret');
  await page.screenshot({ path: info.outputPath('embedded-editor-dialog.png') });

  const popupDone = allowInPopup(page, info.outputPath('embedded-consent.png'));
  await dialog.getByRole('button', { name: 'Save and connect' }).click();
  await popupDone;
  await expect(dialog).toBeHidden();
  const picker = inspector.getByLabel(/^Credential( \*)?$/);
  await expect(picker.locator('option:checked')).toHaveText(/Provider from the embedded editor/);
  const id = await picker.inputValue();
  expect(await credential(id)).toMatchObject({ oauth2: { connected: true, account: 'ada@example.com' } });
  expect(auth.refusals).toEqual([]);
  await page.screenshot({ path: info.outputPath('embedded-editor-connected.png') });
});

test('the connections view framed on another site connects, reconnects and tells the page', async ({ page }, info) => {
  test.setTimeout(90_000);
  const frame = await openProductPage(page, { view: 'connections', params: { type: 'http.oauth2' } });
  await frame.getByLabel('Name').fill('Provider from the connections view');
  await frame.getByLabel('Authorization URL').fill(auth.authorizationUrl);
  await frame.getByLabel('Access token URL').fill(auth.tokenUrl);
  await frame.getByLabel('Client ID').fill('weft-e2e');
  await frame.getByLabel('Client secret').fill('e2e-secret');
  const popupDone = allowInPopup(page);
  await frame.getByRole('button', { name: 'Save and connect' }).click();
  await popupDone;
  await expect(frame.locator('weft-credential-form .test-report')).toHaveText('✓ Connected as ada@example.com');
  const card = frame.locator('.card', { hasText: 'Provider from the connections view' });
  await expect(card.locator('.oauth2-status')).toContainText('Connected as ada@example.com');
  await expect.poll(async () => (await events(page)).map((e) => e.event)).toContain('connection-created');

  const before = auth.authorizations.length;
  const again = allowInPopup(page);
  await card.getByRole('button', { name: 'Reconnect' }).click();
  await again;
  await expect(frame.getByRole('status').first()).toContainText(
    '"Provider from the connections view": Connected as ada@example.com',
  );
  expect(auth.authorizations).toHaveLength(before + 1);
  expect(auth.refusals).toEqual([]);
  await page.screenshot({ path: info.outputPath('embedded-connections.png'), fullPage: true });
});
