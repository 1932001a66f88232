import '../src/define.js';
import { type EngineEvent, NodeRegistry, validateWorkflow, type Workflow } from '@weft/engine';
import type { WeftCanvas } from '../src/canvas/weft-canvas.js';
import type { WeftExecutionView } from '../src/execution-view/weft-execution-view.js';
import type { WeftInspector } from '../src/inspector/weft-inspector.js';
import type { WeftNodePalette } from '../src/palette/weft-node-palette.js';
import { largeWorkflow, sampleItems, sampleNodeTypes, sampleRunEvents, sampleWorkflow } from './fixtures.js';

const params = new URLSearchParams(location.search);
const canvas = document.querySelector('weft-canvas') as WeftCanvas;
const palette = document.querySelector('weft-node-palette') as WeftNodePalette;
const inspector = document.querySelector('weft-inspector') as WeftInspector;
const view = document.querySelector('weft-execution-view') as WeftExecutionView;

const wf = params.get('wf');
const workflow: Workflow =
  wf === 'empty'
    ? { name: 'New workflow', nodes: [], connections: [] }
    : wf === 'large'
      ? largeWorkflow(Number(params.get('nodes') ?? 1000), Number(params.get('edges') ?? 1200))
      : sampleWorkflow();
const theme = params.get('theme') === 'dark' ? 'dark' : 'light';
if (theme === 'dark') document.body.classList.add('dark');
for (const el of [canvas, palette, inspector, view]) el.setAttribute('theme', theme);
canvas.snapToGrid = params.get('snap') === '1';
if (params.has('minimap')) canvas.minimap = params.get('minimap') !== '0';

palette.nodeTypes = sampleNodeTypes;
inspector.nodeTypes = sampleNodeTypes;
inspector.credentials = [
  { id: 'c1', name: 'Sales Slack', type: 'slackOAuth2' },
  { id: 'c2', name: 'Shop API key', type: 'apiKey' },
];
inspector.inputItems = sampleItems;
inspector.nodeOutputs = { 'Fetch orders': sampleItems };
canvas.nodeTypes = sampleNodeTypes;
// The demo has no real node implementations: a registry of the sample descriptions is enough to validate.
const registry = new NodeRegistry().register(
  ...sampleNodeTypes.map((t) => ({
    ...t,
    outputs: t.outputs === 'dynamic' ? undefined : t.outputs,
    inputs: t.inputs === 'dynamic' ? undefined : t.inputs,
    execute: () => ({ outputs: {} }),
  })),
);
canvas.validate = (wf) => validateWorkflow(wf, registry).problems;
inspector.problems = [];
canvas.readonly = params.get('readonly') === '1';
inspector.readonly = canvas.readonly;
canvas.workflow = workflow;

const changes: string[] = [];
canvas.addEventListener('workflow-change', (e) => {
  changes.push(e.detail.label);
  const id = inspector.node?.id;
  inspector.node = id ? (e.detail.workflow.nodes.find((n) => n.id === id) ?? null) : null;
});
canvas.addEventListener('problems-change', (e) => {
  inspector.problems = e.detail.problems;
});
canvas.addEventListener('selection-change', (e) => {
  const id = e.detail.nodeIds.length === 1 ? e.detail.nodeIds[0] : undefined;
  inspector.node = id ? (canvas.workflow.nodes.find((n) => n.id === id) ?? null) : null;
  inspector.problems = [...canvas.problemsByNode.values()].flat();
  view.run = id
    ? {
        nodeName: inspector.node?.name ?? id,
        status: canvas.overlay.nodes.get(id)?.status ?? 'not run',
        input: { main: sampleItems },
        output: { main: sampleItems.map((i) => ({ json: { ...i.json, checked: true } })) },
      }
    : null;
});
inspector.addEventListener('node-change', (e) => canvas.updateNode(e.detail.node, e.detail.field));

/** Plays events one by one, `delayMs` apart, like a live stream from the host. */
async function play(events: EngineEvent[], delayMs = 30): Promise<void> {
  for (const event of events) {
    canvas.applyEvent(event);
    await new Promise((r) => setTimeout(r, delayMs));
  }
}
canvas.addEventListener('run-request', () => void play(sampleRunEvents(`exec-${Date.now()}`)));

Object.assign(window, { weft: { canvas, palette, inspector, view, play, sampleRunEvents, changes, largeWorkflow } });
document.documentElement.dataset.ready = '1';
