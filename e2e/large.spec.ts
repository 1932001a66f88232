import { expect, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

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
  await expect(page.locator('weft-canvas .weft-flow__node.lod').first()).toBeVisible();
});
