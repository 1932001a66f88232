#!/usr/bin/env node
// Canvas rendering benchmark: loads workflows of 0, 100, 1,000 (1,200 edges) and 5,000 nodes into
// <weft-canvas> in headless Chromium and measures the first render and the frame rate while
// Playwright pans, zooms and drags with real mouse input: frames are requestAnimationFrame
// callbacks counted over the gesture (fps = frames / seconds), plus the p95 frame time. The empty
// and 100-node canvases are the baseline, measured in the same run. Run by `npm run bench`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

process.chdir(root);
await build({ mode: 'demo', logLevel: 'error' });
const server = await preview({ mode: 'demo', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });

/** Frame statistics of one gesture: fps from the frame count, p95 of the frame intervals. */
const stats = ({ frames, ms }) => {
  const s = [...frames].sort((a, b) => a - b);
  const p95 = s[Math.min(s.length - 1, Math.floor(0.95 * s.length))] ?? Number.NaN;
  return { fps: ms > 0 ? (frames.length * 1000) / ms : Number.NaN, p95, n: frames.length };
};

async function scenario(label, nodes, edges, zoom) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(`${url}?wf=empty&minimap=1`);
  await page.waitForSelector('html[data-ready="1"]');
  await page.waitForTimeout(300);
  const render = await page.evaluate(
    async ({ nodes, edges }) => {
      const { canvas, largeWorkflow } = window.weft;
      const wf = largeWorkflow(nodes, edges);
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const t0 = performance.now();
      canvas.workflow = wf;
      await canvas.updateComplete;
      await frame();
      await frame();
      const painted = performance.now() - t0;
      return { ms: painted, rendered: canvas.renderedIds.length };
    },
    { nodes, edges },
  );
  if (zoom !== 'fit') {
    await page.evaluate((z) => window.weft.canvas.view.panZoom.instance.setViewport({ x: 20, y: 20, zoom: z }), zoom);
  } else {
    await page.evaluate(() => window.weft.canvas.fitView());
  }
  await page.waitForTimeout(300);
  const rendered = await page.evaluate(() => window.weft.canvas.renderedIds.length);
  const box = await page.locator('weft-canvas').boundingBox();
  // a point between grid nodes (260 x 140 apart), so the drag pans the pane
  const [tx, ty, k] = await page.evaluate(() => window.weft.canvas.view.transform);
  const gx = box.x + tx + 230 * k;
  const gy = box.y + ty + 100 * k;

  const record = () =>
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
  const stop = () =>
    page.evaluate(() => {
      window.__recording = false;
      return { frames: window.__frames, ms: performance.now() - window.__start };
    });

  await record();
  await page.mouse.move(gx, gy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(gx - i * 8, gy - i * 4);
  for (let i = 60; i > 0; i--) await page.mouse.move(gx - i * 8, gy - i * 4);
  await page.mouse.up();
  const pan = stats(await stop());

  let drag = { fps: Number.NaN, p95: Number.NaN };
  const target = await page.evaluate(() => window.weft.canvas.renderedIds.find((id) => !id.startsWith('note:')));
  if (target) {
    const nb = await page.locator(`weft-canvas .weft-flow__node[data-id="${target}"]`).boundingBox();
    if (nb) {
      await record();
      await page.mouse.move(nb.x + nb.width / 2, nb.y + Math.min(12, nb.height / 2));
      await page.mouse.down();
      for (let i = 1; i <= 60; i++)
        await page.mouse.move(nb.x + nb.width / 2 + i * 3, nb.y + Math.min(12, nb.height / 2) + i * 2);
      await page.mouse.up();
      drag = stats(await stop());
    }
  }

  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await record();
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? -60 : 60);
  await page.waitForTimeout(100);
  const zoomStats = stats(await stop());
  await page.close();
  return { label, nodes, edges, render: render.ms, rendered, pan, drag, zoom: zoomStats };
}

const rows = [];
rows.push(await scenario('empty (baseline)', 0, 0, 1));
rows.push(await scenario('100 nodes, fit view (baseline)', 100, 120, 'fit'));
rows.push(await scenario('1,000 nodes, zoom 1', 1000, 1200, 1));
rows.push(await scenario('1,000 nodes, fit view', 1000, 1200, 'fit'));
rows.push(await scenario('5,000 nodes, fit view', 5000, 6000, 'fit'));
await browser.close();
await new Promise((r) => server.httpServer.close(r));

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const base = rows[1];
console.log(
  '| scenario | nodes/edges | first render ms | rendered | pan fps | pan p95 ms | zoom fps | zoom p95 ms | drag fps | drag p95 ms | pan fps vs 100 nodes |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.nodes}/${r.edges} | ${f(r.render, 0)} | ${r.rendered} | ${f(r.pan.fps, 0)} | ${f(r.pan.p95)} | ${f(r.zoom.fps, 0)} | ${f(r.zoom.p95)} | ${f(r.drag.fps, 0)} | ${f(r.drag.p95)} | ${f(r.pan.fps / base.pan.fps, 2)}x |`,
  );
}
console.log(
  '\nfps = requestAnimationFrame callbacks per second while Playwright drives real mouse input in headless Chromium',
);
console.log('(software rendering); target: >= 50 fps panning and zooming 1,000 nodes / 1,200 edges all in view.');
