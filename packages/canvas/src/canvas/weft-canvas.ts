import type { EngineEvent, Item, Workflow, WorkflowNode } from '@weft/engine';
import type { InternalNodeBase, NodeDragItem, Transform } from '@xyflow/system';
import { LitElement, type PropertyValues } from 'lit';
import { CollabController } from '../collab/collab-controller.js';
import type { SharedWorkflow } from '../collab/shared-workflow.js';
import { emptyOverlay, type OverlayState, reduceOverlay } from '../execution/execution-overlay.js';
import type { Move } from '../history/workflow-edits.js';
import { builtinCatalogue, type NodeCatalogueEntry } from '../model/node-catalogue.js';
import type { WorkflowProblem } from '../model/problems-by-node.js';
import { themeStyles } from '../theme/theme-styles.js';
import { VisibleSet } from '../viewport/visible-set.js';
import { CanvasEditor, type EditorChange } from './canvas-editor.js';
import { CanvasInput } from './canvas-input.js';
import { CanvasKeyboard } from './canvas-keyboard.js';
import { canvasStyles } from './canvas-styles.js';
import type { PaletteState, SelectionChangeDetail, WorkflowChangeDetail } from './canvas-types.js';
import { CanvasValidation } from './canvas-validation.js';
import { CanvasViewport } from './canvas-viewport.js';
import type { LodScene } from './lod-layer.js';
import { nodeDetailStyles } from './node-detail-styles.js';
import { renderCanvas } from './render-canvas.js';
import type { EdgeStyle } from './render-edges.js';
import { shortcutHelpStyles } from './shortcut-help.js';

export type {
  PaletteState,
  ProblemsChangeDetail,
  SelectionChangeDetail,
  WorkflowChangeDetail,
} from './canvas-types.js';

let flowCounter = 0;

/**
 * `<weft-canvas>`: the workflow editor. Set `workflow` and `nodeTypes` (the catalogue its
 * palette offers and its nodes are drawn from: a host's `GET /api/v1/node-types`, or your own
 * entries; until set, the engine's built-in node types); listen for
 * `workflow-change` (every undoable edit, with the new document), `selection-change`,
 * `node-open` (double-click or Enter on a node), `run-request` and `palette-request`
 * (cancelable: + Node or Tab, when the page has its own palette). Feed execution events to
 * `applyEvent()` (or set `events`) to draw the run overlay; set `problems` (from
 * `validateWorkflow`) or `validate` to flag nodes (`problems-change` reports them). Set `shared` (a `SharedWorkflow` over a Yjs document) to
 * co-edit: edits sync through it, undo is per user and other users' cursors and selections show.
 *
 * @example
 * ```html
 * <weft-canvas style="height: 600px"></weft-canvas>
 * <script type="module">
 *   import '@weft/canvas/define';
 *   const canvas = document.querySelector('weft-canvas');
 *   canvas.nodeTypes = registry.describe();
 *   canvas.workflow = workflow;
 *   canvas.addEventListener('workflow-change', (e) => save(e.detail.workflow));
 * </script>
 * ```
 */
export class WeftCanvas extends LitElement {
  static override properties = {
    workflow: { attribute: false },
    shared: { attribute: false },
    nodeTypes: { attribute: false },
    readonly: { type: Boolean, reflect: true },
    theme: { reflect: true },
    edgeStyle: { attribute: 'edge-style' },
    snapToGrid: { type: Boolean, attribute: 'snap-to-grid' },
    gridSize: { type: Number, attribute: 'grid-size' },
    minimap: { type: Boolean },
    problems: { attribute: false },
    validate: { attribute: false },
    events: { attribute: false },
    breakpoints: { attribute: false },
    pausedAt: { attribute: false },
    overlay: { attribute: false },
    palette: { state: true },
    marquee: { state: true },
    pendingHandle: { state: true },
    editingNote: { state: true },
    announcement: { state: true },
    helpOpen: { state: true },
  };

  static override styles = [themeStyles, canvasStyles, nodeDetailStyles, shortcutHelpStyles];

  declare workflow: Workflow;
  /** The shared document to co-edit through, or null (default) to edit alone. */
  declare shared: SharedWorkflow | null;
  declare nodeTypes: NodeCatalogueEntry[];
  declare readonly: boolean;
  declare theme: 'light' | 'dark';
  declare edgeStyle: EdgeStyle;
  declare snapToGrid: boolean;
  declare gridSize: number;
  declare minimap: boolean;
  declare problems: WorkflowProblem[];
  /**
   * Validates the document after every change (once the change is drawn); its problems are drawn on
   * the nodes together with `problems`, and `problems-change` reports them. Typically `(wf) => validateWorkflow(wf, registry).problems` from `@weft/engine`.
   */
  declare validate: ((workflow: Workflow) => readonly WorkflowProblem[]) | null;
  declare events: EngineEvent[];
  /** Node ids a debugger pauses before (drawn as a dot on the node). */
  declare breakpoints: readonly string[];
  /** The node id a debugger is paused before (outlined, badge "next"), or null. */
  declare pausedAt: string | null;
  declare overlay: OverlayState;
  declare palette: PaletteState | null;
  declare marquee: { x: number; y: number; width: number; height: number } | null;
  declare pendingHandle: string | null;
  declare editingNote: string | null;
  declare announcement: string;
  /** Whether the keyboard shortcuts overlay shows (`?`). */
  declare helpOpen: boolean;

  /** The editor state (document, graph, selection, history). */
  readonly editor = new CanvasEditor({ name: 'Untitled', nodes: [], connections: [] });
  readonly flowId = `weft-${++flowCounter}`;
  readonly view: CanvasViewport;
  readonly input: CanvasInput;
  readonly keyboard: CanvasKeyboard;
  readonly collab: CollabController;
  readonly #visible = new VisibleSet();
  readonly #validation = new CanvasValidation(this);
  /** Positions of nodes being dragged, before the drag. */
  #dragOrigin = new Map<string, [number, number]>();
  /** The node last under the pointer and one about to take focus: they keep an element while boxes are painted. */
  #hovered: string | null = null;
  #focusing: string | null = null;

  constructor() {
    super();
    this.workflow = this.editor.workflow;
    this.shared = null;
    this.nodeTypes = [];
    this.readonly = false;
    this.theme = 'light';
    this.edgeStyle = 'bezier';
    this.snapToGrid = false;
    this.gridSize = 20;
    this.minimap = true;
    this.problems = [];
    this.validate = null;
    this.events = [];
    this.breakpoints = [];
    this.pausedAt = null;
    this.overlay = emptyOverlay();
    this.palette = null;
    this.marquee = null;
    this.pendingHandle = null;
    this.editingNote = null;
    this.announcement = '';
    this.helpOpen = false;
    this.view = new CanvasViewport(this);
    this.input = new CanvasInput(this);
    this.keyboard = new CanvasKeyboard(this);
    this.collab = new CollabController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.nodeTypes.length === 0)
      void builtinCatalogue().then((types) => {
        if (this.nodeTypes.length === 0) this.nodeTypes = types;
      });
  }

  /** Folds one engine event into the execution overlay. */
  applyEvent(event: EngineEvent): void {
    this.overlay = reduceOverlay(this.overlay, event);
  }

  /** Clears the execution overlay. */
  clearOverlay(): void {
    this.overlay = emptyOverlay();
  }

  /** Problems per node id (`''` for the whole workflow), from `problems` and `validate`. */
  get problemsByNode(): ReadonlyMap<string, WorkflowProblem[]> {
    return this.#validation.byNode;
  }

  /** Node ids (and `note:` ids) currently selected. */
  get selection(): string[] {
    return [...this.editor.selected];
  }

  /** Selects the given node ids. */
  select(ids: Iterable<string>): void {
    this.commit(this.editor.select(ids));
  }

  undo(): void {
    if (this.collab.history(false)) return;
    this.commit(this.editor.undo());
  }

  redo(): void {
    if (this.collab.history(true)) return;
    this.commit(this.editor.redo());
  }

  /** Replaces a node (for example from `<weft-inspector>`'s `node-change`), as one undo step per field. */
  updateNode(node: WorkflowNode, mergeKey?: string): void {
    if (this.readonly) return;
    this.commit(this.editor.updateNode(node, mergeKey));
  }

  /**
   * Adds a node of `type` at a flow position; without one, right of the selected node (else at the
   * viewport centre), panned into view.
   */
  addNode(type: string, position?: [number, number]): WorkflowNode | undefined {
    if (this.readonly) return undefined;
    const { node, change } = this.editor.addNode(type, position ?? this.view.placeForNew());
    this.commit(change);
    if (!position && node.position) void this.updateComplete.then(() => this.view.reveal(node.position ?? [0, 0]));
    return node;
  }

  /** Pins items as a node's output in the document's `pinData` (`undefined` unpins); undoable. */
  pin(nodeId: string, items: Item[] | undefined): void {
    if (!this.readonly) this.commit(this.editor.pin(nodeId, items));
  }

  /** Applies an editor change: re-renders and fires the matching events. */
  commit(change: EditorChange): void {
    if (change.workflow) {
      this.workflow = this.editor.workflow;
      this.collab.local(this.editor.workflow);
      this.#emit<WorkflowChangeDetail>('workflow-change', {
        workflow: this.editor.workflow,
        label: change.label ?? '',
      });
      if (change.label) this.announcement = change.label;
    }
    if (change.selection) {
      const ids = [...this.editor.selected];
      this.collab.selected(ids);
      this.#emit<SelectionChangeDetail>('selection-change', {
        nodeIds: ids.filter((id) => !id.startsWith('note:')),
        noteIds: ids.filter((id) => id.startsWith('note:')).map((id) => id.slice(5)),
        edgeIds: [...this.editor.selectedEdges],
      });
    }
    this.requestUpdate();
  }

  /** Asks the host to run the workflow (`run-request`). */
  requestRun(): void {
    this.#emit('run-request', { workflow: this.editor.workflow });
  }

  #emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  /** Called by XYDrag while and after dragging. */
  dragPositions(items: Map<string, NodeDragItem | InternalNodeBase>, dragging: boolean): void {
    const lookup = this.editor.graph.lookup;
    for (const [id, item] of items) {
      const node = lookup.get(id);
      if (!node) continue;
      if (!this.#dragOrigin.has(id)) {
        const p = node.internals.positionAbsolute;
        this.#dragOrigin.set(id, [p.x, p.y]);
      }
      const p = item.internals.positionAbsolute;
      node.internals.positionAbsolute = { x: p.x, y: p.y };
      node.position = { x: p.x, y: p.y };
    }
    if (!dragging) {
      const moves: Move[] = [];
      for (const [id, from] of this.#dragOrigin) {
        const p = lookup.get(id)?.internals.positionAbsolute;
        if (p) moves.push({ id, from, to: [Math.round(p.x), Math.round(p.y)] });
      }
      this.#dragOrigin.clear();
      this.commit(this.editor.move(moves));
    }
    this.view.refreshVisible(true);
  }

  /** Ids of the nodes and notes rendered as elements right now. */
  get renderedIds(): readonly string[] {
    return this.#visible.elements;
  }

  /** Ids of the nodes and notes drawn right now: as elements, or as boxes by the LOD layer. */
  get drawnIds(): readonly string[] {
    return this.#visible.nodes;
  }

  /** What the LOD layer paints while zoomed far out: the edges in view, and the nodes unless they carry labels. */
  lodScene(): LodScene {
    return {
      graph: this.editor.graph,
      edges: this.#visible.edges,
      nodes: this.view.lodLabels ? [] : this.#visible.nodes,
      selectedEdges: this.editor.selectedEdges,
      portItems: this.overlay.portItems,
      runs: this.overlay.nodes,
    };
  }

  /** The topmost node drawn at a client point (from a mouse event), if any. */
  nodeAt(clientX: number, clientY: number): string | undefined {
    return this.#visible.hit(this.view.clientToFlow(clientX, clientY));
  }

  /**
   * Makes sure a node has an element (while the LOD layer paints boxes, most have none): `hover`
   * for the node under the pointer, so a press on it reaches its element; `focus` for one about to
   * take keyboard focus. Resolves once it is rendered.
   */
  keepElement(id: string, why: 'hover' | 'focus'): Promise<unknown> {
    if (why === 'hover') this.#hovered = id;
    else this.#focusing = id;
    if (!this.#visible.elements.includes(id)) this.view.refreshVisible(true);
    return this.updateComplete;
  }

  /**
   * Recomputes which nodes and edges are inside the viewport, the level of detail and which of
   * them get elements; true when the rendered set must change.
   */
  computeVisible(transform: Transform, width: number, height: number, force = false): boolean {
    const pinned = new Set(this.#dragOrigin.keys());
    const focused = (this.renderRoot as ShadowRoot | undefined)?.activeElement as HTMLElement | null | undefined;
    if (focused?.dataset?.id) pinned.add(focused.dataset.id);
    if (this.#hovered) pinned.add(this.#hovered);
    if (this.#focusing) pinned.add(this.#focusing);
    const changed = this.#visible.update(this.editor.graph, transform, width, height, pinned, force);
    const lodChanged = this.view.updateLod();
    const elementsChanged = this.#visible.choose(this.view.plain, pinned);
    return changed || lodChanged || elementsChanged;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('nodeTypes')) this.editor.setNodeTypes(this.nodeTypes);
    if (changed.has('workflow') && this.workflow !== this.editor.workflow) {
      this.editor.load(this.workflow);
      this.collab.local(this.editor.workflow);
      this.view.pendingFit = true;
    }
    if (changed.has('shared')) this.collab.bind(this.shared);
    if (changed.has('events')) this.overlay = this.events.reduce(reduceOverlay, emptyOverlay());
    if (changed.has('problems') || changed.has('workflow') || changed.has('validate'))
      this.#validation.refresh(changed.has('workflow') || changed.has('validate'));
    this.view.fitBeforeRender();
    this.computeVisible(this.view.transform, this.view.width, this.view.height, true);
  }

  protected override updated(): void {
    this.view.afterRender();
  }

  protected override render() {
    return renderCanvas(this, this.#visible, this.#validation.byNode);
  }

  /** Adds a sticky note at the viewport centre and starts editing it. */
  addNote(text = 'Note'): void {
    if (this.readonly) return;
    this.commit(this.editor.addNote(this.view.centre(), text));
    const id = [...this.editor.selected][0] ?? null;
    this.editingNote = id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('.note textarea')?.focus());
  }

  /** Fits every node into the view. */
  fitView(options: { duration?: number; padding?: number } = {}): Promise<void> {
    return this.view.fitView(options);
  }

  /** Zooms in by 20%. */
  zoomIn(): void {
    void this.view.panZoom.instance?.scaleBy(1.2, { duration: 150 });
  }

  /** Zooms out by 20%. */
  zoomOut(): void {
    void this.view.panZoom.instance?.scaleBy(1 / 1.2, { duration: 150 });
  }

  /** Lays the graph out with dagre (one undo step). */
  async autoLayout(): Promise<void> {
    if (this.readonly) return;
    const { autoLayout } = await import('../layout/auto-layout.js');
    const moves = await autoLayout(this.editor.graph);
    this.commit(this.editor.move(moves));
    await this.fitView({ duration: 200 });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-canvas': WeftCanvas;
  }
}
