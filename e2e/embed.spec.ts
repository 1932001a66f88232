import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

// Three origins on loopback: the Weft host (frame), the embedding product (page), and an attacker.
const sdk = () => readFileSync(new URL('../packages/embed/dist/browser/weft-embed.js', import.meta.url));
let hostServer: Server;
let pageServer: Server;
let evilServer: Server;
let HOST = '';
let PAGE = '';
let EVIL = '';

function serve(hostname: string, pages: (path: string) => string | undefined): Promise<[Server, string]> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/sdk.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk());
        return;
      }
      const html = pages(path);
      if (html === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    });
    server.listen(0, hostname, () => resolve([server, `http://${hostname}:${(server.address() as AddressInfo).port}`]));
  });
}

test.beforeAll(async () => {
  [hostServer, HOST] = await serve('localhost', (path) =>
    path === '/embed/editor'
      ? `<!doctype html><body><p id="status">connecting</p><script type="module">
          import { connectToPage } from '/sdk.js';
          try {
            const session = await connectToPage({ allowedOrigins: [window.ALLOWED] });
            document.querySelector('#status').textContent = 'token ' + session.token + ' theme ' + session.config.theme.mode;
            session.handle('run-workflow', (p) => p.input.map((x) => ({ ...x, ran: p.workflowId })));
            session.handle('connect', (p) => ({ credentialId: 'cred-' + p.connector }));
            window.refresh = async () => { document.querySelector('#status').textContent = 'refreshed ' + (await session.refreshToken()); };
            session.emit('ready');
            session.emit('workflow-saved', { id: 'wf-1' });
          } catch (e) {
            document.querySelector('#status').textContent = 'refused: ' + e.message;
          }
        </script><script>window.ALLOWED = ${JSON.stringify('PAGE_ORIGIN')};</script></body>`
      : undefined,
  );
  [pageServer, PAGE] = await serve('127.0.0.1', (path) =>
    path === '/'
      ? `<!doctype html><body><div id="weft" style="height:300px"></div><iframe id="evil" src="EVIL_ORIGIN/forge"></iframe><script type="module">
          import { mountWeft } from '/sdk.js';
          window.events = [];
          let n = 0;
          window.weft = mountWeft({
            host: 'HOST_ORIGIN', view: 'editor', target: document.querySelector('#weft'),
            token: async () => 'tok-' + (++n), theme: { mode: 'dark' },
            onEvent: (type, payload) => window.events.push([type, payload]),
          });
          window.ready = window.weft.ready.then(() => 'ready', (e) => 'failed: ' + e.message);
        </script></body>`
      : undefined,
  );
  [evilServer, EVIL] = await serve('127.0.0.2', (path) =>
    path === '/forge'
      ? `<!doctype html><script>
          setInterval(() => {
            parent.postMessage({ protocol: 'weft-embed', v: 1, type: 'event', event: 'workflow-saved', payload: 'forged' }, '*');
            parent.postMessage({ protocol: 'weft-embed', v: 1, type: 'response', id: 'r1', ok: true, result: 'forged' }, '*');
          }, 20);
        </script>`
      : path === '/frame-thief'
        ? `<!doctype html><iframe id="f" src="HOST_ORIGIN/embed/editor"></iframe>`
        : undefined,
  );
  for (const s of [hostServer, pageServer, evilServer]) {
    const original = s.listeners('request')[0] as (req: unknown, res: { end: (b: unknown) => void }) => void;
    s.removeAllListeners('request');
    s.on('request', (req, res) => {
      const end = res.end.bind(res);
      res.end = ((body: unknown) =>
        end(
          typeof body === 'string'
            ? body.replaceAll('PAGE_ORIGIN', PAGE).replaceAll('HOST_ORIGIN', HOST).replaceAll('EVIL_ORIGIN', EVIL)
            : body,
        )) as never;
      original(req, res);
    });
  }
});

test.afterAll(() => {
  for (const s of [hostServer, pageServer, evilServer]) s?.close();
});

test('the page and the embedded view talk only to each other', async ({ page }) => {
  await page.goto(`${PAGE}/`);
  expect(await page.evaluate(() => (window as unknown as { ready: Promise<string> }).ready)).toBe('ready');
  const frame = page.frameLocator('#weft iframe');
  await expect(frame.locator('#status')).toHaveText('token tok-1 theme dark');
  const run = await page.evaluate(() =>
    (window as unknown as { weft: { runWorkflow(id: string, input: unknown[]): Promise<unknown> } }).weft.runWorkflow(
      'wf-9',
      [{ a: 1 }],
    ),
  );
  expect(run).toEqual([{ a: 1, ran: 'wf-9' }]);
  expect(
    await page.evaluate(() =>
      (window as unknown as { weft: { connect(c: string): Promise<string> } }).weft.connect('slack'),
    ),
  ).toBe('cred-slack');
  await page
    .frameLocator('#weft iframe')
    .locator('body')
    .evaluate(() => (window as unknown as { refresh(): Promise<void> }).refresh());
  await expect(frame.locator('#status')).toHaveText('refreshed tok-2');
  await page.waitForTimeout(200);
  const events = await page.evaluate(() => (window as unknown as { events: unknown[] }).events);
  expect(events).toEqual([
    ['ready', undefined],
    ['workflow-saved', { id: 'wf-1' }],
  ]);
});

test('a page from an origin that is not allowed cannot drive the embedded view', async ({ page }) => {
  await page.goto(`${EVIL}/frame-thief`);
  await expect(page.frameLocator('#f').locator('#status')).toHaveText(
    new RegExp(`refused: The page at ${EVIL.replace(/[.]/g, '\\.')} is not allowed`),
  );
});
