import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const dist = new URL('./dist/', import.meta.url);

it('builds the plain HTML example with the Weft elements and the embed SDK', async () => {
  // vitest's NODE_ENV=test would make the bundler emit development builds
  const { NODE_ENV: _nodeEnv, VITEST: _vitest, ...env } = process.env;
  const started = performance.now();
  await promisify(execFile)('npm', ['run', 'build', '--silent', '-w', '@weft/example-html'], {
    cwd: root,
    env,
    timeout: 110_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  console.log(`@weft/example-html built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const assets = readdirSync(dist, { recursive: true, encoding: 'utf8' });
  expect(assets).toContain('index.html');
  const js = assets
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(new URL(f, dist), 'utf8'))
    .join('\n');
  // the canvas, palette and inspector elements are registered by the bundle
  for (const tag of ['weft-canvas', 'weft-node-palette', 'weft-inspector'])
    expect(js).toMatch(new RegExp(`[\`'"]${tag}[\`'"]`));
  expect(js).toContain('customElements');
  expect(js).toContain('workflow-change');
  // mountWeft's sandboxed iframe
  expect(js).toContain('allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
  // the page is copied as written: plain custom-element tags and the mountWeft modal button
  const page = readFileSync(new URL('index.html', dist), 'utf8');
  expect(page).toContain('<weft-canvas');
  expect(page).toMatch(/mountWeft\(\{[\s\S]*target: \{ modal: true \}/);
  expect(JSON.parse(readFileSync(new URL('workflow.json', dist), 'utf8')).nodes).toHaveLength(5);
}, 120_000);
