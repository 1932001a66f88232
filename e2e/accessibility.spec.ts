import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { CanvasPage } from './canvas-page.js';

for (const theme of ['light', 'dark']) {
  test(`the editor has no serious accessibility violations (${theme})`, async ({ page }) => {
    const c = new CanvasPage(page);
    await c.open(`?theme=${theme}`);
    await c.node('Notify sales').click();
    await expect(page.locator('weft-inspector h2')).toHaveText('Notify sales');
    const results = await new AxeBuilder({ page })
      .include('weft-canvas')
      .include('weft-inspector')
      .include('weft-node-palette')
      .analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.help} (${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')})`,
      );
    expect(serious).toEqual([]);
  });
}
