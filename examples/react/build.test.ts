import { expect, it } from 'vitest';
import { buildExample } from '../build-example.js';

const dist = new URL('./dist/', import.meta.url);

it('builds the React example with the Weft elements and the embed SDK', async () => {
  const { assets, js } = await buildExample('@weft/example-react', dist);
  // the elements are used from JSX, their events through React 19's on<event-name> props
  expect(js).toMatch(/jsx\)?\(`weft-canvas`/);
  expect(js).toContain('emscripten-module');
  expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
}, 120_000);
