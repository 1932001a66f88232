import { expect, type Locator, type Page } from '@playwright/test';

/** Page helpers for the canvas demo page. */
export class CanvasPage {
  constructor(readonly page: Page) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.page.locator('html[data-ready="1"]')).toBeAttached();
    await expect(this.pane).toBeVisible();
  }

  get canvas(): Locator {
    return this.page.locator('weft-canvas');
  }

  get pane(): Locator {
    return this.page.locator('weft-canvas .weft-flow__pane');
  }

  get nodes(): Locator {
    return this.page.locator('weft-canvas .weft-flow__node:not(.note)');
  }

  get edges(): Locator {
    return this.page.locator('weft-canvas g.edge');
  }

  node(name: string): Locator {
    return this.page.locator('weft-canvas .weft-flow__node', { has: this.page.locator(`.node-name[title="${name}"]`) });
  }

  handle(name: string, type: 'source' | 'target', port = 'main'): Locator {
    return this.node(name).locator(`.weft-flow__handle.${type}[data-handleid="${port}"]`);
  }

  /** The workflow document the canvas holds right now. */
  workflow(): Promise<{
    nodes: {
      id: string;
      name: string;
      type: string;
      position?: [number, number];
      parameters: Record<string, unknown>;
    }[];
    connections: { source: string; target: string; sourcePort?: string }[];
  }> {
    return this.page.evaluate(() => {
      const w = (window as unknown as { weft: { canvas: { workflow: unknown } } }).weft.canvas.workflow;
      return JSON.parse(JSON.stringify(w));
    });
  }

  /** Drags between the centres of two elements with real mouse events. */
  async dragBetween(from: Locator, to: Locator): Promise<void> {
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error('element not visible');
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 5, { steps: 3 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
    // The canvas auto-pans while the pointer is near its edge, for longer on a loaded machine:
    // aim at where the target is now until it stops moving under the pointer.
    for (let i = 0; i < 10; i++) {
      const c = await to.boundingBox();
      if (!c) break;
      await this.page.mouse.move(c.x + c.width / 2, c.y + c.height / 2, { steps: 2 });
      const d = await to.boundingBox();
      if (d && Math.abs(d.x - c.x) < 1 && Math.abs(d.y - c.y) < 1) break;
    }
    await this.page.mouse.up();
  }
}
