#!/usr/bin/env node
// Canvas rendering benchmark, in headless Chromium, of <weft-canvas> in three pages: the canvas
// demo, the host's web app editor (with the host's catalogue and validation) and Storybook's
// "Large" story. For each, workflows of 100 (baseline, same run), 1,000 (1,200 edges) and 5,000
// nodes are set on an empty canvas: first render (to the frame drawn, and to the next frame, which
// waits for deferred validation), then fps while Playwright pans and wheel-zooms with real mouse
// input (frames = requestAnimationFrame callbacks over the gesture). Each row is the median of
// REPS runs on fresh pages. Run by `npm run bench` (after `npm run build`).
//   node packages/canvas/bench/canvas.bench.mjs [reps=3] [storybook build dir]
// Without a Storybook build dir, one is built into a temporary directory (a few minutes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { firstRender, gestures, median } from './canvas-measure.mjs';
import { demoTarget, storybookTarget, webAppTarget } from './canvas-targets.mjs';

const reps = Number(process.argv[2] ?? 3);
let storybookDir = process.argv[3];
let builtStorybook;
if (!storybookDir) {
  builtStorybook = storybookDir = mkdtempSync(join(tmpdir(), 'weft-canvas-bench-sb-'));
  execFileSync('npx', ['storybook', 'build', '-o', storybookDir, '--quiet'], {
    cwd: resolve(import.meta.dirname, '../../../storybook'),
    stdio: 'ignore',
  });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
});
const scenarios = [
  { label: '100 nodes, fit view (baseline)', nodes: 100, edges: 120, zoom: 'fit' },
  { label: '1,000 nodes, zoom 1', nodes: 1000, edges: 1200, zoom: 1 },
  { label: '1,000 nodes, fit view', nodes: 1000, edges: 1200, zoom: 'fit' },
  { label: '5,000 nodes, fit view', nodes: 5000, edges: 6000, zoom: 'fit' },
];

const demo = await demoTarget();
const workflows = new Map();
{
  const page = await browser.newPage();
  await demo.open(page);
  for (const s of scenarios) workflows.set(s, await demo.largeWorkflow(page, s.nodes, s.edges));
  await page.close();
}

const rows = [];
for (const make of [async () => demo, webAppTarget, () => storybookTarget(storybookDir)]) {
  const target = await make();
  for (const s of scenarios) {
    const runs = [];
    for (let i = 0; i < reps; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
      await target.open(page);
      await page.waitForTimeout(300);
      const render = await firstRender(page, target.selector, workflows.get(s));
      runs.push({ ...render, ...(await gestures(page, target.selector, s.zoom)) });
      await page.close();
    }
    const m = (f) => median(runs.map(f));
    rows.push({
      target: target.name,
      ...s,
      paint: m((r) => r.paint),
      settled: m((r) => r.settled),
      drawn: m((r) => r.drawn),
      elements: m((r) => r.elements),
      pan: m((r) => r.pan.fps),
      panP95: m((r) => r.pan.p95),
      zoomFps: m((r) => r.zoom.fps),
      zoomP95: m((r) => r.zoom.p95),
    });
  }
  await target.close();
}
await browser.close();
if (builtStorybook) rmSync(builtStorybook, { recursive: true, force: true });

const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(
  '| page | scenario | nodes/edges | first render: drawn ms | next frame ms | nodes drawn | node elements | pan fps | pan p95 ms | zoom fps | zoom p95 ms | pan fps vs 100 nodes |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const base = rows.find((b) => b.target === r.target && b.nodes === 100);
  console.log(
    `| ${r.target} | ${r.label} | ${r.nodes}/${r.edges} | ${f(r.paint)} | ${f(r.settled)} | ${f(r.drawn)} | ${f(r.elements)} | ${f(r.pan)} | ${f(r.panP95, 1)} | ${f(r.zoomFps)} | ${f(r.zoomP95, 1)} | ${f(r.pan / base.pan, 2)}x |`,
  );
}
console.log(`\nmedians of ${reps} runs on fresh pages; headless Chromium with software rendering.`);
console.log('"drawn": until the frame showing the nodes is drawn (its Long Animation Frame entry ends);');
console.log('"next frame": until the frame after it starts, which also waits for the deferred validation.');
console.log(
  '"nodes drawn": nodes in view (as elements or painted by the LOD layer); "node elements": those with a DOM element.',
);
console.log('Targets: first render <= 300 ms and >= 50 fps panning and zooming 1,000 nodes / 1,200 edges in view.');
