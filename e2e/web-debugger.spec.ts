import { expect, type Locator, type Page, test } from '@playwright/test';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// Step-through debugging in the editor against a real `weft start`: the unsaved document is
// debugged, each Step shows the node that ran with its output, Continue stops at a breakpoint,
// and the session's end (or Stop) is said plainly.
test.describe.configure({ mode: 'serial' });

let host: WebHost;
let workflowId: string;

const set = (id: string, name: string, field: string, value: string, x: number) => ({
  id,
  name,
  type: 'weft.set',
  parameters: { fields: [{ name: field, value }] },
  position: [x, 0],
});

/** Start -> Seed (n = 7) -> Double (twice = n * 2) -> Label. */
const chain = {
  name: 'Debug me',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    set('seed', 'Seed', 'n', '{{ 7 }}', 240),
    set('double', 'Double', 'twice', '{{ $json.n * 2 }}', 480),
    set('label', 'Label', 'label', 'n={{ $json.twice }}', 720),
  ],
  connections: [
    { source: 'start', target: 'seed' },
    { source: 'seed', target: 'double' },
    { source: 'double', target: 'label' },
  ],
};

test.beforeAll(async () => {
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
  const { client, workspaceId: ws } = await ownerClient(host);
  workflowId = (await client.workflows.create(ws, chain as never)).id;
});

test.afterAll(async () => {
  await host?.stop();
});

async function openEditor(page: Page): Promise<void> {
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/workflows/${workflowId}`);
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(4);
}

function canvasNode(page: Page, name: string): Locator {
  return page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });
}

const status = (page: Page) => page.locator('.debug-bar .debug-status');
const output = (page: Page) => page.locator('.inspector-pane weft-execution-view');

test('debugs the unsaved document node by node, stops at a breakpoint and says when it ended', async ({ page }) => {
  await openEditor(page);
  // An unsaved change: Double triples instead. The session must run the document as it is.
  await canvasNode(page, 'Double').click();
  const expr = page.locator('weft-inspector [data-param="value"] weft-expression-input textarea');
  await expr.fill('{{ $json.n * 3 }}');
  await expect(page.locator('.editor-bar .meta')).toContainText('changed');

  await canvasNode(page, 'Label').click();
  await page.getByRole('button', { name: 'Breakpoint off' }).click();
  await expect(page.getByRole('button', { name: 'Breakpoint on' })).toHaveAttribute('aria-pressed', 'true');
  await expect(canvasNode(page, 'Label')).toHaveClass(/breakpoint/);

  await page.getByRole('button', { name: 'Debug', exact: true }).click();
  await expect(status(page)).toHaveText('Paused before Start. Step runs it.');
  await expect(canvasNode(page, 'Start')).toHaveClass(/paused/);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();

  const step = page.getByRole('button', { name: 'Step', exact: true });
  await step.click();
  await expect(status(page)).toHaveText('Ran Start. Paused before Seed.');
  await expect(canvasNode(page, 'Start')).toHaveClass(/status-succeeded/);
  await expect(canvasNode(page, 'Start')).toHaveClass(/selected/);
  await expect(canvasNode(page, 'Seed')).toHaveClass(/paused/);

  await step.click();
  await expect(status(page)).toHaveText('Ran Seed. Paused before Double.');
  await expect(canvasNode(page, 'Seed')).toHaveClass(/selected/);
  await expect(page.locator('weft-inspector h2')).toHaveText('Seed');
  await expect(output(page)).toContainText('Seed');
  await expect(output(page)).toContainText('7');

  await step.click();
  await expect(status(page)).toHaveText('Ran Double. Paused at the breakpoint before Label.');
  await expect(page.locator('weft-inspector h2')).toHaveText('Double');
  await expect(output(page)).toContainText('twice');
  await expect(output(page)).toContainText('21');

  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(status(page)).toHaveText('Ran Label. Debug session ended: the workflow succeeded.');
  await expect(page.locator('weft-inspector h2')).toHaveText('Label');
  await expect(output(page)).toContainText('n=21');
  await expect(canvasNode(page, 'Label')).toHaveClass(/status-succeeded/);
  await expect(page.locator('weft-canvas .weft-flow__node.paused')).toHaveCount(0);
  await expect(step).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.locator('.debug-bar')).toHaveCount(0);
  // The unsaved change lives in the workflow's shared (co-editing) document, which the next
  // editor to open it joins: put Double back, so later tests run the saved workflow.
  await canvasNode(page, 'Double').click();
  await page.locator('weft-inspector [data-param="value"] weft-expression-input textarea').fill('{{ $json.n * 2 }}');
});

test('Stop ends a session part-way and unlocks the editor', async ({ page }) => {
  await openEditor(page);
  await page.getByRole('button', { name: 'Debug', exact: true }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status(page)).toHaveText('Ran Start. Paused before Seed.');
  await expect(page.locator('weft-canvas')).toHaveAttribute('readonly', '');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(status(page)).toHaveText('Debug session stopped.');
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.locator('weft-canvas')).not.toHaveAttribute('readonly', '');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('steps through the saved workflow with the output in the inspector sheet', async ({ page }) => {
    await openEditor(page);
    await page.getByRole('button', { name: 'Debug', exact: true }).click();
    await expect(status(page)).toHaveText('Paused before Start. Step runs it.');
    const step = page.getByRole('button', { name: 'Step', exact: true });
    for (const [node, shown] of [
      ['Start', ''],
      ['Seed', '7'],
      ['Double', '14'],
      ['Label', 'n=14'],
    ]) {
      await step.click();
      await expect(status(page)).toContainText(`Ran ${node}.`);
      await expect(page.locator('.inspector-pane')).toBeVisible();
      await expect(output(page)).toContainText(node);
      if (shown) await expect(output(page)).toContainText(shown);
    }
    await expect(status(page)).toHaveText('Ran Label. Debug session ended: the workflow succeeded.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
