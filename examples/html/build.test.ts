import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { buildExample } from '../build-example.js';

const dist = new URL('./dist/', import.meta.url);

it('builds the plain HTML example with the Weft elements and the embed SDK', async () => {
  await buildExample('@weft/example-html', dist);
  // the page is copied as written: plain custom-element tags and the mountWeft modal button
  const page = readFileSync(new URL('index.html', dist), 'utf8');
  expect(page).toContain('<weft-canvas');
  expect(page).toMatch(/mountWeft\(\{[\s\S]*target: \{ modal: true \}/);
  expect(JSON.parse(readFileSync(new URL('workflow.json', dist), 'utf8')).nodes).toHaveLength(5);
}, 120_000);
