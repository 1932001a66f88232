import { expect, type Page, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

// Authoring on the canvas demo page (issue 11): "+" on an output, connection drags that end
// outside the canvas, the keyboard help overlay.

type Transform = [number, number, number];
const transform = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { weft: { canvas: { view: { transform: Transform } } } }).weft.canvas.view.transform,
  );
const frames = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );

test('"+" on an output opens the picker there; the picked node is placed right of it and connected', async ({
  page,
}) => {
  const c = new CanvasPage(page);
  await c.open();
  const notify = c.node('Notify sales');
  const plus = notify.locator('.port-add');
  await expect(plus).toHaveCount(1);
  await expect(plus).toHaveAttribute('aria-label', 'Add a node after output main of Notify sales');
  await plus.click();
  const picker = page.locator('weft-canvas weft-node-palette');
  await expect(picker).toBeVisible();
  await expect(picker.locator('input')).toBeFocused();
  await expect(picker.locator('li.item[data-type="weft.manualTrigger"]')).toHaveCount(0);
  await picker.locator('input').fill('wait');
  await picker.locator('input').press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(c.nodes).toHaveCount(6);
  const wf = await c.workflow();
  const from = wf.nodes.find((n) => n.name === 'Notify sales')!;
  const added = wf.nodes.find((n) => n.type === 'weft.wait')!;
  expect(wf.connections).toContainEqual({ source: from.id, target: added.id });
  expect(added.position![0]).toBeGreaterThan(from.position![0] + 200);
  // a connected output keeps its "+" out of the way until the node is hovered or selected
  await expect(notify.locator('.port-add')).toHaveClass(/connected/);
});

test('a connection drag released over the inspector ends: no auto-pan, no picker, no connection', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  const before = (await c.workflow()).connections.length;
  const h = (await c.handle('Notify sales', 'source').boundingBox())!;
  const inspector = (await page.locator('weft-inspector').boundingBox())!;
  await page.mouse.move(h.x + 6, h.y + 6);
  await page.mouse.down();
  // through the canvas's right edge (its auto-pan zone) onto the inspector
  await page.mouse.move(inspector.x + 120, h.y + 40, { steps: 12 });
  await page.mouse.up();
  const released = await transform(page);
  await frames(page, 12);
  expect(await transform(page)).toEqual(released);
  await expect(page.locator('weft-canvas weft-node-palette')).toHaveCount(0);
  expect((await c.workflow()).connections).toHaveLength(before);
  // the canvas still connects afterwards (the drag panned while outside: bring the nodes back)
  await page.evaluate(() =>
    (window as unknown as { weft: { canvas: { fitView(): Promise<void> } } }).weft.canvas.fitView(),
  );
  await c.dragBetween(c.handle('Notify sales', 'source'), c.handle('Fetch orders', 'target'));
  expect((await c.workflow()).connections).toHaveLength(before + 1);
});

test('"?" shows the keyboard shortcuts over the canvas; Escape and the close button hide them', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await c.pane.focus();
  await page.keyboard.press('?');
  const help = page.locator('weft-canvas [role="dialog"]', { hasText: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.locator('dd', { hasText: /^Undo$/ })).toHaveCount(1);
  await expect(help).toContainText('Add the next node there, connected');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await c.canvas.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close keyboard shortcuts' }).click();
  await expect(help).toHaveCount(0);
  await expect(c.pane).toBeFocused();
});

test("the Code editor completes $: $input, the input's $json fields and $('Node') with its fields", async ({
  page,
}) => {
  const c = new CanvasPage(page);
  await c.open('?wf=empty');
  await page
    .locator('weft-node-palette li[data-type="weft.code"]')
    .dragTo(c.pane, { targetPosition: { x: 200, y: 200 } });
  await expect(c.nodes).toHaveCount(1);
  await c.nodes.first().click();
  const editor = page.locator('weft-inspector weft-code-editor .cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('return $inp');
  const options = page.locator('weft-inspector .cm-tooltip-autocomplete li');
  await expect(options.first()).toBeVisible();
  await expect(options.filter({ hasText: '$input.all()' })).toHaveCount(1);
  await options.filter({ hasText: '$input.all()' }).click();
  await expect(editor).toHaveText('return $input.all()');
  await page.keyboard.type(".map((i) => $('Fetch orders').item.json.customer.em");
  await expect(options.filter({ hasText: "$('Fetch orders').item.json.customer.email" })).toHaveCount(1);
  await page.keyboard.type(' + $json.cust');
  await expect(options.filter({ hasText: '$json.customer.email' })).toHaveCount(1);
});

test('dragging a field from the input view into a parameter inserts {{ $json.path }}', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await c.node('Notify sales').click();
  const view = page.locator('weft-execution-view');
  await view.getByRole('tab', { name: 'Input' }).click();
  const channel = page.locator('weft-inspector [data-param="channel"]');
  await view.locator('th[data-path="$json.total"]').dragTo(channel.locator('input'));
  const expr = channel.locator('weft-expression-input textarea');
  await expect(expr).toHaveValue(/\{\{ \$json\.total \}\}/);
  await expect(expr).toHaveValue(/#sales/);

  await view.getByRole('button', { name: 'JSON' }).click();
  const text = page.locator('weft-inspector [data-param="text"] weft-expression-input textarea');
  await text.fill('To ');
  await view.locator('pre .key[data-path="$json.customer.email"]').first().dragTo(text);
  await expect(text).toHaveValue('To {{ $json.customer.email }}');
  const params = (await c.workflow()).nodes.find((n) => n.name === 'Notify sales')!.parameters;
  expect(params.text).toBe('To {{ $json.customer.email }}');
});
