import { expect, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

test.describe('screenshots', () => {
  test('light theme', async ({ page }) => {
    const c = new CanvasPage(page);
    await c.open();
    await expect(c.canvas).toHaveScreenshot('canvas-light.png');
  });

  test('dark theme with a selected node', async ({ page }) => {
    const c = new CanvasPage(page);
    await c.open('?theme=dark');
    await c.node('Big order?').click();
    await page.mouse.move(0, 0);
    await expect(c.canvas).toHaveScreenshot('canvas-dark-selected.png');
  });

  test('after a run: green nodes, durations and item counts', async ({ page }) => {
    const c = new CanvasPage(page);
    await c.open();
    await page.evaluate(() => {
      const w = (
        window as unknown as {
          weft: { play: (e: unknown[], d: number) => Promise<void>; sampleRunEvents: () => unknown[] };
        }
      ).weft;
      return w.play(w.sampleRunEvents(), 0);
    });
    await expect(page.locator('weft-canvas .weft-flow__node.status-succeeded')).toHaveCount(5);
    await expect(c.canvas).toHaveScreenshot('canvas-run-succeeded.png');
  });
});
