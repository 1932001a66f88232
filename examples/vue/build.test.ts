import { expect, it } from 'vitest';
import { buildExample } from '../build-example.js';

const dist = new URL('./dist/', import.meta.url);

it('builds the Vue example with the Weft elements and the embed SDK', async () => {
  const { assets, js } = await buildExample('@weft/example-vue', dist);
  // isCustomElement: the template creates the weft-* elements directly, with .prop bindings
  expect(js).toMatch(/`weft-canvas`,\{ref:`canvas`,"\.workflow"/);
  expect(js).not.toMatch(/`weft-canvas`\)/);
  expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
}, 120_000);
