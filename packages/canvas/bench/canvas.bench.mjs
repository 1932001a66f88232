#!/usr/bin/env node
// Canvas rendering benchmark: loads workflows of 0, 10 and 1,000 nodes (1,200 edges) into
// <weft-canvas> in headless Chromium and prints render time and pan/zoom frame times (median and
// p95 of requestAnimationFrame intervals while real mouse input pans and zooms), with the empty
// and 10-node canvases as the baseline measured in the same run. Run by `npm run bench`.
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

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
  return { median: q(0.5), p95: q(0.95), n: s.length };
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
  // a point between grid nodes, so the drag pans the pane
  const gx = box.x + 230 * (zoom === 'fit' ? 0.2 : zoom) + 20;
  const gy = box.y + 100 * (zoom === 'fit' ? 0.2 : zoom) + 20;

  const record = () =>
    page.evaluate(() => {
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => {
        window.__frames.push(t - last);
        last = t;
        if (window.__recording) requestAnimationFrame(tick);
      };
      window.__recording = true;
      requestAnimationFrame((t) => {
        last = t;
        requestAnimationFrame(tick);
      });
    });
  const stop = () =>
    page.evaluate(() => {
      window.__recording = false;
      return window.__frames;
    });

  await record();
  await page.mouse.move(gx, gy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(gx - i * 8, gy - i * 4);
  for (let i = 60; i > 0; i--) await page.mouse.move(gx - i * 8, gy - i * 4);
  await page.mouse.up();
  const pan = stats(await stop());

  let drag = { median: Number.NaN, p95: Number.NaN };
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
rows.push(await scenario('10 nodes (baseline)', 10, 9, 1));
rows.push(await scenario('1,000 nodes, zoom 1', 1000, 1200, 1));
rows.push(await scenario('1,000 nodes, fit view', 1000, 1200, 'fit'));
await browser.close();
await new Promise((r) => server.httpServer.close(r));

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const fps = (ms) => (Number.isFinite(ms) && ms > 0 ? (1000 / ms).toFixed(0) : '-');
console.log(
  '| scenario | nodes/edges | render ms | rendered nodes | pan median ms (fps) | pan p95 ms | zoom median ms (fps) | zoom p95 ms | drag median ms (fps) | drag p95 ms |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.nodes}/${r.edges} | ${f(r.render)} | ${r.rendered} | ${f(r.pan.median)} (${fps(r.pan.median)}) | ${f(r.pan.p95)} | ${f(r.zoom.median)} (${fps(r.zoom.median)}) | ${f(r.zoom.p95)} | ${f(r.drag.median)} (${fps(r.drag.median)}) | ${f(r.drag.p95)} |`,
  );
}
console.log(
  '\nFrame times are requestAnimationFrame intervals in headless Chromium while Playwright drives real mouse input;',
);
console.log('targets: render <= 1000 ms and >= 50 fps (median frame <= 20 ms) for 1,000 nodes / 1,200 edges.');
