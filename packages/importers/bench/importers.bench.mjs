// Imports the corpus (corpus/n8n/*.json, corpus/node-red/*.json) and prints two tables: the share
// of source nodes mapped exactly / with differences / not supported, and import throughput beside
// a baseline measured in the same run (JSON.parse + JSON.stringify of the same text).
// Run with `npm run bench -- importers` (builds first).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importN8n, importNodeRed } from '../dist/index.js';

const root = join(import.meta.dirname, '..', 'corpus');
const corpus = (dir) => readdirSync(join(root, dir)).map((f) => readFileSync(join(root, dir, f), 'utf8'));
const sets = [
  { name: 'n8n', texts: corpus('n8n'), run: importN8n },
  { name: 'Node-RED', texts: corpus('node-red'), run: importNodeRed },
];

const pct = (n, total) => `${((100 * n) / Math.max(1, total)).toFixed(1)}%`;
const coverage = sets.map(({ name, texts, run }) => {
  const s = {
    workflows: 0,
    nodes: 0,
    exact: 0,
    differences: 0,
    unsupported: 0,
    untranslatedExpressions: 0,
    credentials: 0,
  };
  for (const t of texts) for (const [k, v] of Object.entries(run(t).report.summary)) s[k] += v;
  return {
    corpus: name,
    files: texts.length,
    workflows: s.workflows,
    nodes: s.nodes,
    exact: pct(s.exact, s.nodes),
    'with differences': pct(s.differences, s.nodes),
    unsupported: pct(s.unsupported, s.nodes),
    'untranslated expressions': s.untranslatedExpressions,
    'credential placeholders': s.credentials,
  };
});
console.log('Node mapping over the corpus');
console.table(coverage);

function measure(name, bytes, fn) {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    fn();
    n++;
  }
  const ms = performance.now() - t0;
  return {
    name,
    'ops/s': Math.round((n / ms) * 1000),
    'µs/op': Math.round((ms / n) * 1000 * 10) / 10,
    'MB/s': Math.round(((bytes * n) / ms / 1000) * 10) / 10,
  };
}

const rows = [];
for (const { name, texts, run } of sets) {
  const bytes = texts.reduce((b, t) => b + Buffer.byteLength(t), 0);
  rows.push(
    measure(`${name}: JSON.parse+stringify of the corpus (baseline)`, bytes, () =>
      texts.map((t) => JSON.stringify(JSON.parse(t))),
    ),
  );
  rows.push(measure(`${name}: import the corpus`, bytes, () => texts.map((t) => run(t))));
}
console.log('Import throughput (one op = the whole corpus of that format)');
console.table(rows);
