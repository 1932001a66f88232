import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { WorkflowProblem } from '../model/problems-by-node.js';
import type { VisibleSet } from '../viewport/visible-set.js';
import { edgePath, renderEdges } from './render-edges.js';
import { renderNode } from './render-node.js';
import { renderShortcutHelp, shortcutHelpText } from './shortcut-help.js';
import type { WeftCanvas } from './weft-canvas.js';

/**
 * The template of a `<weft-canvas>`: the pane with its grid, LOD layer, edges, the visible nodes
 * and presence; the view controls, toolbar, minimap, palette and shortcut help; and the live
 * region that announces edits.
 *
 * @example
 * ```ts
 * protected override render() {
 *   return renderCanvas(this, this.#visible, this.#validation.byNode);
 * }
 * ```
 */
export function renderCanvas(
  c: WeftCanvas,
  visible: VisibleSet,
  problems: ReadonlyMap<string, WorkflowProblem[]>,
): TemplateResult {
  const graph = c.editor.graph;
  const lod = c.view.lod;
  const ctx = {
    flowId: c.flowId,
    lod,
    lodLabels: c.view.lodLabels,
    readonly: c.readonly,
    pendingHandle: c.pendingHandle,
    editingNote: c.editingNote,
    onNoteText: (noteId: string, text: string) => {
      c.editingNote = null;
      c.commit(c.editor.setNoteText(noteId, text));
    },
  };
  const connection = c.input.handles.connection;
  // zoomed far out the LOD layer paints the edges
  const edges = renderEdges(graph, lod ? [] : visible.edges, {
    style: c.edgeStyle,
    selected: c.editor.selectedEdges,
    portItems: c.overlay.portItems,
  });
  const empty = graph.items.size === 0;
  return html`<div class="weft-flow" part="canvas" @keydown=${c.keyboard.onKeyDown}>
    <div
      class="weft-flow__pane"
      part="pane"
      tabindex="0"
      role="application"
      aria-roledescription="workflow editor"
      aria-label=${`Workflow ${c.editor.workflow.name}: ${graph.workflow.nodes.length} nodes, ${graph.edges.length} connections`}
      aria-describedby="help"
      @click=${c.input.onClick}
      @pointermove=${c.input.onPointerMove}
      @dblclick=${c.input.onDoubleClick}
      @dragover=${c.input.onDragOver}
      @drop=${c.input.onDrop}
      @focusin=${c.input.onFocusIn}
    >
      <div class="grid"></div>
      <canvas class="lod-layer" aria-hidden="true"></canvas>
      <div class="weft-flow__viewport xyflow__viewport">
        <svg class="edges" aria-hidden=${lod ? 'true' : 'false'}>
          ${edges.edges}
          ${
            connection
              ? html`<path
                  class="connection-line${connection.isValid === false ? ' invalid' : ''}"
                  d=${edgePath(c.edgeStyle, connection.from, c.view.toFlow(connection.to))[0]}
                ></path>`
              : nothing
          }
        </svg>
        ${repeat(
          visible.elements,
          (id) => id,
          (id) => {
            const item = graph.items.get(id)!;
            return renderNode(item, graph.lookup.get(id)!, {
              ...ctx,
              run: c.overlay.nodes.get(id),
              problems: problems.get(id),
              connectedOutputs: graph.connectedOutputs(id),
              breakpoint: c.breakpoints.includes(id),
              paused: c.pausedAt === id,
              pinned: c.editor.workflow.pinData?.[id]?.length,
            });
          },
        )}
        <svg class="edges labels" aria-hidden="true">${edges.labels}</svg>
        ${c.collab.renderPresence()}
      </div>
      ${c.marquee ? html`<div class="marquee" style=${c.view.marqueeStyle(c.marquee)}></div>` : nothing}
    </div>
    ${empty ? html`<div class="empty" part="empty">Press Tab or drag a node from the palette to start</div>` : nothing}
    ${c.view.renderControls()} ${c.minimap ? c.view.renderMinimap() : nothing}
    ${c.palette ? c.input.renderPalette(c.palette) : nothing}
    ${c.helpOpen ? renderShortcutHelp(() => c.keyboard.closeHelp()) : nothing}
    <div id="help" class="sr-only">${shortcutHelpText()}</div>
    <div class="sr-only" role="status" aria-live="polite">${c.announcement}</div>
  </div>`;
}
