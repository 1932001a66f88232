// What the canvas benchmark measures on one <weft-canvas> in a page (the demo, the web app's editor
// or a Storybook story): the first render of a workflow set on an empty canvas, then the frame rate
// while Playwright pans and zooms with real mouse input. Used by canvas.bench.mjs.

/**
 * Sets `workflow` on the page's (empty) canvas and times it from the assignment:
 * - `paint`: until the frame that shows the nodes is drawn: the end of the Long Animation Frame
 *   holding the first requestAnimationFrame after the update (that rAF's own time when the frame
 *   was under 50 ms, so no entry was recorded);
 * - `settled`: until the next frame starts, which also waits for what the canvas deferred past the
 *   first frame (validation of the document).
 */
export async function firstRender(page, selector, workflow) {
  return page.evaluate(
    async ({ selector, workflow }) => {
      const canvas = document.querySelector(selector);
      const frames = [];
      const observer = new PerformanceObserver((list) => frames.push(...list.getEntries()));
      observer.observe({ type: 'long-animation-frame' });
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
      const t0 = performance.now();
      canvas.workflow = workflow;
      await canvas.updateComplete;
      const raf1 = await frame();
      const raf2 = await frame();
      await new Promise((r) => setTimeout(r, 100)); // the observer reports after the frame
      frames.push(...observer.takeRecords());
      observer.disconnect();
      const drawn = frames.find((f) => f.startTime <= raf1 && f.startTime + f.duration >= raf1);
      return {
        paint: (drawn ? drawn.startTime + drawn.duration : raf1) - t0,
        settled: raf2 - t0,
        drawn: canvas.drawnIds.length,
        elements: canvas.renderedIds.length,
      };
    },
    { selector, workflow },
  );
}

/** Frame statistics of one gesture: fps from the frame count, p95 of the frame intervals. */
function stats({ frames, ms }) {
  const s = [...frames].sort((a, b) => a - b);
  const p95 = s[Math.min(s.length - 1, Math.floor(0.95 * s.length))] ?? Number.NaN;
  return { fps: ms > 0 ? (frames.length * 1000) / ms : Number.NaN, p95 };
}

const record = (page) =>
  page.evaluate(() => {
    window.__frames = [];
    window.__start = performance.now();
    let last = window.__start;
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__recording) requestAnimationFrame(tick);
    };
    window.__recording = true;
    requestAnimationFrame(tick);
  });

const stop = async (page) =>
  stats(
    await page.evaluate(() => {
      window.__recording = false;
      return { frames: window.__frames, ms: performance.now() - window.__start };
    }),
  );

/**
 * Puts the view at `zoom` (a number, or 'fit' for fit view), then counts frames while the mouse
 * pans the pane (120 moves from a point between grid nodes) and while the wheel zooms in and out
 * (40 steps).
 */
export async function gestures(page, selector, zoom) {
  await page.evaluate(
    ({ selector, zoom }) => {
      const canvas = document.querySelector(selector);
      if (zoom === 'fit') return canvas.fitView();
      return canvas.view.panZoom.instance.setViewport({ x: 20, y: 20, zoom });
    },
    { selector, zoom },
  );
  await page.waitForTimeout(300);
  const box = await page.locator(selector).boundingBox();
  const [tx, ty, k] = await page.evaluate((s) => document.querySelector(s).view.transform, selector);
  // a point between grid nodes (260 x 140 apart), so the drag pans the pane
  const gx = box.x + tx + 230 * k;
  const gy = box.y + ty + 100 * k;

  await record(page);
  await page.mouse.move(gx, gy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(gx - i * 8, gy - i * 4);
  for (let i = 60; i > 0; i--) await page.mouse.move(gx - i * 8, gy - i * 4);
  await page.mouse.up();
  const pan = await stop(page);

  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await record(page);
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? -60 : 60);
  await page.waitForTimeout(100);
  const zoomed = await stop(page);
  return { pan, zoom: zoomed };
}

/** The median of the finite numbers in `xs` (NaN when there are none). */
export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
