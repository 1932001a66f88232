import { expect, it } from 'vitest';
import { buildExample } from '../build-example.js';

const dist = new URL('./dist/', import.meta.url);

it('builds the Angular example with the Weft elements and the embed SDK', async () => {
  const { assets, js } = await buildExample('@weft/example-angular', dist);
  // the AOT-compiled template creates the weft-* elements (CUSTOM_ELEMENTS_SCHEMA) and binds their properties
  expect(js).toMatch(/[`'"]weft-canvas[`'"]/);
  expect(js).toMatch(/[`'"]nodeTypes[`'"]/);
  expect(assets).toContain('emscripten-module.wasm');
}, 120_000);
