#!/usr/bin/env -S node --no-node-snapshot
import * as Y from 'yjs';
import { readWorkflow, seedUpdate, writeWorkflow } from '../../packages/canvas/dist/collab/workflow-ydoc.js';
import { connectCollab } from '../dist/collab/collab-client.js';
// Co-editing latency (issue 21): N clients on one workflow through a real host (SQLite, loopback
// WebSockets, the y-websocket protocol of /collab). Each edit is what the editor does: read the
// workflow from the Y.Doc, change one node's parameter, write the diff. Latency is from the edit
// to each other client having applied the update; "read doc" is what a client then spends
// reading the whole workflow back to draw it (all clients share this one Node thread, so the
// latency also queues behind the other clients' work, unlike browsers).
// Baseline in the same run: 2 clients on a 10-node workflow; target: 10 clients on 500 nodes.
// Medians and p99 over BENCH_EDITS (default 200) edits, round-robin over the clients.
// Needs `npm run build` (host and canvas dist). Run: node --no-node-snapshot host/bench/collab-latency.bench.mjs
import { startTestHost } from '../dist/testing/test-host.js';

const EDITS = Number(process.env.BENCH_EDITS ?? 200);

function workflow(n) {
  const nodes = [{ id: 'n0', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] }];
  const connections = [];
  for (let i = 1; i < n; i++) {
    nodes.push({
      id: `n${i}`,
      name: `Set ${i}`,
      type: 'weft.set',
      parameters: { fields: [{ name: 'v', value: String(i) }] },
      position: [(i % 25) * 260, Math.floor(i / 25) * 120],
    });
    connections.push({ source: `n${i - 1}`, target: `n${i}` });
  }
  return { name: `Bench ${n}`, nodes, connections };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function scenario(t, token, ws, clients, size) {
  const wf = workflow(size);
  const created = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: wf });
  const url = `${t.base}/api/v1/workspaces/${ws}/workflows/${created.body.id}/collab`;
  const peers = [];
  for (let i = 0; i < clients; i++) peers.push(await connectCollab(url, token));
  await Promise.all(peers.map((p) => p.synced));
  Y.applyUpdate(peers[0].doc, seedUpdate(created.body.workflow, `${created.body.id}@1`));
  await new Promise((r) => setTimeout(r, 300));
  const latencies = [];
  const reads = [];
  for (let e = 0; e < EDITS; e++) {
    const from = peers[e % clients];
    const value = `edit ${e}`;
    const id = `n${1 + (e % (size - 1))}`;
    const arrived = peers
      .filter((p) => p !== from)
      .map(
        (p) =>
          new Promise((resolve) => {
            const on = () => {
              const fields = p.doc.getMap('nodes').get(id)?.get('parameters')?.get('fields');
              if (fields?.[0]?.value !== value) return;
              p.doc.off('update', on);
              resolve(performance.now());
            };
            p.doc.on('update', on);
          }),
      );
    const start = performance.now();
    const current = readWorkflow(from.doc);
    writeWorkflow(from.doc, {
      ...current,
      nodes: current.nodes.map((n) => (n.id === id ? { ...n, parameters: { fields: [{ name: 'v', value }] } } : n)),
    });
    for (const at of await Promise.all(arrived)) latencies.push(at - start);
    const r0 = performance.now();
    readWorkflow(peers[(e + 1) % clients].doc);
    reads.push(performance.now() - r0);
  }
  for (const p of peers) p.close();
  return {
    scenario: `${clients} clients, ${size} nodes`,
    edits: EDITS,
    'median ms': Number(quantile(latencies, 0.5).toFixed(2)),
    'p99 ms': Number(quantile(latencies, 0.99).toFixed(2)),
    'read doc median ms': Number(quantile(reads, 0.5).toFixed(2)),
  };
}

const t = await startTestHost();
try {
  const token = await t.login('owner@example.com', 'owner-password');
  const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  const rows = [await scenario(t, token, ws, 2, 10), await scenario(t, token, ws, 10, 500)];
  console.table(rows);
} finally {
  await t.close();
}
