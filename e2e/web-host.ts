import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page } from '@playwright/test';
import { WeftClient } from '@weft/client';

/** A `weft start` process for the web app tests, on a free port with a throwaway data directory. */
export interface WebHost {
  baseUrl: string;
  email: string;
  password: string;
  /** The first-run owner sign-up link the host printed (only with `owner: false`). */
  signupUrl: string | undefined;
  stop(): Promise<void>;
}

const root = new URL('..', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the built host (`host/dist/bin/weft.js start`) serving the built web app; builds the
 * web app first when `host/web/dist` is missing. Resolves once `/readyz` answers.
 *
 * @example
 * ```ts
 * const host = await startWebHost();
 * await page.goto(`${host.baseUrl}/signin`);
 * await host.stop();
 * ```
 */
export async function startWebHost(
  env: Record<string, string> = {},
  /** `hostname`: the name the app is opened at (default 127.0.0.1); passkeys need a domain such as `localhost`. */
  options: { owner?: boolean; hostname?: string } = {},
): Promise<WebHost> {
  if (!existsSync(join(root, 'host/web/dist/index.html'))) {
    execFileSync('npm', ['run', 'build:web', '--silent'], { cwd: root, stdio: 'ignore' });
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'weft-web-e2e-'));
  const email = 'owner@example.com';
  const password = 'owner-password-1';
  const child: ChildProcess = spawn(process.execPath, [join(root, 'host/dist/bin/weft.js'), 'start'], {
    cwd: dir,
    env: {
      ...process.env,
      WEFT_PORT: String(port),
      WEFT_HOST: '127.0.0.1',
      WEFT_PUBLIC_URL: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
      WEFT_DATA_DIR: dir,
      ...(options.owner === false ? {} : { WEFT_OWNER_EMAIL: email, WEFT_OWNER_PASSWORD: password }),
      WEFT_LOG_LEVEL: 'warn',
      WEFT_SHUTDOWN_GRACE_MS: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const ready = `http://127.0.0.1:${port}/readyz`;
  const baseUrl = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const deadline = Date.now() + 60_000; // a machine running other suites can take this long
  for (;;) {
    if (child.exitCode !== null) throw new Error(`weft start exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(ready)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`weft start did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    email,
    password,
    signupUrl: /(http:\/\/\S+\/signup\?token=\S+)/.exec(stdout)?.[1],
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the sign-in page (as the host's owner unless `who` is given) and waits for the
 * workflows list, or for `expectUrl` when the sign-in continues to a deep link.
 *
 * @example
 * ```ts
 * await signIn(page, host);
 * ```
 */
export async function signIn(
  page: Page,
  host: WebHost,
  who: { email: string; password: string } = host,
  options: { path?: string; expectUrl?: string } = {},
): Promise<void> {
  await page.goto(`${host.baseUrl}${options.path ?? '/signin'}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (options.expectUrl) await expect(page).toHaveURL(options.expectUrl);
  else await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

/**
 * A {@link WeftClient} signed in as the host's owner, and the owner's first workspace.
 *
 * @example
 * ```ts
 * const { client, workspaceId } = await ownerClient(host);
 * await client.workflows.create(workspaceId, workflow);
 * ```
 */
export async function ownerClient(host: WebHost): Promise<{ client: WeftClient; workspaceId: string }> {
  const client = new WeftClient({ baseUrl: host.baseUrl });
  await client.auth.login({ email: host.email, password: host.password });
  const workspaceId = (await client.auth.me()).workspaces[0]?.id;
  if (!workspaceId) throw new Error(`the owner ${host.email} has no workspace`);
  return { client, workspaceId };
}

/**
 * Watches the app's service worker through CDP (with notifications granted) from before sign-in;
 * the returned function waits for the worker's registration and answers `push(data)`, which
 * delivers a Web Push message to it as the browser's push service would.
 *
 * @example
 * ```ts
 * const pushReady = await watchServiceWorker(page, context, host.baseUrl);
 * await signIn(page, host);
 * const push = await pushReady();
 * await push({ kind: 'workflow-failed', workspaceId, executionId, workflowName, message });
 * ```
 */
export async function watchServiceWorker(
  page: Page,
  context: BrowserContext,
  baseUrl: string,
): Promise<() => Promise<(data: unknown) => Promise<unknown>>> {
  await context.grantPermissions(['notifications'], { origin: baseUrl });
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  return async () => {
    await page.evaluate(async () => navigator.serviceWorker.ready);
    const ours = () => registrations.find((r) => r.scopeURL === `${baseUrl}/`);
    await expect.poll(ours).toBeTruthy();
    const registrationId = ours()?.registrationId as string;
    return (data) =>
      cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId, data: JSON.stringify(data) });
  };
}
