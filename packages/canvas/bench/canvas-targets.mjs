// The pages the canvas benchmark measures <weft-canvas> in, each opened on an empty canvas:
// the canvas demo (built here), the host's web app editor (the built host, `weft start`, with its
// node catalogue and validation) and Storybook's "Large" story (a static Storybook build).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { build, preview } from 'vite';

const repo = resolve(import.meta.dirname, '../../..');

/** The canvas demo, built into a temporary directory (the e2e servers' dist/demo stays untouched). */
export async function demoTarget() {
  const outDir = mkdtempSync(join(tmpdir(), 'weft-canvas-bench-'));
  process.chdir(resolve(repo, 'packages/canvas')); // vite.config.ts's demo mode
  await build({ mode: 'demo', logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    mode: 'demo',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
    logLevel: 'error',
  });
  const url = server.resolvedUrls.local[0];
  return {
    name: 'canvas demo',
    selector: 'weft-canvas',
    async open(page) {
      await page.goto(`${url}?wf=empty&minimap=1`);
      await page.waitForSelector('html[data-ready="1"]');
    },
    /** The demo's own generator of large workflows, which the other targets are given too. */
    largeWorkflow: (page, nodes, edges) =>
      page.evaluate(({ nodes, edges }) => window.weft.largeWorkflow(nodes, edges), { nodes, edges }),
    async close() {
      await new Promise((r) => server.httpServer.close(r));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** The web app's editor on a new workflow, served by the built host with a throwaway data directory. */
export async function webAppTarget() {
  const bin = resolve(repo, 'host/dist/bin/weft.js');
  if (!existsSync(bin) || !existsSync(resolve(repo, 'host/web/dist/index.html')))
    throw new Error('the web app target needs the built host and web app: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'weft-canvas-bench-host-'));
  const port = await new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => r(p));
    });
  });
  const email = 'owner@example.com';
  const password = 'owner-password-1';
  const child = spawn(process.execPath, [bin, 'start'], {
    cwd: dir,
    env: {
      ...process.env,
      WEFT_PORT: String(port),
      WEFT_HOST: '127.0.0.1',
      WEFT_PUBLIC_URL: `http://127.0.0.1:${port}`,
      WEFT_DATA_DIR: dir,
      WEFT_OWNER_EMAIL: email,
      WEFT_OWNER_PASSWORD: password,
      WEFT_LOG_LEVEL: 'warn',
      WEFT_SHUTDOWN_GRACE_MS: '1000',
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`weft start exited with ${child.exitCode}`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error('weft start did not become ready in 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: 'web app editor',
    selector: 'weft-canvas',
    async open(page) {
      await page.goto(`${base}/signin`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: 'New workflow' }).click();
      await page.waitForURL(/\/workflows\/new$/);
      // the editor has its catalogue (and so its validation) once the palette lists the host's types
      await page.locator('.palette-pane weft-node-palette li[data-type="weft.webhook"]').waitFor();
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/**
 * Storybook's "Large" story (canvas--large) in a static build at `dir` (`storybook build -o dir`);
 * its canvas is emptied before each measurement, so every target starts alike.
 */
export async function storybookTarget(dir) {
  if (!existsSync(join(dir, 'iframe.html'))) throw new Error(`no Storybook build in ${dir}`);
  const { readFile } = await import('node:fs/promises');
  const server = createServer(async (req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      const body = await readFile(path.endsWith('/') ? join(path, 'index.html') : path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    name: 'Storybook "Large"',
    selector: 'weft-canvas',
    async open(page) {
      await page.goto(`${url}/iframe.html?id=canvas-weft-canvas--large&viewMode=story`);
      await page.waitForFunction(() => document.querySelector('weft-canvas')?.drawnIds?.length > 0, null, {
        timeout: 120_000,
      });
      await page.evaluate(async () => {
        const canvas = document.querySelector('weft-canvas');
        canvas.workflow = { name: 'empty', nodes: [], connections: [] };
        await canvas.updateComplete;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      });
    },
    async close() {
      await new Promise((r) => server.close(r));
    },
  };
}
