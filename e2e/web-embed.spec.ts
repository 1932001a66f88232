import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { startWebHost, type WebHost } from './web-host.js';

// The host's embed views inside a page that mounts them with @weft/embed's mountWeft(). The page
// is served on the host's own origin (the host allows same-origin framing and, without embed
// configuration, the views trust only their own origin).
test.describe.configure({ mode: 'serial' });
test.use({ serviceWorkers: 'block' });

let host: WebHost;
let token: string;
const sdk = readFileSync(new URL('../packages/embed/dist/browser/weft-embed.js', import.meta.url), 'utf8');

test.beforeAll(async () => {
  test.setTimeout(90_000); // startWebHost itself waits up to 60 s for a busy machine
  host = await startWebHost();
  const res = await fetch(`${host.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: host.email, password: host.password }),
  });
  token = ((await res.json()) as { accessToken: string }).accessToken;
});

test.afterAll(async () => {
  await host?.stop();
});

async function openEmbeddingPage(page: Page, options: Record<string, unknown>): Promise<void> {
  await page.route(`${host.baseUrl}/embed-sdk.js`, (r) => r.fulfill({ body: sdk, contentType: 'text/javascript' }));
  await page.route(`${host.baseUrl}/product.html`, (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><body style="margin:0"><div id="slot" style="height:700px"></div>
        <script type="module">
          import { mountWeft } from '/embed-sdk.js';
          window.events = [];
          const weft = mountWeft({ host: location.origin, target: document.getElementById('slot'), token: ${JSON.stringify(token)},
            ...${JSON.stringify(options)}, onEvent: (event, payload) => window.events.push({ event, payload }) });
          window.weft = weft;
          weft.ready.then(() => { window.embedReady = true; }, (e) => { window.embedError = String(e); });
        </script></body>`,
    }),
  );
  await page.goto(`${host.baseUrl}/product.html`);
  await page.waitForFunction(() => (window as unknown as { embedReady?: boolean }).embedReady === true);
}

const events = (page: Page) =>
  page.evaluate(() => (window as unknown as { events: { event: string; payload: unknown }[] }).events);

test('the workflow list view takes the page theme and feature flags and syncs routes both ways', async ({ page }) => {
  await openEmbeddingPage(page, {
    view: 'workflows',
    theme: { colors: { primary: 'rgb(200, 0, 100)' } },
    features: { navigation: false },
  });
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.card').first()).toBeVisible();
  await expect(frame.locator('.embed-nav')).toHaveCount(0);
  await expect(frame.getByRole('button', { name: 'New workflow' })).toHaveCSS('background-color', 'rgb(200, 0, 100)');

  await page.evaluate(() =>
    (window as unknown as { weft: { navigate(r: string): Promise<void> } }).weft.navigate('run'),
  );
  await expect(frame.getByRole('heading', { name: 'Run a workflow' })).toBeVisible();
  await expect.poll(async () => (await events(page)).map((e) => e.event)).toContain('ready');

  await page.evaluate(() =>
    (window as unknown as { weft: { navigate(r: string): Promise<void> } }).weft.navigate('workflows'),
  );
  await frame.locator('.card-title').first().click();
  await expect(frame.locator('weft-canvas')).toBeVisible();
  await expect
    .poll(async () =>
      (await events(page))
        .filter((e) => e.event === 'route-change')
        .map((e) => String((e.payload as { route: string }).route)),
    )
    .toContainEqual(expect.stringMatching(/^editor\?workflowId=/));
});

test('the editor view reports workflow-saved and execution-finished; runWorkflow resolves with the output', async ({
  page,
}) => {
  const created = await fetch(`${host.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  const ws = ((await created.json()) as { workspaces: { id: string }[] }).workspaces[0]?.id as string;
  const wf = await fetch(`${host.baseUrl}/api/v1/workspaces/${ws}/workflows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Embedded',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
        {
          id: 's',
          name: 'Set',
          type: 'weft.set',
          parameters: { fields: [{ name: 'ok', value: 'yes' }] },
          position: [260, 0],
        },
      ],
      connections: [{ source: 't', target: 's' }],
    }),
  });
  const workflowId = ((await wf.json()) as { id: string }).id;
  await openEmbeddingPage(page, { view: 'editor', params: { workflowId }, features: { codeNodes: false } });
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(2);
  await expect(frame.locator('weft-node-palette li[data-type="weft.code"]')).toHaveCount(0);
  await expect(frame.locator('weft-node-palette li[data-type="weft.set"]')).toHaveCount(1);

  await frame.getByRole('button', { name: 'Save', exact: true }).click();
  await frame.getByRole('button', { name: 'Run', exact: true }).click();
  await expect
    .poll(async () => (await events(page)).map((e) => e.event))
    .toEqual(expect.arrayContaining(['ready', 'workflow-saved', 'execution-finished']));
  const saved = (await events(page)).find((e) => e.event === 'workflow-saved')?.payload as { version: number };
  expect(saved.version).toBe(2);

  const output = await page.evaluate(
    (id) =>
      (
        window as unknown as { weft: { runWorkflow(id: string, input: unknown[]): Promise<unknown[]> } }
      ).weft.runWorkflow(id, [{ json: { n: 1 } }]),
    workflowId,
  );
  expect(output).toEqual([{ json: { n: 1, ok: 'yes' } }]);
});

test('a workflow created in the embedded editor reports its new route to the page', async ({ page }) => {
  await openEmbeddingPage(page, { view: 'editor' });
  const frame = page.frameLocator('iframe');
  const pane = frame.locator('weft-canvas .weft-flow__pane');
  await expect(pane).toBeVisible();
  await frame.locator('weft-node-palette li[data-type="weft.manualTrigger"]').dragTo(pane, {
    targetPosition: { x: 150, y: 150 },
  });
  await expect(frame.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(1);
  await frame.getByRole('button', { name: 'Save', exact: true }).click();
  await expect
    .poll(async () => (await events(page)).find((e) => e.event === 'workflow-saved')?.payload)
    .toMatchObject({ version: 1, name: 'New workflow' });
  const saved = (await events(page)).find((e) => e.event === 'workflow-saved');
  const workflowId = (saved?.payload as { workflowId?: string } | undefined)?.workflowId;
  expect(workflowId).toBeTruthy();
  await expect
    .poll(async () => (await events(page)).filter((e) => e.event === 'route-change').map((e) => e.payload))
    .toContainEqual({ route: `editor?workflowId=${workflowId}` });
});
