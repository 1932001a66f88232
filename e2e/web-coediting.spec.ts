import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { WeftClient } from '@weft/client';
import type { Workflow } from '@weft/engine';
import { startWebHost, type WebHost } from './web-host.js';

// Real-time co-editing in the web editor against real `weft start` processes: two browser
// contexts (two users) open one workflow; their edits converge, each sees the other, an offline
// editor's changes merge when it reconnects; the same with each user on its own host process,
// the processes joined by Redis.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const set = (id: string, name: string, value: string, x: number) => ({
  id,
  name,
  type: 'weft.set',
  parameters: { fields: [{ name: 'v', value }] },
  position: [x, 0],
});

const flow = {
  name: 'Shared flow',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    set('a', 'Alpha', 'a0', 260),
    set('b', 'Beta', 'b0', 520),
    set('c', 'Gamma', 'c0', 780),
  ],
  connections: [
    { source: 'start', target: 'a' },
    { source: 'a', target: 'b' },
    { source: 'b', target: 'c' },
  ],
};

const BEA = { email: 'bea@example.com', password: 'bea-password-1', name: 'Bea Editor' };

/** Creates the workflow and a second editor; returns the workflow id. */
async function prepare(host: WebHost): Promise<string> {
  const owner = new WeftClient({ baseUrl: host.baseUrl });
  await owner.auth.login({ email: host.email, password: host.password });
  const ws = (await owner.auth.me()).workspaces[0]?.id as string;
  const invite = await owner.workspaces.invite(ws, { role: 'editor', email: BEA.email });
  await new WeftClient({ baseUrl: host.baseUrl }).auth.signup({ token: invite.token, ...BEA });
  return (await owner.workflows.create(ws, flow as never)).id;
}

async function open(browser: Browser, baseUrl: string, who: { email: string; password: string }, id: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await page.goto(`${baseUrl}/workflows/${id}`);
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(4);
  return { context, page };
}

const doc = (page: Page) =>
  page.locator('weft-canvas').evaluate((c) => (c as unknown as { workflow: Workflow }).workflow);
const value = (wf: Workflow, id: string) =>
  (wf.nodes.find((n) => n.id === id)?.parameters.fields as { value: string }[] | undefined)?.[0]?.value;

/** Sets node `id`'s field value through the canvas API the inspector uses. */
const edit = (page: Page, id: string, v: string) =>
  page.locator('weft-canvas').evaluate(
    (c, [nodeId, val]) => {
      const canvas = c as unknown as { workflow: Workflow; updateNode(n: unknown): void };
      const node = canvas.workflow.nodes.find((n) => n.id === nodeId);
      canvas.updateNode({ ...node, parameters: { fields: [{ name: 'v', value: val }] } });
    },
    [id, v] as const,
  );

/** Both pages hold the same document, in which `check` holds. */
async function converged(one: Page, two: Page, check: (wf: Workflow) => boolean): Promise<Workflow> {
  let last: [Workflow, Workflow] | undefined;
  await expect
    .poll(async () => {
      last = [await doc(one), await doc(two)];
      return JSON.stringify(last[0]) === JSON.stringify(last[1]) && check(last[0]);
    })
    .toBe(true);
  return (last as [Workflow, Workflow])[0];
}

async function presenceOfBoth(one: Page, two: Page) {
  for (const p of [one, two]) {
    const avatars = p.locator('weft-presence-avatars');
    await expect
      .poll(() => avatars.evaluate((e) => e.querySelectorAll('.presence-avatar').length), { timeout: 15_000 })
      .toBe(2);
    await expect(p.locator('.presence-status')).toHaveText(/Live/, { timeout: 15_000 });
  }
}

async function coEdit(one: Page, two: Page, contextTwo: BrowserContext) {
  await presenceOfBoth(one, two);
  // Presence: names, then the other user's cursor and selection drawn on the canvas.
  await expect(one.locator(`.presence-avatar[data-name="${BEA.name}"]`)).toBeVisible();
  await expect(two.locator('.presence-avatar[data-name="owner@example.com"]')).toBeVisible();
  const box = (await one.locator('weft-canvas .weft-flow__pane').boundingBox()) as { x: number; y: number };
  await one.mouse.move(box.x + 300, box.y + 300);
  await one.mouse.move(box.x + 320, box.y + 310);
  await expect(two.locator('weft-canvas .remote-cursor[data-user="owner@example.com"]')).toBeVisible();
  await two.locator('weft-canvas .weft-flow__node', { has: two.locator('.node-name[title="Gamma"]') }).click();
  await expect(one.locator(`weft-canvas .remote-selection[data-user="${BEA.name}"][data-node="c"]`)).toBeVisible();

  // Simultaneous edits to different nodes, then to the same parameter.
  await Promise.all([edit(one, 'a', 'from owner'), edit(two, 'b', 'from bea')]);
  await converged(one, two, (wf) => value(wf, 'a') === 'from owner' && value(wf, 'b') === 'from bea');
  await Promise.all([edit(one, 'c', 'owner wins?'), edit(two, 'c', 'bea wins?')]);
  const same = await converged(one, two, (wf) => ['owner wins?', 'bea wins?'].includes(value(wf, 'c') ?? ''));
  expect(same.nodes).toHaveLength(4);

  // Offline: the second user keeps editing, the first too; back online both documents converge.
  await contextTwo.setOffline(true);
  await expect(two.locator('.presence-status')).toHaveText(/Offline/);
  await edit(two, 'a', 'edited offline');
  await edit(one, 'b', 'edited online');
  await two.waitForTimeout(300);
  expect(value(await doc(one), 'a')).toBe('from owner');
  await contextTwo.setOffline(false);
  await converged(one, two, (wf) => value(wf, 'a') === 'edited offline' && value(wf, 'b') === 'edited online');
  await presenceOfBoth(one, two);
}

test.describe('co-editing on one host', () => {
  let host: WebHost;
  let id: string;
  test.beforeAll(async () => {
    host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
    id = await prepare(host);
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('two users edit one workflow live: edits converge, presence shows both, offline edits merge, save makes a version', async ({
    browser,
  }) => {
    const owner = await open(browser, host.baseUrl, host, id);
    const bea = await open(browser, host.baseUrl, BEA, id);
    try {
      await coEdit(owner.page, bea.page, bea.context);
      // Undo is per user: the owner's undo takes back the owner's last edit only.
      await owner.page.locator('weft-canvas').evaluate((c) => (c as unknown as { undo(): void }).undo());
      await converged(
        owner.page,
        bea.page,
        (wf) => value(wf, 'b') !== 'edited online' && value(wf, 'a') === 'edited offline',
      );
      // Saving still creates an immutable version, holding everyone's edits.
      await bea.page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(bea.page.locator('.notice')).toHaveText(/Saved version 2/);
      const client = new WeftClient({ baseUrl: host.baseUrl });
      await client.auth.login({ email: host.email, password: host.password });
      const ws = (await client.auth.me()).workspaces[0]?.id as string;
      const saved = await client.workflows.get(ws, id);
      expect(saved.version).toBe(2);
      expect(value(saved.workflow, 'a')).toBe('edited offline');
      await bea.page.screenshot({ path: test.info().outputPath('web-coediting.png') });
    } finally {
      await owner.context.close();
      await bea.context.close();
    }
  });
});

const redisUrl = process.env.WEFT_TEST_REDIS_URL;

test.describe('co-editing across two host processes joined by Redis', () => {
  test.skip(!redisUrl, 'WEFT_TEST_REDIS_URL is not set');
  let one: WebHost;
  let two: WebHost;
  let id: string;
  test.beforeAll(async () => {
    test.setTimeout(120_000); // two `weft start` processes, each up to 60 s on a loaded machine
    const env = {
      WEFT_SEED_EXAMPLES: 'false',
      WEFT_DATA_DIR: mkdtempSync(join(tmpdir(), 'weft-coedit-')),
      WEFT_REDIS_URL: redisUrl as string,
      WEFT_REDIS_PREFIX: `weft-coedit-${Date.now().toString(36)}`,
    };
    one = await startWebHost(env);
    two = await startWebHost(env);
    id = await prepare(one);
  });
  test.afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  test('each user on its own process: edits, presence and offline edits converge through Redis', async ({
    browser,
  }) => {
    const owner = await open(browser, one.baseUrl, one, id);
    const bea = await open(browser, two.baseUrl, BEA, id);
    try {
      await coEdit(owner.page, bea.page, bea.context);
    } finally {
      await owner.context.close();
      await bea.context.close();
    }
  });
});
