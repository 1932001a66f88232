import { expect, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

test('copy in one tab, paste in another: the clipboard carries workflow JSON', async ({ context }) => {
  const one = new CanvasPage(await context.newPage());
  const two = new CanvasPage(await context.newPage());
  await one.open();
  await two.open('?wf=empty');

  await one.node('Big order?').click();
  await one.node('Notify sales').click({ modifiers: ['Shift'] });
  await expect(one.page.locator('weft-canvas .weft-flow__node.selected')).toHaveCount(2);
  await one.page.keyboard.press('Control+c');
  const text = await one.page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(text)).toMatchObject({
    kind: 'weft/workflow-fragment',
    nodes: [{ name: 'Big order?' }, { name: 'Notify sales' }],
  });

  await two.page.bringToFront();
  await two.pane.click({ position: { x: 300, y: 300 } });
  await two.page.keyboard.press('Control+v');
  await expect(two.nodes).toHaveCount(2);
  await expect(two.edges).toHaveCount(1);
  const wf = await two.workflow();
  expect(wf.nodes.map((n) => n.name).sort()).toEqual(['Big order?', 'Notify sales']);
  expect(wf.connections[0]).toMatchObject({ sourcePort: 'true' });

  await two.page.keyboard.press('Control+v');
  await expect(two.nodes).toHaveCount(4);
  expect((await two.workflow()).nodes.map((n) => n.name)).toContain('Notify sales 1');
});

test('keyboard only: add, connect, configure, move and delete without a mouse', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open('?wf=empty');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(c.pane).toBeFocused();

  await page.keyboard.press('Tab');
  const popover = page.locator('weft-canvas weft-node-palette');
  await expect(popover).toBeVisible();
  await page.keyboard.type('manual');
  await page.keyboard.press('Enter');
  await expect(c.nodes).toHaveCount(1);
  await expect(c.node('Manual Trigger')).toBeFocused();

  await page.keyboard.press('n');
  await page.keyboard.type('set');
  await page.keyboard.press('Enter');
  await expect(c.nodes).toHaveCount(2);
  await expect(c.node('Set')).toBeFocused();

  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  const [trigger, set] = (await c.workflow()).nodes;
  expect(set!.position![0] - trigger!.position![0]).toBeGreaterThanOrEqual(200);

  await page.keyboard.press('[');
  await expect(c.node('Manual Trigger')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(c.handle('Manual Trigger', 'source')).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(c.node('Set')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(c.handle('Set', 'target')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(c.edges).toHaveCount(1);

  await page.keyboard.press('Shift+Tab');
  await expect(c.node('Set')).toBeFocused();
  await page.keyboard.press('Enter');
  const inspector = page.locator('weft-inspector');
  await expect(inspector.locator('h2')).toHaveText('Set');

  await page.keyboard.press('Delete');
  await expect(c.nodes).toHaveCount(1);
  await expect(c.edges).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(c.nodes).toHaveCount(2);
  await expect(c.edges).toHaveCount(1);
});

test('the execution overlay turns green as events stream in, with durations and item counts', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await page.locator('weft-canvas').getByRole('button', { name: 'Run workflow' }).click();
  await expect(c.node('Fetch orders')).toHaveClass(/status-succeeded/);
  await expect(c.node('Tag small')).toHaveClass(/status-succeeded/);
  await expect(page.locator('weft-canvas .weft-flow__node.status-succeeded')).toHaveCount(5);
  await expect(c.node('Fetch orders').locator('.badge.status')).toContainText('182 ms');
  await expect(page.locator('weft-canvas svg.labels text.count')).toHaveText([
    '1 item',
    '3 items',
    '2 items',
    '1 item',
  ]);
  await expect(c.node('Fetch orders')).toHaveAttribute('aria-label', /succeeded in 182 ms/);

  await c.node('Fetch orders').click();
  const view = page.locator('weft-execution-view');
  await expect(view.locator('.meta').first()).toHaveText('succeeded');
  await expect(view.locator('tbody tr')).toHaveCount(3);
  await expect(view.locator('thead th')).toHaveText(['#', 'id', 'total', 'customer', 'tags', 'checked']);
  await view.getByRole('button', { name: 'JSON' }).click();
  await expect(view.locator('pre')).toContainText('"email": "ada@example.com"');
  await view.getByRole('tab', { name: 'Input' }).click();
  await view.getByRole('button', { name: 'Table' }).click();
  await expect(view.locator('thead th')).toHaveText(['#', 'id', 'total', 'customer', 'tags']);
});

test('a failed run marks the failing node red with its error', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await page.evaluate(() => {
    const w = (
      window as unknown as {
        weft: {
          play: (e: unknown[], d: number) => Promise<void>;
          sampleRunEvents: (id: string, fail: boolean) => unknown[];
        };
      }
    ).weft;
    return w.play(w.sampleRunEvents('exec-fail', true), 0);
  });
  await expect(c.node('Notify sales')).toHaveClass(/status-failed/);
  await expect(c.node('Notify sales').locator('.badge.status')).toHaveAttribute('title', /401/);
  await expect(c.node('Tag small')).not.toHaveClass(/status-/);
});
