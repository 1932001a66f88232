import type { InternalNodeBase } from '@xyflow/system';
import { html, nothing, type TemplateResult } from 'lit';
import type { NodeRunState } from '../execution/execution-overlay.js';
import type { GraphItem } from '../model/canvas-graph.js';
import { portOffset } from '../model/node-geometry.js';
import type { WorkflowProblem } from '../model/problems-by-node.js';
import { renderNodeIcon } from './render-node-icon.js';

/** Everything a node's template needs besides the node. */
export interface NodeRenderContext {
  flowId: string;
  /**
   * Low level of detail: zoomed far out, draw boxes (with `lodLabels`: an icon and the name in large
   * type; without, transparent boxes over the ones the LOD layer paints).
   */
  lod: boolean;
  lodLabels?: boolean;
  readonly: boolean;
  run?: NodeRunState | undefined;
  problems?: WorkflowProblem[] | undefined;
  /** A debugger pauses before this node. */
  breakpoint?: boolean;
  /** A debugger is paused before this node: it runs next. */
  paused?: boolean;
  /** Items pinned as this node's output (test runs use them instead of running it). */
  pinned?: number | undefined;
  /** Output ports of this node that have a connection (their "+" shows on hover only). */
  connectedOutputs?: ReadonlySet<string>;
  /** `nodeId:type:port` of a handle picked with the keyboard to start a connection. */
  pendingHandle: string | null;
  /** The sticky note whose text is being edited. */
  editingNote?: string | null;
  onNoteText?: (noteId: string, text: string) => void;
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function statusText(run: NodeRunState | undefined): string {
  if (!run) return '';
  if (run.status === 'running') return 'running';
  return `${run.status}${run.durationMs !== undefined ? ` in ${formatDuration(run.durationMs)}` : ''}`;
}

// "+" beside an output: opens the node picker to place and connect the next node.
function addButton(nodeId: string, nodeName: string, port: string, label: string, i: number, ctx: NodeRenderContext) {
  const o = portOffset('output', i);
  const connected = ctx.connectedOutputs?.has(port) ? ' connected' : '';
  return html`<button
    type="button"
    class="port-add nodrag nopan${connected}"
    tabindex="-1"
    data-nodeid=${nodeId}
    data-port=${port}
    title="Add a node here"
    aria-label=${`Add a node after output ${label} of ${nodeName}`}
    style=${`left:${o.x + 12}px;top:${o.y - 9}px`}
  >+</button>`;
}

/**
 * The template of one workflow node: header, port labels, handles (classes and data attributes
 * as XYHandle expects them), run status and validation badges. Sticky notes have their own.
 *
 * @example
 * ```ts
 * html`${repeat(visible, (i) => i.id, (i) => renderNode(i, graph.lookup.get(i.id)!, ctx))}`;
 * ```
 */
export function renderNode(item: GraphItem, internal: InternalNodeBase, ctx: NodeRenderContext): TemplateResult {
  const { x, y } = internal.internals.positionAbsolute;
  const width = internal.measured.width ?? 200;
  const height = internal.measured.height ?? 60;
  const selected = internal.selected ? ' selected' : '';
  if (item.kind === 'note') {
    return html`<div
      class="weft-flow__node note${selected}"
      part="note"
      data-id=${item.id}
      role="note"
      tabindex="0"
      aria-label=${`Sticky note${internal.selected ? ', selected' : ''}: ${item.note.text.slice(0, 80)}`}
      style=${`left:${x}px;top:${y}px;width:${width}px;height:${height}px;${item.note.color ? `background:${item.note.color}` : ''}`}
    >${
      ctx.editingNote === item.id
        ? html`<textarea
            class="nodrag nopan nowheel"
            aria-label="Note text"
            .value=${item.note.text}
            @keydown=${(e: KeyboardEvent) => e.stopPropagation()}
            @blur=${(e: Event) => ctx.onNoteText?.(item.note.id, (e.target as HTMLTextAreaElement).value)}
          ></textarea>`
        : ctx.lod
          ? nothing
          : item.note.text
    }</div>`;
  }
  const node = item.node;
  const run = ctx.run;
  const status = `${run ? ` status-${run.status}` : ''}${ctx.paused ? ' paused' : ''}${ctx.breakpoint ? ' breakpoint' : ''}`;
  const typeName = item.type?.displayName ?? node.type;
  const problems = ctx.problems ?? [];
  const label = [
    `${node.name}, ${typeName} node`,
    internal.selected ? 'selected' : '',
    node.disabled ? 'disabled' : '',
    run ? statusText(run) : '',
    ctx.breakpoint ? 'breakpoint' : '',
    ctx.paused ? 'paused here, runs next' : '',
    ctx.pinned !== undefined ? 'output pinned' : '',
    problems.length ? `${problems.length} problem${problems.length === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  // left/top, not a transform per node: a thousand transform nodes made every frame re-layerize the page.
  const style = `left:${x}px;top:${y}px;width:${width}px;height:${height}px`;
  // The type under the name fills the body row, unless input port labels sit there.
  const showSub =
    typeName !== node.name && !item.ports.inputs.some((p, _i, all) => all.length > 1 || p.name !== 'main');
  if (ctx.lod) {
    // Without labels the box itself is painted by the LOD layer: this element only takes pointer and focus.
    return html`<div
      class="weft-flow__node lod${ctx.lodLabels ? '' : ' plain'}${selected}${status}"
      data-id=${item.id}
      role="group"
      tabindex="0"
      aria-label=${label}
      style=${style}
    >${
      ctx.lodLabels
        ? html`<span class="lod-label" aria-hidden="true"
            ><span class="node-icon">${renderNodeIcon(item.type)}</span><span class="node-name">${node.name}</span></span
          >`
        : nothing
    }</div>`;
  }
  const handle = (type: 'source' | 'target', port: string, portLabel: string, i: number) => {
    const side = type === 'target' ? 'input' : 'output';
    const o = portOffset(side, i);
    const key = `${node.id}:${type}:${port}`;
    return html`<div
      class="weft-flow__handle ${type} connectable connectablestart connectableend nodrag nopan${ctx.pendingHandle === key ? ' pending' : ''}"
      part="handle"
      role="button"
      tabindex=${ctx.readonly ? '-1' : '0'}
      aria-label=${`${side === 'input' ? 'Input' : 'Output'} ${portLabel} of ${node.name}`}
      aria-pressed=${ctx.pendingHandle === key ? 'true' : 'false'}
      data-nodeid=${node.id}
      data-handleid=${port}
      data-handlepos=${type === 'target' ? 'left' : 'right'}
      data-id=${`${ctx.flowId}-${node.id}-${port}-${type}`}
      style=${`left:${o.x - 6}px;top:${o.y - 6}px`}
    ></div>`;
  };
  return html`<div
    class="weft-flow__node${selected}${status}${node.disabled ? ' disabled' : ''}"
    part="node"
    data-id=${node.id}
    role="group"
    tabindex="0"
    aria-roledescription="workflow node"
    aria-label=${label}
    style=${style}
  >
    <div class="node-header">
      <span class="node-icon" aria-hidden="true">${renderNodeIcon(item.type)}</span>
      <span class="node-name" title=${node.name}>${node.name}</span>
    </div>
    ${showSub ? html`<span class="node-sub" style=${`top:${portOffset('input', 0).y}px`}>${typeName}</span>` : nothing}
    ${item.ports.inputs.map((p, i) =>
      item.ports.inputs.length > 1 || p.name !== 'main'
        ? html`<span class="port-label in" style=${`top:${portOffset('input', i).y}px`}>${p.label ?? p.name}</span>`
        : nothing,
    )}
    ${item.ports.outputs.map((p, i) =>
      item.ports.outputs.length > 1 || p.name !== 'main'
        ? html`<span class="port-label out" style=${`top:${portOffset('output', i).y}px`}>${p.label ?? p.name}</span>`
        : nothing,
    )}
    ${item.ports.inputs.map((p, i) => handle('target', p.name, p.label ?? p.name, i))}
    ${item.ports.outputs.map((p, i) => handle('source', p.name, p.label ?? p.name, i))}
    ${ctx.readonly ? nothing : item.ports.outputs.map((p, i) => addButton(node.id, node.name, p.name, p.label ?? p.name, i, ctx))}
    ${
      run
        ? html`<span class="badge status ${run.status}" part="status-badge" title=${run.error?.message ?? ''}
            >${run.status === 'succeeded' ? '✓' : run.status === 'failed' ? '✕' : run.status === 'running' ? '…' : '–'}
            ${formatDuration(run.durationMs)}</span
          >`
        : nothing
    }
    ${ctx.breakpoint ? html`<span class="breakpoint-dot" part="breakpoint" title="Breakpoint"></span>` : nothing}
    ${ctx.paused ? html`<span class="badge paused" part="paused-badge">next</span>` : nothing}
    ${
      ctx.pinned !== undefined
        ? html`<span class="badge pinned" part="pin-badge"
            title=${`Pinned output: ${ctx.pinned} item${ctx.pinned === 1 ? '' : 's'}. Test, Debug and Execute step use it instead of running the node.`}
            ><svg viewBox="0 0 16 16" aria-hidden="true"><path d="M10 1l5 5-2 1-3 3 1 4-1 1-4-4-4 4-1-1 4-4-4-4 1-1 4 1 3-3z" /></svg>${ctx.pinned}</span
          >`
        : nothing
    }
    ${
      problems.length
        ? html`<span class="badge problems" part="problem-badge" title=${problems.map((p) => p.message).join('\n')}
            >⚠ ${problems.length}</span
          >`
        : nothing
    }
  </div>`;
}
