import { expect, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

test('renders the workflow with nodes, edges, labels and a sticky note', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await expect(c.nodes).toHaveCount(5);
  await expect(c.edges).toHaveCount(4);
  await expect(page.locator('weft-canvas .note')).toContainText('Orders over 100 go to sales.');
  await expect(c.node('Big order?').locator('.port-label.out')).toHaveText(['true', 'false']);
  await expect(c.pane).toHaveAttribute('aria-label', /Workflow Orders: 5 nodes, 4 connections/);
});

test('drag a node from the palette, connect it and give it parameters and an expression', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open('?wf=empty');
  await expect(c.nodes).toHaveCount(0);
  const paneBox = (await c.pane.boundingBox())!;
  await page.locator('weft-node-palette li[data-type="weft.manualTrigger"]').dragTo(c.pane, {
    targetPosition: { x: 150, y: 200 },
  });
  await page.locator('weft-node-palette li[data-type="weft.set"]').dragTo(c.pane, {
    targetPosition: { x: Math.min(550, paneBox.width - 250), y: 200 },
  });
  await expect(c.nodes).toHaveCount(2);

  await c.dragBetween(c.handle('Manual Trigger', 'source'), c.handle('Set', 'target'));
  await expect(c.edges).toHaveCount(1);
  const wf = await c.workflow();
  const trigger = wf.nodes.find((n) => n.type === 'weft.manualTrigger')!;
  const set = wf.nodes.find((n) => n.type === 'weft.set')!;
  expect(wf.connections).toEqual([{ source: trigger.id, target: set.id }]);

  await c.node('Set').click();
  const inspector = page.locator('weft-inspector');
  await expect(inspector.locator('h2')).toHaveText('Set');
  await inspector.getByRole('button', { name: 'Add Field' }).click();
  await inspector.getByRole('textbox', { name: 'Name', exact: true }).nth(1).fill('email');
  const value = inspector.locator('[data-param="value"]');
  await value.getByRole('button', { name: /use an expression/ }).click();
  const expr = value.locator('weft-expression-input textarea');
  await expect(expr).toHaveValue('{{ $json }}');
  await expr.fill('');
  await expr.pressSequentially('{{ $json.cu');
  await expect(value.getByRole('option', { name: /\$json\.customer\.email/ })).toBeVisible();
  await value.getByRole('option', { name: /\$json\.customer\.email/ }).click();
  await expr.press('End');
  await expr.pressSequentially(' }}');
  await expect(value.locator('output')).toHaveText('ada@example.com');

  const params = (await c.workflow()).nodes.find((n) => n.type === 'weft.set')!.parameters;
  expect(params.fields).toEqual([{ name: 'email', value: '{{ $json.customer.email }}' }]);
});

test('invalid connections are refused: duplicates and output-to-output', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await c.dragBetween(c.handle('Start', 'source'), c.handle('Fetch orders', 'target'));
  await c.dragBetween(c.handle('Notify sales', 'source'), c.handle('Tag small', 'source'));
  expect((await c.workflow()).connections).toHaveLength(4);
  await c.dragBetween(c.handle('Notify sales', 'source'), c.handle('Fetch orders', 'target'));
  await expect.poll(async () => (await c.workflow()).connections.length).toBe(5);
});

test('dragging a connection onto empty canvas opens the palette filtered to nodes that fit', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  const h = (await c.handle('Start', 'source').boundingBox())!;
  await page.mouse.move(h.x + 6, h.y + 6);
  await page.mouse.down();
  await page.mouse.move(h.x + 40, h.y + 80, { steps: 8 });
  await page.mouse.move(h.x + 60, h.y + 150, { steps: 4 });
  await page.mouse.up();
  const popover = page.locator('weft-canvas weft-node-palette');
  await expect(popover).toBeVisible();
  await expect(popover.locator('li.item[data-type="weft.manualTrigger"]')).toHaveCount(0);
  await popover.locator('input').fill('wait');
  await popover.locator('input').press('Enter');
  await expect(c.nodes).toHaveCount(6);
  const wf = await c.workflow();
  const wait = wf.nodes.find((n) => n.type === 'weft.wait')!;
  expect(wf.connections).toContainEqual({ source: 'trigger', target: wait.id });
});

test('move, delete, undo and redo', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  const start = c.node('Start');
  const before = (await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position!;
  const box = (await start.locator('.node-header').boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + 15);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + 95, { steps: 10 });
  await page.mouse.up();
  const moved = (await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position!;
  expect(moved[0]).toBeGreaterThan(before[0] + 30);

  await c.node('Tag small').click();
  await page.keyboard.press('Delete');
  await expect(c.nodes).toHaveCount(4);
  await expect(c.edges).toHaveCount(3);

  await page.keyboard.press('Control+z');
  await expect(c.nodes).toHaveCount(5);
  await expect(c.edges).toHaveCount(4);
  await page.keyboard.press('Control+z');
  expect((await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position).toEqual(before);
  await page.keyboard.press('Control+Shift+z');
  expect((await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position).toEqual(moved);
  await page.keyboard.press('Control+y');
  await expect(c.nodes).toHaveCount(4);
});

test('marquee selection with shift-drag, then delete the selection as one undo step', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  const a = (await c.node('Notify sales').boundingBox())!;
  const b = (await c.node('Tag small').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(a.x - 20, a.y - 20);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width + 10, b.y + b.height + 10, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.locator('weft-canvas .weft-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Delete');
  await expect(c.nodes).toHaveCount(3);
  await page.keyboard.press('Control+z');
  await expect(c.nodes).toHaveCount(5);
});

test('read-only mode allows looking but not changing', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open('?readonly=1');
  await expect(c.canvas).toHaveAttribute('readonly', '');
  await c.node('Tag small').click();
  await page.keyboard.press('Delete');
  await c.dragBetween(c.handle('Notify sales', 'source'), c.handle('Fetch orders', 'target'));
  const wf = await c.workflow();
  expect(wf.nodes).toHaveLength(5);
  expect(wf.connections).toHaveLength(4);
  await expect(page.locator('weft-canvas').getByRole('button', { name: 'Undo' })).toHaveCount(0);
});

test('validation problems show on the node they concern and clear when fixed', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open('?wf=empty');
  await page
    .locator('weft-node-palette li[data-type="weft.httpRequest"]')
    .dragTo(c.pane, { targetPosition: { x: 200, y: 200 } });
  const node = c.node('HTTP Request');
  await expect(node.locator('.badge.problems')).toHaveAttribute('title', /URL/);
  await expect(node).toHaveAttribute('aria-label', /1 problem/);
  await node.click();
  const inspector = page.locator('weft-inspector');
  await expect(inspector.getByRole('alert')).toContainText('URL');
  await inspector.locator('[data-param="url"] input').fill('https://api.example.com/orders');
  await expect(node.locator('.badge.problems')).toHaveCount(0);
  await expect(inspector.getByRole('alert')).toHaveCount(0);
});

test('sticky notes: add, edit text, undo', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  await page.locator('weft-canvas').getByRole('button', { name: 'Add sticky note' }).click();
  const editor = page.locator('weft-canvas .note textarea');
  await expect(editor).toBeFocused();
  await editor.fill('Check the totals first');
  await c.pane.click({ position: { x: 20, y: 20 } });
  await expect(page.locator('weft-canvas .note', { hasText: 'Check the totals first' })).toHaveCount(1);
  const notes = await page.evaluate(() =>
    (
      window as unknown as { weft: { canvas: { workflow: { notes: { text: string }[] } } } }
    ).weft.canvas.workflow.notes.map((n) => n.text),
  );
  expect(notes).toEqual(['Orders over 100 go to sales.', 'Check the totals first']);
  await page.keyboard.press('Control+z');
  await expect(page.locator('weft-canvas .note', { hasText: 'Check the totals first' })).toHaveCount(0);
  await expect(page.locator('weft-canvas .note')).toHaveCount(2);
});

test('snap to grid, duplicate, auto-layout and undo', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open('?snap=1');
  const box = (await c.node('Start').locator('.node-header').boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + 15);
  await page.mouse.down();
  await page.mouse.move(box.x + 67, box.y + 53, { steps: 8 });
  await page.mouse.up();
  const start = (await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position!;
  expect(start[0] % 20).toBe(0);
  expect(start[1] % 20).toBe(0);
  expect(start).not.toEqual([0, 100]);

  await c.node('Fetch orders').click();
  await page.keyboard.press('Control+d');
  await expect(c.nodes).toHaveCount(6);
  await expect(c.node('Fetch orders 1')).toHaveClass(/selected/);

  await page.locator('weft-canvas').getByRole('button', { name: 'Tidy: auto-layout' }).click();
  await expect
    .poll(async () => (await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position)
    .not.toEqual(start);
  const laid = await c.workflow();
  const x = (id: string) => laid.nodes.find((n) => n.id === id)!.position![0];
  expect(x('fetch')).toBeGreaterThan(x('trigger'));
  expect(x('big')).toBeGreaterThan(x('fetch'));
  await page.keyboard.press('Control+z');
  expect((await c.workflow()).nodes.find((n) => n.id === 'trigger')!.position).toEqual(start);
});

test('a connection can be selected and deleted from the keyboard', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  const edge = page.locator('weft-canvas g.edge[data-edge="big:false->tag:main"]');
  await edge.focus();
  await page.keyboard.press('Space');
  await expect(edge).toHaveClass(/selected/);
  await page.keyboard.press('Delete');
  await expect(c.edges).toHaveCount(3);
  expect((await c.workflow()).connections.some((e) => e.target === 'tag')).toBe(false);
});
