import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sameWorkflow } from './same-workflow.js';
import { SharedWorkflow } from './shared-workflow.js';
import { readWorkflow, seedUpdate, writeWorkflow } from './workflow-ydoc.js';

const base: Workflow = {
  name: 'Orders',
  nodes: [
    { id: 'a', name: 'Hook', type: 'weft.webhook', parameters: { path: 'orders' }, position: [0, 0] },
    { id: 'b', name: 'Set', type: 'weft.set', parameters: { x: 1, y: 'two' }, position: [300, 0] },
    { id: 'c', name: 'Send', type: 'weft.http', parameters: { url: 'https://x' }, position: [600, 0] },
  ],
  connections: [
    { source: 'a', target: 'b' },
    { source: 'b', target: 'c' },
  ],
};

/** Two replicas seeded alike, edited apart (offline), then synced both ways. */
function pair() {
  const one = new Y.Doc();
  const two = new Y.Doc();
  const seed = seedUpdate(base, 'wf@1');
  Y.applyUpdate(one, seed);
  Y.applyUpdate(two, seed);
  const sync = () => {
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two, Y.encodeStateVector(one)));
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one, Y.encodeStateVector(two)));
  };
  const edit = (doc: Y.Doc, f: (wf: Workflow) => Workflow) => writeWorkflow(doc, f(readWorkflow(doc)));
  return { one, two, sync, edit };
}

const node = (wf: Workflow, id: string) => wf.nodes.find((n) => n.id === id);
const patch = (wf: Workflow, id: string, p: Record<string, unknown>) => ({
  ...wf,
  nodes: wf.nodes.map((n) => (n.id === id ? { ...n, ...p } : n)),
});

describe('workflow <-> Y.Doc', () => {
  it('round-trips a workflow, keeping node and connection order', () => {
    const doc = new Y.Doc();
    writeWorkflow(doc, base);
    expect(readWorkflow(doc)).toEqual(base);
    expect(sameWorkflow(readWorkflow(doc), base)).toBe(true);
    expect(sameWorkflow(readWorkflow(doc), { ...base, name: 'Other' })).toBe(false);
  });

  it('seeds identically on every replica, so two seeds merge into one copy', () => {
    const { one, two, sync, edit } = pair();
    edit(one, (wf) => patch(wf, 'b', { parameters: { x: 5, y: 'two' } }));
    sync();
    expect(node(readWorkflow(two), 'b')?.parameters.x).toBe(5);
    expect(readWorkflow(two).nodes).toHaveLength(3);
  });

  it('merges concurrent moves of different nodes', () => {
    const { one, two, sync, edit } = pair();
    edit(one, (wf) => patch(wf, 'a', { position: [10, 20] }));
    edit(two, (wf) => patch(wf, 'c', { position: [700, 90] }));
    sync();
    for (const d of [one, two]) {
      expect(node(readWorkflow(d), 'a')?.position).toEqual([10, 20]);
      expect(node(readWorkflow(d), 'c')?.position).toEqual([700, 90]);
    }
  });

  it('merges concurrent edits to different parameters of one node, and converges on one value for the same parameter', () => {
    const { one, two, sync, edit } = pair();
    edit(one, (wf) => patch(wf, 'b', { parameters: { x: 'from one', y: 'two' } }));
    edit(two, (wf) => patch(wf, 'b', { parameters: { x: 1, y: 'from two' } }));
    sync();
    expect(node(readWorkflow(one), 'b')?.parameters).toEqual({ x: 'from one', y: 'from two' });
    edit(one, (wf) => patch(wf, 'c', { parameters: { url: 'https://one' } }));
    edit(two, (wf) => patch(wf, 'c', { parameters: { url: 'https://two' } }));
    sync();
    const url = node(readWorkflow(one), 'c')?.parameters.url;
    expect(['https://one', 'https://two']).toContain(url);
    expect(readWorkflow(two)).toEqual(readWorkflow(one));
  });

  it('merges connections added on both sides and drops connections to a node deleted elsewhere', () => {
    const { one, two, sync, edit } = pair();
    edit(one, (wf) => ({ ...wf, connections: [...wf.connections, { source: 'a', target: 'c' }] }));
    edit(two, (wf) => ({
      ...wf,
      nodes: [...wf.nodes, { id: 'd', name: 'Log', type: 'weft.noop', parameters: {}, position: [900, 0] }],
      connections: [...wf.connections, { source: 'c', target: 'd' }],
    }));
    sync();
    expect(readWorkflow(one).connections).toHaveLength(4);
    edit(one, (wf) => ({ ...wf, nodes: wf.nodes.filter((n) => n.id !== 'c') }));
    edit(two, (wf) => ({ ...wf, connections: [...wf.connections, { source: 'c', target: 'a', targetPort: 'x' }] }));
    sync();
    const wf = readWorkflow(two);
    expect(wf.nodes.map((n) => n.id)).toEqual(['a', 'b', 'd']);
    expect(wf.connections).toEqual([{ source: 'a', target: 'b' }]);
    expect(readWorkflow(one)).toEqual(wf);
  });

  it('undoes only the local user’s edits', () => {
    const { one, two, sync } = pair();
    const shared = new SharedWorkflow(one);
    shared.write(patch(shared.workflow, 'a', { name: 'Mine' }));
    writeWorkflow(two, patch(readWorkflow(two), 'b', { name: 'Theirs' }));
    sync();
    expect(shared.undo()).toBe(true);
    const wf = readWorkflow(one);
    expect(node(wf, 'a')?.name).toBe('Hook');
    expect(node(wf, 'b')?.name).toBe('Theirs');
    expect(shared.undo()).toBe(false);
  });

  it('tells observers about remote changes but not about its own writes', () => {
    const { one, two, sync } = pair();
    const shared = new SharedWorkflow(one);
    const seen: string[] = [];
    shared.observe((wf) => seen.push(wf.name));
    shared.write({ ...shared.workflow, name: 'Local' });
    expect(seen).toEqual([]);
    writeWorkflow(two, patch(readWorkflow(two), 'c', { name: 'Remote' }));
    sync();
    expect(seen).toEqual(['Local']);
    expect(node(readWorkflow(one), 'c')?.name).toBe('Remote');
  });
});
