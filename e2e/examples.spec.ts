import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';

// Smoke tests of the built framework examples (examples/html, react, vue, angular): the canvas
// shows the example workflow, editing fires workflow-change, and the embed button mounts the
// configured Weft host's view in a sandboxed iframe. One static server serves every example's
// dist/ under /<name>/ and answers the token endpoint; the Weft host is a stand-in page served
// by page.route() on its own origin, which completes the SDK handshake like the real embed views.
const examples = ['html', 'react', 'vue', 'angular'] as const;
const root = new URL('../', import.meta.url).pathname;
const WEFT_HOST = 'http://weft-host.test';
const TOKEN = 'token-from-the-product-backend';
const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

let server: Server;
let base = '';

test.describe.configure({ mode: 'parallel' });

test.beforeAll(async () => {
  // `npm test` builds them in the vitest step (examples/*/build.test.ts); build what is missing,
  // under a lock because every worker runs this hook
  for (const name of examples) {
    if (existsSync(join(root, 'examples', name, 'dist', 'index.html'))) continue;
    const { NODE_ENV: _, ...env } = process.env;
    const build = `test -f examples/${name}/dist/index.html || npm run build --silent -w @weft/example-${name}`;
    execFileSync('flock', ['/tmp/weft-examples-build.lock', 'sh', '-c', build], { cwd: root, env, stdio: 'ignore' });
  }
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/weft-token' && req.method === 'POST') {
      const signedIn = req.headers['x-demo-user'] && req.headers['x-demo-account'];
      res.writeHead(signedIn ? 200 : 401, { 'content-type': 'text/plain' }).end(signedIn ? TOKEN : 'sign in first');
      return;
    }
    const [, name, ...rest] = url.pathname.split('/');
    if (!examples.includes(name as (typeof examples)[number])) return void res.writeHead(404).end();
    const file = normalize(rest.join('/') || 'index.html');
    if (file.startsWith('..')) return void res.writeHead(403).end();
    try {
      const body = readFileSync(join(root, 'examples', name!, 'dist', file));
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

for (const name of examples) {
  test(`${name}: the canvas shows the workflow, edits fire workflow-change, the button embeds Weft in a modal`, async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const sdk = readFileSync(join(root, 'packages/embed/dist/browser/weft-embed.js'));
    await page.route(`${WEFT_HOST}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/sdk.js') return route.fulfill({ body: sdk, contentType: 'text/javascript' });
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><body><p id="view">${path}</p><p id="token"></p><script type="module">
          import { connectToPage } from '/sdk.js';
          const session = await connectToPage({ allowedOrigins: [${JSON.stringify(base)}] });
          document.querySelector('#token').textContent = session.token;
          session.emit('ready');
        </script></body>`,
      });
    });

    await page.goto(`${base}/${name}/?weftHost=${encodeURIComponent(WEFT_HOST)}`);

    // the example workflow (examples/workflows/order-total.json) on the canvas
    const nodes = page.locator('weft-canvas .weft-flow__node:not(.note)');
    await expect(nodes).toHaveCount(5);
    await expect(page.locator('weft-canvas .node-name')).toHaveText([
      'Order received',
      'Prepare',
      'Large order?',
      'Discount',
      'Summary',
    ]);
    await expect(page.locator('weft-canvas g.edge')).toHaveCount(4);

    // selecting a node shows it in the inspector (selection-change -> inspector.node)
    await page.locator('weft-canvas .weft-flow__node', { has: page.locator('.node-name[title="Prepare"]') }).click();
    await expect(page.locator('weft-inspector h2')).toHaveText('Prepare');

    // picking a node type in the palette adds it: workflow-change reaches the app's change log
    const changes = page.getByRole('list', { name: 'Workflow changes' }).getByRole('listitem');
    await expect(changes).toHaveCount(0);
    const fired = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document
            .querySelector('weft-canvas')!
            .addEventListener('workflow-change', (e) => resolve((e as CustomEvent<{ label: string }>).detail.label), {
              once: true,
            }),
        ),
    );
    await page.locator('weft-node-palette li[data-type="weft.noOp"]').click();
    expect(await fired).toBe('Add No operation');
    await expect(nodes).toHaveCount(6);
    await expect(changes).toHaveCount(1);
    await expect(changes.first()).toContainText('(6 nodes)');

    // the embed button mounts the configured host's view in a sandboxed iframe inside a modal
    await page.getByRole('button', { name: 'Open Weft in a modal' }).click();
    const dialog = page.getByRole('dialog');
    const iframe = dialog.locator('iframe');
    await expect(iframe).toHaveAttribute('sandbox', IFRAME_SANDBOX);
    const src = new URL((await iframe.getAttribute('src'))!);
    expect(src.origin).toBe(WEFT_HOST);
    expect(src.pathname).toBe('/embed/workflows');
    // the SDK handshake: the view asked for the token, the page fetched it from its backend
    await expect(page.frameLocator('iframe[title="Weft"]').locator('#token')).toHaveText(TOKEN);
    await expect(page.locator('header output')).toHaveText('ready');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('header output')).toHaveText('closed');
    // the canvas kept the edit (and the app its state) through the modal's life
    await expect(nodes).toHaveCount(6);
    expect(errors).toEqual([]);
  });
}
