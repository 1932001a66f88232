import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const root = new URL('../', import.meta.url);

/**
 * Builds an example workspace (`npm run build -w <name>`) and checks what every example must ship:
 * an index.html, the canvas, palette and inspector elements registered by the bundle, the
 * `workflow-change` event, and mountWeft's sandboxed iframe. Returns the built files for the
 * example's own checks.
 */
export async function buildExample(workspace: string, dist: URL): Promise<{ assets: string[]; js: string }> {
  // vitest's NODE_ENV=test would make the bundler emit development builds
  const { NODE_ENV: _nodeEnv, VITEST: _vitest, ...env } = process.env;
  const started = performance.now();
  await promisify(execFile)('npm', ['run', 'build', '--silent', '-w', workspace], {
    cwd: root,
    env,
    timeout: 110_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  console.log(`${workspace} built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const assets = readdirSync(dist, { recursive: true, encoding: 'utf8' });
  expect(assets).toContain('index.html');
  const js = assets
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(new URL(f, dist), 'utf8'))
    .join('\n');
  for (const tag of ['weft-canvas', 'weft-node-palette', 'weft-inspector']) {
    expect(js).toMatch(new RegExp(`[\`'"]${tag}[\`'"]`));
  }
  expect(js).toContain('customElements');
  expect(js).toContain('workflow-change');
  expect(js).toContain('allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
  return { assets, js };
}
