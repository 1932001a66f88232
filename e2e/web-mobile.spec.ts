import { expect, type Page, test } from '@playwright/test';
import { startWebHost, type WebHost } from './web-host.js';

// The web app as the mobile app, at phone size: deep links that survive sign-in, approvals decided
// offline and sent exactly once when back online, and a decision that lost to someone else's.
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

let host: WebHost;
let owner: string;
let editor: string;
let ws: string;
let wfId: string;

async function api<T = unknown>(path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${host.baseUrl}/api/v1${path}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Detail {
  status: string;
  nodeRuns: { nodeId: string; status: string; output?: Record<string, { json: { approval?: unknown } }[]> }[];
}

const park = async () =>
  (
    await api<{ executionId: string }>(`/workspaces/${ws}/workflows/${wfId}/run`, {
      token: owner,
      body: { wait: true },
    })
  ).executionId;
const detail = (id: string) => api<Detail>(`/workspaces/${ws}/executions/${id}`, { token: owner });
/** Every decision the approval node received (each run's first item carries it). */
const decisions = (d: Detail) =>
  d.nodeRuns
    .filter((r) => r.nodeId === 'a' && r.output)
    .map((r) => [...(r.output?.approved ?? []), ...(r.output?.rejected ?? [])][0]?.json.approval)
    .filter(Boolean);
const queued = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('weft-decisions', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('decisions', { keyPath: 'executionId' });
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('decisions').objectStore('decisions').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
        };
      }),
  );

async function signInFromDeepLink(page: Page, path: string): Promise<void> {
  await page.goto(`${host.baseUrl}${path}`);
  await expect(page).toHaveURL(`${host.baseUrl}/signin?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${host.baseUrl}${path}`);
}

test.beforeAll(async () => {
  host = await startWebHost();
  owner = (await api<{ accessToken: string }>('/auth/login', { body: { email: host.email, password: host.password } }))
    .accessToken;
  ws = ((await api<{ workspaces: { id: string }[] }>('/auth/me', { token: owner })).workspaces[0]?.id ?? '') as string;
  const invite = await api<{ token: string }>(`/workspaces/${ws}/invites`, {
    token: owner,
    body: { role: 'editor', email: 'edith@example.com' },
  });
  editor = (
    await api<{ accessToken: string }>('/auth/signup', {
      body: { token: invite.token, email: 'edith@example.com', password: 'password-123', name: 'Edith' },
    })
  ).accessToken;
  wfId = (
    await api<{ id: string }>(`/workspaces/${ws}/workflows`, {
      token: owner,
      body: {
        name: 'Refund approval',
        nodes: [
          { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
          { id: 'a', name: 'Approve refund', type: 'weft.approval', parameters: { message: 'Refund 40 EUR?' } },
          { id: 'y', name: 'Refunded', type: 'weft.set', parameters: { fields: [{ name: 'refunded', value: 'yes' }] } },
        ],
        connections: [
          { source: 't', target: 'a' },
          { source: 'a', sourcePort: 'approved', target: 'y' },
        ],
      },
    })
  ).id;
});

test.afterAll(async () => {
  await host?.stop();
});

test('an approval decided offline is sent once when back online', async ({ page, context }) => {
  const id = await park();
  await signInFromDeepLink(page, `/approvals/${id}`);
  const card = page.locator(`.card[data-execution-id="${id}"]`);
  await expect(card.locator('.card-title')).toHaveText('Refund approval v1');

  await context.setOffline(true);
  await card.getByLabel('Comment').fill('approved on the train');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card.locator('.pending')).toHaveText(/Approve pending, will be sent when you are back online/);
  await page.screenshot({ path: test.info().outputPath('pending.png') });
  expect(await queued(page)).toBe(1);
  expect((await detail(id)).status).toBe('waiting');

  await context.setOffline(false);
  await expect(page.locator(`p.notice[data-execution-id="${id}"]`)).toContainText('Approved: execution is succeeded');
  await expect(card).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('sent.png') });
  expect(await queued(page)).toBe(0);

  // Once: one decision reached the approval node and the branch after it ran once, also after a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Approvals' })).toBeVisible();
  const d = await detail(id);
  expect(d.status).toBe('succeeded');
  expect(decisions(d)).toEqual([expect.objectContaining({ approved: true, comment: 'approved on the train' })]);
  expect(d.nodeRuns.filter((r) => r.nodeId === 'y')).toHaveLength(1);
});

test('a decision queued offline that lost to someone else shows who decided and is dropped', async ({
  page,
  context,
}) => {
  const id = await park();
  await signInFromDeepLink(page, `/approvals/${id}?decide=reject`);
  const card = page.locator(`.card[data-execution-id="${id}"]`);
  await expect(card.getByRole('button', { name: 'Reject' })).toHaveClass(/primary/);

  await context.setOffline(true);
  await card.getByRole('button', { name: 'Reject' }).click();
  await expect(card.locator('.pending')).toContainText('Reject pending');
  await api(`/workspaces/${ws}/executions/${id}/approve`, { token: editor, body: { comment: 'done already' } });

  await context.setOffline(false);
  await expect(page.locator(`p.notice[data-execution-id="${id}"]`)).toContainText(
    'Refund approval: Rejected not sent: Already approved by Edith',
  );
  await page.screenshot({ path: test.info().outputPath('conflict.png') });
  expect(await queued(page)).toBe(0);
  const d = await detail(id);
  expect(decisions(d)).toEqual([expect.objectContaining({ approved: true, comment: 'done already' })]);
  expect(d.nodeRuns.filter((r) => r.nodeId === 'y')).toHaveLength(1);
});

test('deep links to an execution and a workflow open after sign-in; foreign next= is ignored', async ({ page }) => {
  const id = await park();
  await signInFromDeepLink(page, `/executions/${id}`);
  await expect(page.locator('.node-runs')).toContainText('Approve refund');
  await page.screenshot({ path: test.info().outputPath('execution.png') });

  await page.context().clearCookies();
  await page.evaluate(() => localStorage.clear());
  await signInFromDeepLink(page, `/workflows/${wfId}`);
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(3);

  await page.evaluate(() => localStorage.clear());
  await page.goto(`${host.baseUrl}/signin?next=${encodeURIComponent('//evil.example/x')}`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${host.baseUrl}/workflows`);
});

test('Approve on an approval notification queues the decision the app then sends', async ({ page, context }) => {
  await context.grantPermissions(['notifications'], { origin: host.baseUrl });
  const id = await park();
  await signInFromDeepLink(page, '/executions');
  await page.evaluate(async () => navigator.serviceWorker.ready);
  const sw =
    context.serviceWorkers().find((w) => w.url().endsWith('/sw.js')) ?? (await context.waitForEvent('serviceworker'));
  // Chromium cannot click a notification's button headless: dispatch the click the worker would get.
  await sw.evaluate(
    async ({ id, ws }) => {
      const reg = (self as unknown as { registration: ServiceWorkerRegistration }).registration;
      await reg.showNotification('Refund approval waits for your approval', {
        tag: `approval-${id}`,
        data: { kind: 'approval-required', workspaceId: ws, executionId: id, workflowName: 'Refund approval' },
      });
      const [notification] = await reg.getNotifications({ tag: `approval-${id}` });
      const Click = (self as unknown as { NotificationEvent: typeof Event }).NotificationEvent as unknown as new (
        type: string,
        init: { notification: Notification; action: string },
      ) => Event;
      try {
        self.dispatchEvent(
          new Click('notificationclick', { notification: notification as Notification, action: 'approve' }),
        );
      } catch {
        // waitUntil refuses a synthetic event after the handler started its work.
      }
    },
    { id, ws },
  );
  await expect.poll(() => queued(page)).toBe(1);
  await page.goto(`${host.baseUrl}/approvals/${id}`);
  await expect(page.locator(`p.notice[data-execution-id="${id}"]`)).toContainText(
    'Refund approval: Approved: execution is succeeded',
  );
  expect(await queued(page)).toBe(0);
  const d = await detail(id);
  expect(decisions(d)).toEqual([expect.objectContaining({ approved: true })]);
  expect(d.nodeRuns.filter((r) => r.nodeId === 'y')).toHaveLength(1);
});

test('home-screen quick actions: Approvals and Run a workflow', async ({ page }) => {
  const res = await page.request.get(`${host.baseUrl}/manifest.webmanifest`);
  const manifest = (await res.json()) as { shortcuts: { name: string; url: string }[] };
  expect(manifest.shortcuts.map((s) => [s.name, s.url])).toEqual([
    ['Approvals', '/approvals'],
    ['Run a workflow', '/run'],
  ]);
});
