// Scores the offline planner on bench/prompts.json (48 requests covering every connector, trigger
// and control-flow node, with the expected node types and connections) and prints node and edge
// precision / recall / F1 and latency p50 / p99, beside a baseline measured in the same run: a
// keyword matcher that picks each connector named in the prompt (its first action) after a manual
// trigger and chains them in the order named. Run with `npm run bench -- planner` (builds first).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinConnectors, connectorNodeTypes, respondToWebhookNode } from '@weft/connectors';
import { builtinNodeTypes, NodeRegistry } from '@weft/engine';
import { planOffline } from '../dist/index.js';

const catalogue = new NodeRegistry()
  .register(...builtinNodeTypes, ...builtinConnectors.flatMap((c) => connectorNodeTypes(c, {})), respondToWebhookNode)
  .describe();
const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'prompts.json'), 'utf8'));

const edgeKey = (e) => {
  const [from, to] = e.split('->').map((s) => s.trim());
  const [s, sp = 'main'] = from.split(':');
  const [t, tp = 'main'] = to.split(':');
  return `${s}:${sp}->${t}:${tp}`;
};

function keywordBaseline(prompt) {
  const words = prompt.toLowerCase();
  const picked = [{ type: 'weft.manualTrigger', at: -1 }];
  for (const entry of catalogue) {
    const app = entry.type.split('.')[0];
    if (app === 'weft' || entry.trigger || picked.some((p) => p.type.startsWith(`${app}.`))) continue;
    const name = (entry.category ?? app).toLowerCase();
    const at = Math.max(words.indexOf(name), words.indexOf(app.toLowerCase()));
    if (at >= 0) picked.push({ type: entry.type, at });
  }
  picked.sort((a, b) => a.at - b.at);
  const nodes = picked.map((p) => p.type);
  const edges = nodes.slice(1).map((t, i) => `${nodes[i]}:main->${t}:main`);
  return { nodes, edges };
}

function plannerResult(prompt) {
  const { workflow } = planOffline(prompt, catalogue);
  const typeOf = new Map(workflow.nodes.map((n) => [n.id, n.type]));
  return {
    nodes: workflow.nodes.map((n) => n.type),
    edges: workflow.connections.map(
      (c) => `${typeOf.get(c.source)}:${c.sourcePort ?? 'main'}->${typeOf.get(c.target)}:${c.targetPort ?? 'main'}`,
    ),
  };
}

function overlap(got, want) {
  const pool = [...want];
  let hit = 0;
  for (const g of got) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      hit++;
      pool.splice(i, 1);
    }
  }
  return hit;
}

function score(run) {
  const s = { nodeHit: 0, nodeGot: 0, nodeWant: 0, edgeHit: 0, edgeGot: 0, edgeWant: 0, misses: [] };
  const times = [];
  for (const c of cases) {
    const t0 = performance.now();
    const r = run(c.prompt);
    times.push(performance.now() - t0);
    const wantEdges = c.edges.map(edgeKey);
    s.nodeHit += overlap(r.nodes, c.nodes);
    s.nodeGot += r.nodes.length;
    s.nodeWant += c.nodes.length;
    s.edgeHit += overlap(r.edges, wantEdges);
    s.edgeGot += r.edges.length;
    s.edgeWant += wantEdges.length;
    if (overlap(r.nodes, c.nodes) !== c.nodes.length || r.nodes.length !== c.nodes.length)
      s.misses.push({ prompt: c.prompt, want: c.nodes.join(' '), got: r.nodes.join(' ') });
  }
  for (let i = 0; i < 20; i++) for (const c of cases) run(c.prompt);
  const lat = [];
  for (let i = 0; i < 20; i++)
    for (const c of cases) {
      const t0 = performance.now();
      run(c.prompt);
      lat.push(performance.now() - t0);
    }
  lat.sort((a, b) => a - b);
  const f1 = (p, r) => (p + r ? (2 * p * r) / (p + r) : 0);
  const np = s.nodeHit / s.nodeGot;
  const nr = s.nodeHit / s.nodeWant;
  const ep = s.edgeHit / Math.max(1, s.edgeGot);
  const er = s.edgeHit / s.edgeWant;
  const pct = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(3);
  return {
    row: {
      'node P': np.toFixed(3),
      'node R': nr.toFixed(3),
      'node F1': f1(np, nr).toFixed(3),
      'edge P': ep.toFixed(3),
      'edge R': er.toFixed(3),
      'edge F1': f1(ep, er).toFixed(3),
      'p50 ms': pct(0.5),
      'p99 ms': pct(0.99),
    },
    misses: s.misses,
  };
}

const planner = score(plannerResult);
const baseline = score(keywordBaseline);
console.log(`Offline planner on ${cases.length} prompts (targets: node F1 >= 0.8, p99 <= 50 ms)`);
console.table({ 'offline planner': planner.row, 'keyword baseline': baseline.row });
if (process.argv.includes('--misses')) console.table(planner.misses);
