import type { WeftCanvas, WeftExecutionView, WeftInspector } from '@weft/canvas';
import type { DebugSession, ExecutionDetail, NodeRunRecord, StoredWorkflow } from '@weft/client';
import type { EngineEvent, Workflow } from '@weft/engine';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { activationNotice } from '../editor/activation-notice.js';
import { CollabSession } from '../editor/collab-session.js';
import { renderDebugBar } from '../editor/debug-bar.js';
import { renderEditorBar } from '../editor/editor-bar.js';
import { renderEditorBody } from '../editor/editor-body.js';
import { executionFinished, workflowSaved } from '../editor/editor-events.js';
import { showSavedRoute } from '../editor/saved-route.js';
import '../editor/credential-dialog.js';
import { DebugController } from '../editor/debug-controller.js';
import { LiveRuns } from '../editor/live-runs.js';
import { type Catalogue, loadCatalogue, wireCatalogue } from '../editor/node-catalog.js';
import { nodeRunData } from '../editor/node-run-view.js';
import { executionEvents } from '../editor/run-events.js';
import { TestDataController } from '../editor/test-data-controller.js';
import type { ItemsDialog } from '../editor/test-data-tools.js';
import '../editor/presence-avatars.js';
import '../editor/ai-panel.js';
import '../editor/tests-panel.js';
import { UnsavedGuard } from '../editor/unsaved-guard.js';

const emptyWorkflow = (): Workflow => ({ name: 'New workflow', nodes: [], connections: [] });

/**
 * The workflow editor: palette, canvas and inspector; save creates a version; run and test show
 * the live execution overlay from the event stream; a node's input and output of the last run
 * open in the execution view. Debug steps through the document (saved or not) one node at a time,
 * with breakpoints toggled per node in the inspector; the document is locked while a session is
 * open. Fires `workflow-saved` and `execution-finished` (bubbling).
 */
export class EditorView extends LightElement {
  static override properties = {
    workflowId: { attribute: 'workflow-id' },
    stored: { state: true },
    dirty: { state: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true },
    runStatus: { state: true },
    panel: { state: true },
    hideCode: { type: Boolean, attribute: 'hide-code' },
    versions: { state: true },
    collab: { state: true },
  };
  /** The shared document of the open workflow (co-editing), once joined. */
  declare collab: CollabSession | undefined;
  declare versions: number[];
  declare workflowId: string;
  declare stored: StoredWorkflow | undefined;
  declare dirty: boolean;
  declare busy: boolean;
  declare error: string | undefined;
  declare notice: string | undefined;
  declare runStatus: string | undefined;
  /** On narrow screens: whether the inspector sheet is open (the canvas's own + Node opens the palette). */
  declare panel: 'inspector' | 'none';
  declare hideCode: boolean;
  private doc: Workflow = emptyWorkflow();
  private lastRun: ExecutionDetail | undefined;
  private live: LiveRuns | undefined;
  private selected: string | undefined;
  private readonly debug = new DebugController(this, (s, ran) => this.showDebug(s, ran));
  private readonly data = new TestDataController(this, {
    doc: () => this.doc,
    pin: (id, items) => this.canvas.pin(id, items),
    key: () => this.workflowId,
    lastRun: () => this.lastRun,
    show: (id) => this.showExecution(id),
    say: (notice, error) => {
      this.notice = notice;
      this.error = error;
    },
  });
  private catalogue: Catalogue | undefined;

  constructor() {
    super();
    new UnsavedGuard(this, () => this.dirty);
    this.workflowId = 'new';
    this.dirty = false;
    this.busy = false;
    this.panel = 'none';
    this.hideCode = false;
    this.versions = [];
  }

  private get canvas(): WeftCanvas {
    return this.querySelector('weft-canvas') as WeftCanvas;
  }
  private get inspector(): WeftInspector {
    return this.querySelector('weft-inspector') as WeftInspector;
  }
  private get view(): WeftExecutionView {
    return this.querySelector('weft-execution-view') as WeftExecutionView;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const ws = appState.workspaceId as string;
    this.live = new LiveRuns(
      appState.client,
      ws,
      this.workflowId === 'new' ? undefined : this.workflowId,
      (e) => this.canvas?.applyEvent(e),
      (id, e) => void this.finished(id, e),
    );
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live?.close();
    this.collab?.close();
  }

  private async load(): Promise<void> {
    const ws = appState.workspaceId as string;
    await this.updateComplete;
    const catalogue = await loadCatalogue(appState.client);
    this.catalogue = catalogue;
    wireCatalogue(this, catalogue, { client: appState.client, workspaceId: ws, hideCode: this.hideCode });
    try {
      if (this.workflowId !== 'new') {
        this.stored = await appState.client.workflows.get(ws, this.workflowId);
        this.doc = this.stored.workflow;
      }
      this.canvas.workflow = this.doc;
      // A link to one node (scan findings): select it, which opens the inspector.
      const focus = new URLSearchParams(location.search).get('node');
      if (focus && this.doc.nodes.some((n) => n.id === focus)) {
        await this.canvas.updateComplete; // the canvas takes the workflow in its next update
        this.canvas.select([focus]);
      }
      if (this.stored) {
        void this.joinCollab(this.stored);
        void appState.client.workflows.versions(ws, this.stored.id).then((v) => {
          this.versions = v.items.map((x) => x.version);
        });
      }
      const creds = await appState.client.workspaces.credentials(ws).catch(() => ({ items: [] }));
      this.inspector.credentials = creds.items.map((c) => ({ id: c.id, name: c.name, type: c.type }));
      if (this.stored) {
        const last = await appState.client.executions.list(ws, { workflowId: this.stored.id, limit: 1 });
        const first = last.items[0];
        if (first) await this.showExecution(first.id);
      }
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /** Joins the workflow's shared document: edits sync live with everyone who has it open. */
  private async joinCollab(stored: StoredWorkflow): Promise<void> {
    const session = new CollabSession(appState.workspaceId as string, stored);
    await session.ready;
    if (!this.isConnected) return session.close();
    this.collab = session;
    this.canvas.shared = session.shared;
    // Pins this browser kept go into the shared document once bound: binding it replaces the
    // canvas's document (and clears the editor's notice), which dropped pins moved before.
    await this.canvas.updateComplete;
    this.data.moveLegacyPins();
  }

  /** Replaces the document with the whole workflow (name, tags, an older version). */
  private replaceDoc(doc: Workflow, notice?: string): void {
    this.doc = doc;
    this.canvas.workflow = doc;
    this.dirty = true;
    this.notice = notice;
  }

  private async openVersion(version: number): Promise<void> {
    if (!this.stored || version === this.stored.version) return;
    try {
      const v = await appState.client.workflows.version(appState.workspaceId as string, this.stored.id, version);
      this.replaceDoc(v.workflow, `Showing version ${version}: save to make it the latest`);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async toggleActive(): Promise<void> {
    if (!this.stored) return;
    try {
      const ws = appState.workspaceId as string;
      const s = await appState.client.workflows.setActive(ws, this.stored.id, !this.stored.active);
      this.stored = { ...this.stored, active: s.active };
      this.notice = activationNotice(s.active, this.stored.workflow, this.catalogue?.nodeTypes ?? []);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async showExecution(id: string): Promise<void> {
    this.lastRun = await appState.client.executions.get(appState.workspaceId as string, id);
    this.canvas.events = executionEvents(this.lastRun);
    this.runStatus = this.lastRun.status;
    this.refreshSelection();
  }

  private async finished(id: string, e: EngineEvent): Promise<void> {
    this.busy = false;
    this.runStatus = e.type.replace('workflow:', '');
    try {
      this.lastRun = await appState.client.executions.get(appState.workspaceId as string, id);
      this.runStatus = this.lastRun.status;
      this.refreshSelection();
    } catch (err) {
      this.error = errorMessage(err);
    }
    this.dispatchEvent(executionFinished({ executionId: id, status: this.runStatus, output: this.lastRun?.output }));
  }

  private onChange(e: CustomEvent<{ workflow: Workflow }>): void {
    this.doc = e.detail.workflow;
    this.dirty = true;
    this.notice = undefined;
    this.refreshSelection();
  }

  private onSelect(e: CustomEvent<{ nodeIds: string[] }>): void {
    this.selected = e.detail.nodeIds.length === 1 ? e.detail.nodeIds[0] : undefined;
    if (this.selected && this.panel === 'none') this.panel = 'inspector';
    this.refreshSelection();
    this.requestUpdate();
  }

  private refreshSelection(): void {
    const node = this.selected ? this.doc.nodes.find((n) => n.id === this.selected) : undefined;
    this.inspector.node = node ?? null;
    this.inspector.problems = [...this.canvas.problemsByNode.values()].flat();
    const data = nodeRunData(this.doc, this.lastRun, node?.id);
    this.inspector.inputItems = data.inputItems;
    this.inspector.nodeOutputs = data.nodeOutputs;
    this.view.run = data.view;
  }

  /** Saves a new version (or creates the workflow); resolves with its id. */
  async save(): Promise<string | undefined> {
    const ws = appState.workspaceId as string;
    this.error = undefined;
    try {
      const saved =
        this.workflowId === 'new'
          ? await appState.client.workflows.create(ws, this.doc)
          : await appState.client.workflows.update(ws, this.workflowId, this.doc);
      this.stored = saved;
      this.dirty = false;
      this.notice = `Saved version ${saved.version}`;
      this.versions = [saved.version, ...this.versions.filter((v) => v !== saved.version)];
      this.dispatchEvent(workflowSaved(saved));
      if (this.workflowId === 'new') {
        this.workflowId = saved.id;
        if (this.live) this.live.workflowId = saved.id;
        showSavedRoute(saved.id);
      }
      return saved.id;
    } catch (e) {
      this.error = errorMessage(e);
      return undefined;
    }
  }

  /** Saves when needed, runs the latest version and follows it live on the canvas. */
  async run(): Promise<void> {
    if (this.busy) return;
    const id = this.dirty || this.workflowId === 'new' ? await this.save() : this.workflowId;
    if (!id) return;
    this.busy = true;
    this.runStatus = 'running';
    this.canvas.clearOverlay();
    try {
      const { executionId } = await appState.client.workflows.run(appState.workspaceId as string, id);
      this.live?.follow(executionId);
    } catch (e) {
      this.busy = false;
      this.runStatus = undefined;
      this.error = errorMessage(e);
    }
  }

  /** Test-runs the document as it is on the canvas, without saving it. */
  async test(): Promise<void> {
    if (this.busy) return;
    const ws = appState.workspaceId as string;
    this.busy = true;
    this.error = undefined;
    this.notice = undefined;
    this.canvas.clearOverlay();
    try {
      const r = await appState.client.workflows.test(ws, this.doc, this.data.runOptions());
      await this.showExecution(r.executionId);
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  /** Starts a debug session: of the saved version when nothing changed, else of the document as it is. */
  async startDebug(): Promise<void> {
    if (this.busy) return;
    this.error = undefined;
    this.notice = undefined;
    const source =
      this.stored && !this.dirty
        ? { workflowId: this.stored.id, version: this.stored.version }
        : { workflow: this.doc };
    await this.debug.start(source, this.doc, this.data.runOptions());
  }

  /** Shows a debug answer: the execution's overlay, the node that ran (selected, with its input and output). */
  private async showDebug(s: DebugSession, ran: NodeRunRecord[]): Promise<void> {
    await this.showExecution(s.executionId);
    this.runStatus = s.status;
    const last = ran.at(-1);
    if (last && this.selected !== last.nodeId) this.canvas.select([last.nodeId]);
    else this.refreshSelection();
  }

  override render() {
    const node = this.selected ? this.doc.nodes.find((n) => n.id === this.selected) : undefined;
    const locked = this.debug.open;
    const session = this.debug.session;
    const pausedAt = locked && session?.status === 'paused' ? (session.next[0]?.nodeId ?? null) : null;
    return html`<section class="editor" data-panel=${this.panel}>
      ${renderEditorBar(
        {
          doc: this.doc,
          stored: this.stored,
          versions: this.versions,
          collab: this.collab,
          dirty: this.dirty,
          runStatus: this.runStatus,
          inspectorOpen: this.panel === 'inspector',
          busy: this.busy,
          locked,
          debugBusy: this.debug.busy,
          payload: this.data.payload,
        },
        {
          patch: (fields) => this.replaceDoc({ ...this.doc, ...fields }),
          openVersion: (v) => void this.openVersion(v),
          toggleActive: () => void this.toggleActive(),
          toggleInspector: () => (this.panel = this.panel === 'inspector' ? 'none' : 'inspector'),
          save: () => void this.save(),
          editPayload: () =>
            this.querySelector<ItemsDialog>('weft-items-dialog')?.open(
              'Trigger payload for Test and Debug',
              this.data.payload,
              (items) => this.data.setPayload(items),
            ),
          test: () => void this.test(),
          debug: () => void this.startDebug(),
          run: () => void this.run(),
        },
      )}
      ${renderDebugBar(this.debug)}
      ${errorBox(this.error)} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      ${renderEditorBody(
        {
          doc: this.doc,
          node,
          stored: this.stored,
          lastRunId: this.lastRun?.id,
          locked,
          readonly: !!this.collab?.readonly,
          pausedAt,
          debug: this.debug,
          data: this.data,
          isWebhook: this.catalogue?.nodeTypes.find((t) => t.type === node?.type)?.triggerKind === 'webhook',
          credentialTypes: this.catalogue?.credentialTypes ?? [],
        },
        {
          addNode: (type) => this.canvas.addNode(type),
          change: (e) => this.onChange(e),
          select: (e) => this.onSelect(e),
          run: () => void this.run(),
          aiAccept: (d) => {
            this.replaceDoc(d.workflow, d.notice);
            if (d.save) void this.save();
          },
          updateNode: (n, field) => this.canvas.updateNode(n, field),
          itemsDialog: () => this.querySelector<ItemsDialog>('weft-items-dialog'),
          inspector: () => this.inspector,
        },
      )}
    </section>`;
  }
}
customElements.define('weft-editor-view', EditorView);
