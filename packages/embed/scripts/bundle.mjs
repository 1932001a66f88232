// Bundles the browser SDK (without the server subpath) and checks it against the size budget:
// <= 50 KB unminified and <= 12 KB minified + gzipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET = { raw: 50 * 1024, gzip: 12 * 1024 };
const entry = new URL('../src/index.ts', import.meta.url).pathname;
const common = {
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
};
const [raw, min] = await Promise.all([build(common), build({ ...common, minify: true })]);
const rawBytes = raw.outputFiles[0].contents;
const minBytes = min.outputFiles[0].contents;
const gz = gzipSync(minBytes, { level: 9 }).length;
mkdirSync(new URL('../dist/browser/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/browser/weft-embed.js', import.meta.url), minBytes);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `@weft/embed browser bundle: ${kb(rawBytes.length)} unminified (budget ${kb(BUDGET.raw)}), ${kb(gz)} min+gzip (budget ${kb(BUDGET.gzip)})`,
);
if (rawBytes.length > BUDGET.raw || gz > BUDGET.gzip) {
  console.error('@weft/embed: the browser bundle is over its size budget');
  process.exit(1);
}
