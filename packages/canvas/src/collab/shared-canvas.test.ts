// @vitest-environment happy-dom
import type { Workflow } from '@weft/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { WeftCanvas } from '../canvas/weft-canvas.js';
import { builtinCatalogue } from '../model/node-catalogue.js';
import { SharedWorkflow } from './shared-workflow.js';
import { seedUpdate } from './workflow-ydoc.js';

if (!customElements.get('weft-canvas')) customElements.define('weft-canvas', WeftCanvas);
// A canvas without a catalogue loads the engine's built-ins on connect; load them before the tests,
// so no import is still pending when the file's environment is torn down.
beforeAll(() => builtinCatalogue());

const base: Workflow = {
  name: 'Shared',
  nodes: [
    { id: 'a', name: 'A', type: 'weft.set', parameters: { v: 1 }, position: [0, 0] },
    { id: 'b', name: 'B', type: 'weft.set', parameters: { v: 2 }, position: [300, 0] },
  ],
  connections: [{ source: 'a', target: 'b' }],
};

/** Two canvases on two replicas kept in sync in memory (what a provider does over the wire). */
async function pair() {
  const docs = [new Y.Doc(), new Y.Doc()] as const;
  for (const d of docs) Y.applyUpdate(d, seedUpdate(base, 'wf@1'));
  docs[0].on('update', (u: Uint8Array, o: unknown) => o !== 'wire' && Y.applyUpdate(docs[1], u, 'wire'));
  docs[1].on('update', (u: Uint8Array, o: unknown) => o !== 'wire' && Y.applyUpdate(docs[0], u, 'wire'));
  const awareness = docs.map((d) => new Awareness(d));
  const relay = (from: Awareness, to: Awareness) =>
    from.on('update', (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin !== 'wire')
        applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...c.added, ...c.updated, ...c.removed]), 'wire');
    });
  relay(awareness[0]!, awareness[1]!);
  relay(awareness[1]!, awareness[0]!);
  const canvases = docs.map((doc, i) => {
    const c = document.createElement('weft-canvas') as WeftCanvas;
    c.style.height = '400px';
    document.body.append(c);
    c.shared = new SharedWorkflow(doc, {
      awareness: awareness[i] as Awareness,
      user: { name: i ? 'Bo' : 'Ada', color: i ? '#33d' : '#d33' },
    });
    return c;
  });
  await Promise.all(canvases.map((c) => c.updateComplete));
  return canvases as [WeftCanvas, WeftCanvas];
}

const param = (c: WeftCanvas, id: string) => c.workflow.nodes.find((n) => n.id === id)?.parameters.v;

describe('<weft-canvas> with a shared document', () => {
  it('shows remote edits, fires workflow-change for them and undoes only local edits', async () => {
    const [one, two] = await pair();
    expect(one.workflow.nodes).toHaveLength(2);
    const changes: Workflow[] = [];
    two.addEventListener('workflow-change', (e) => changes.push(e.detail.workflow));
    one.updateNode({ ...(one.workflow.nodes[0] as Workflow['nodes'][number]), parameters: { v: 'one' } }, 'v');
    expect(param(two, 'a')).toBe('one');
    expect(changes.at(-1)?.nodes[0]?.parameters.v).toBe('one');
    two.updateNode({ ...(two.workflow.nodes[1] as Workflow['nodes'][number]), parameters: { v: 'two' } }, 'v');
    expect(param(one, 'b')).toBe('two');
    one.undo();
    expect(param(one, 'a')).toBe(1);
    expect(param(two, 'a')).toBe(1);
    expect(param(two, 'b')).toBe('two');
    one.redo();
    expect(param(two, 'a')).toBe('one');
  });

  it('draws the other user’s selection and cursor', async () => {
    const [one, two] = await pair();
    two.select(['b']);
    two.shared?.setCursor({ x: 40, y: 50 });
    one.requestUpdate();
    await one.updateComplete;
    const root = one.shadowRoot as ShadowRoot;
    expect(root.querySelector('.remote-selection[data-user="Bo"][data-node="b"]')).not.toBeNull();
    expect(root.querySelector('.remote-cursor[data-user="Bo"]')?.textContent).toContain('Bo');
    expect(root.querySelector('.remote-cursor[data-user="Ada"]')).toBeNull();
  });
});
