import { expect, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

/** What these tests read of `<weft-canvas>` in the page. */
interface LargeCanvas {
  view: { plain: boolean; transform: [number, number, number]; pane: HTMLElement | null };
  editor: { graph: { position(id: string): { x: number; y: number } | undefined } };
}

test('a 1,000-node workflow renders only what is in the viewport', async ({ page }) => {
  const c = new CanvasPage(page);
  const started = Date.now();
  await c.open('?wf=large');
  await expect(c.pane).toHaveAttribute('aria-label', /1000 nodes, 1200 connections/);
  expect(Date.now() - started).toBeLessThan(10_000);
  await page.evaluate(() => {
    const canvas = (
      window as unknown as {
        weft: { canvas: { view: { panZoom: { instance: { setViewport(v: object): Promise<unknown> } } } } };
      }
    ).weft.canvas;
    return canvas.view.panZoom.instance.setViewport({ x: 0, y: 0, zoom: 1 });
  });
  await expect.poll(() => c.nodes.count()).toBeLessThan(120);
  const firstBatch = await c.nodes.count();
  expect(firstBatch).toBeGreaterThan(10);

  const box = (await c.pane.boundingBox())!;
  // (750, 380) lies in the gap between grid nodes, so the drag pans instead of moving a node
  await page.mouse.move(box.x + 750, box.y + 380);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y + 30, { steps: 10 });
  await page.mouse.up();
  await expect(c.node('Step 0')).toHaveCount(0);
  await expect.poll(() => c.nodes.count()).toBeLessThan(120);

  await page.locator('weft-canvas').getByRole('button', { name: 'Fit view' }).click();
  // zoomed far out the LOD layer paints the boxes, and nodes get no element (a thousand transparent ones made the first frame)
  await expect
    .poll(() => page.evaluate(() => (document.querySelector('weft-canvas') as unknown as LargeCanvas).view.plain))
    .toBe(true);
  await page.waitForTimeout(400); // the fit's 200 ms animation
  await expect.poll(() => c.nodes.count()).toBeLessThan(3);
  // the centre of node n41 in page pixels
  const n41 = await page.evaluate(() => {
    const canvas = document.querySelector('weft-canvas') as unknown as LargeCanvas;
    const p = canvas.editor.graph.position('n41')!;
    const [x, y, k] = canvas.view.transform;
    const r = canvas.view.pane!.getBoundingClientRect();
    return { x: r.left + x + (p.x + 100) * k, y: r.top + y + (p.y + 30) * k };
  });
  const painted = () =>
    page.evaluate(({ x, y }) => {
      const layer = document
        .querySelector('weft-canvas')!
        .shadowRoot!.querySelector<HTMLCanvasElement>('canvas.lod-layer')!;
      const l = layer.getBoundingClientRect();
      const k = layer.width / l.width;
      return layer.getContext('2d')!.getImageData(Math.round((x - l.left) * k), Math.round((y - l.top) * k), 1, 1)
        .data[3];
    }, n41);
  await expect.poll(painted).toBeGreaterThan(0);
  // the node under the pointer gets an element, so a click (or a drag) on the painted box reaches it
  await page.mouse.click(n41.x, n41.y);
  await expect(page.locator('weft-canvas .weft-flow__node[data-id="n41"]')).toHaveClass(/selected/);
  const at = async () => (await c.workflow()).nodes.find((n) => n.id === 'n41')!.position!;
  const before = await at();
  await page.mouse.down();
  await page.mouse.move(n41.x + 30, n41.y + 20, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await at())[0]).toBeGreaterThan(before[0] + 50);
  // keyboard: ] from the pane focuses the first node, which had no element until then
  await c.pane.focus();
  await page.keyboard.press(']');
  await expect(page.locator('weft-canvas .weft-flow__node[data-id="n0"]')).toBeFocused();
  await page.keyboard.press(']');
  await expect(page.locator('weft-canvas .weft-flow__node[data-id="n1"]')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.locator('weft-canvas .weft-flow__node[data-id="n1"]')).toHaveClass(/selected/);
});

test('zoom controls, wheel zoom and a canvas moved to another place in the page keep working', async ({ page }) => {
  const c = new CanvasPage(page);
  await c.open();
  const zoom = () =>
    page.evaluate(
      () =>
        (window as unknown as { weft: { canvas: { view: { transform: number[] } } } }).weft.canvas.view.transform[2]!,
    );
  const before = await zoom();
  await page.locator('weft-canvas').getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(zoom).toBeGreaterThan(before * 1.1);
  await page.locator('weft-canvas').getByRole('button', { name: 'Fit view' }).click();
  await expect.poll(zoom).toBeCloseTo(before, 2);

  await page.evaluate(() => {
    const canvas = document.querySelector('weft-canvas')!;
    const holder = document.createElement('div');
    holder.style.cssText = 'grid-column: 2; grid-row: 1; display: grid';
    canvas.replaceWith(holder);
    holder.append(canvas);
  });
  const box = (await c.pane.boundingBox())!;
  const z0 = await zoom();
  const fetchBefore = (await c.node('Fetch orders').boundingBox())!;
  // panning right after re-attaching starts from where the view was, not from a reset transform
  await page.mouse.move(box.x + 60, box.y + 60);
  await page.mouse.down();
  await page.mouse.move(box.x + 90, box.y + 80, { steps: 5 });
  await page.mouse.up();
  const fetchAfter = (await c.node('Fetch orders').boundingBox())!;
  expect(Math.round(fetchAfter.x - fetchBefore.x)).toBe(30);
  expect(Math.round(fetchAfter.y - fetchBefore.y)).toBe(20);
  await page.mouse.move(box.x + 100, box.y + 100);
  await page.mouse.wheel(0, -300);
  await expect.poll(zoom).toBeGreaterThan(z0);
  await page.locator('weft-canvas').getByRole('button', { name: 'Fit view' }).click();
  await expect.poll(zoom).toBeLessThan(z0 + 0.01);
  await page.waitForTimeout(300);
  await c.dragBetween(c.handle('Notify sales', 'source'), c.handle('Fetch orders', 'target'));
  await expect(c.edges).toHaveCount(5);
});
