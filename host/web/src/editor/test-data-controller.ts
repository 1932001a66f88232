import type { ExecutionDetail } from '@weft/client';
import type { Item, Workflow, WorkflowNode } from '@weft/engine';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { appState } from '../app/app-state.js';
import { errorMessage } from '../app/format.js';
import { localStore } from '../app/local-store.js';
import { takeLegacyPins } from './legacy-pins.js';
import { stepPinData } from './test-data.js';

/** A test listener as the host answers it (`/test-webhooks`). */
export interface TestListener {
  id: string;
  status: 'listening' | 'received' | 'expired' | 'cancelled';
  testUrl: string;
  method: string;
  expiresAt: number;
  items?: Item[];
  executionId?: string;
  error?: string;
}

/** What the controller needs from the editor. */
export interface TestDataEditor {
  doc(): Workflow;
  /** Pins items as a node's output in the document (`undefined` unpins): an undoable edit. */
  pin(nodeId: string, items: Item[] | undefined): void;
  /** Where the trigger payload is kept between visits: the workflow id, or `new`. */
  key(): string;
  lastRun(): ExecutionDetail | undefined;
  show(executionId: string): Promise<void>;
  say(notice: string | undefined, error?: string): void;
}

/**
 * The editor's data while building: pinned node outputs (the document's `pinData`, by node id, so
 * they are saved with the workflow; pinned nodes are not run by Test, Debug or Execute step, and
 * production runs never use them), the trigger payload for Test and Debug (kept in this browser), "Execute step" (runs up to a node with pinned and previous data) and "Listen for
 * test event" on a webhook trigger (waits for one request at its test URL, shows the run and pins
 * the request as the trigger's output).
 *
 * @example
 * ```ts
 * this.data = new TestDataController(this, { doc: () => this.doc, key: () => this.workflowId, ... });
 * await appState.client.workflows.test(ws, doc, this.data.runOptions());
 * ```
 */
export class TestDataController implements ReactiveController {
  payload: Item[] | undefined;
  listener: TestListener | undefined;
  busy = false;
  #loadedFor: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly editor: TestDataEditor,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#load();
  }

  hostDisconnected(): void {
    void this.stopListening();
  }

  /** Pinned outputs by node name (what test runs take), from the document's `pinData` by id. */
  get pins(): Record<string, Item[]> {
    const doc = this.editor.doc();
    const names = new Map(doc.nodes.map((n) => [n.id, n.name]));
    const out: Record<string, Item[]> = {};
    for (const [id, items] of Object.entries(doc.pinData ?? {})) {
      const name = names.get(id);
      if (name) out[name] = items;
    }
    return out;
  }

  /** Options for Test and Debug: the payload as trigger input and the pins of nodes in the document. */
  runOptions(): { input?: Item[]; pinData?: Record<string, Item[]> } {
    this.#load();
    const pinData = this.pins;
    return {
      ...(this.payload ? { input: this.payload } : {}),
      ...(Object.keys(pinData).length ? { pinData } : {}),
    };
  }

  pin(node: WorkflowNode, items: Item[]): void {
    this.editor.pin(node.id, items);
    this.host.requestUpdate();
  }

  unpin(node: WorkflowNode): void {
    this.editor.pin(node.id, undefined);
    this.host.requestUpdate();
  }

  setPayload(items: Item[] | undefined): void {
    this.payload = items;
    this.#save();
  }

  /**
   * Moves pins this browser kept before they lived in the workflow into its `pinData` (once: the
   * stored copy keeps only the payload). Call when the document is open on the canvas.
   */
  moveLegacyPins(): void {
    const key = this.#storageKey();
    const found = takeLegacyPins(this.editor.doc(), localStore().getItem(key));
    if (!found) return;
    if (found.rest === null) localStore().removeItem(key);
    else localStore().setItem(key, found.rest);
    const moved = Object.entries(found.pinData);
    for (const [id, items] of moved) this.editor.pin(id, items);
    if (moved.length === 0 && found.dropped.length === 0) return;
    const names = new Map(this.editor.doc().nodes.map((n) => [n.id, n.name]));
    this.editor.say(
      [
        moved.length
          ? `Pinned data kept in this browser moved into the workflow (${moved.map(([id]) => names.get(id)).join(', ')}): save to keep it.`
          : '',
        found.dropped.length ? `Dropped pins of nodes no longer here: ${found.dropped.join(', ')}.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
    this.host.requestUpdate();
  }

  /** The last run's main output of a node, to pin. */
  lastOutput(node: WorkflowNode): Item[] | undefined {
    const run = this.editor
      .lastRun()
      ?.nodeRuns.filter((r) => r.nodeId === node.id && r.output)
      .at(-1);
    return run?.output ? Object.values(run.output).find((items) => (items?.length ?? 0) > 0) : undefined;
  }

  /** Runs the document up to `node` (it runs; upstream nodes use pins and the last run's data). */
  async executeStep(node: WorkflowNode): Promise<void> {
    const doc = this.editor.doc();
    const pinData = stepPinData(doc, node.id, this.runOptions().pinData ?? {}, this.editor.lastRun()?.nodeRuns ?? []);
    await this.#busy(async () => {
      const r = await appState.client.workflows.test(appState.workspaceId as string, doc, {
        ...(this.payload ? { input: this.payload } : {}),
        ...(Object.keys(pinData).length ? { pinData } : {}),
        stopAfter: node.name,
      });
      await this.editor.show(r.executionId);
      const reused = Object.keys(pinData).filter((n) => n !== node.name);
      this.editor.say(`Ran up to ${node.name}${reused.length ? ` with the data of ${reused.join(', ')}` : ''}`);
    });
  }

  /** Waits for one request at the trigger's test URL; shows the run it started and pins the request. */
  async listen(node: WorkflowNode): Promise<void> {
    await this.stopListening();
    const ws = appState.workspaceId as string;
    const base = `/workspaces/${encodeURIComponent(ws)}/test-webhooks`;
    let l: TestListener;
    try {
      l = await appState.client.transport.request<TestListener>('POST', base, {
        body: { workflow: this.editor.doc(), nodeId: node.id },
      });
    } catch (e) {
      this.editor.say(undefined, errorMessage(e));
      return;
    }
    this.listener = l;
    this.host.requestUpdate();
    while (this.listener?.id === l.id && l.status === 'listening') {
      try {
        l = await appState.client.transport.request<TestListener>('GET', `${base}/${l.id}?waitMs=20000`);
      } catch (e) {
        this.editor.say(undefined, errorMessage(e));
        break;
      }
    }
    if (this.listener?.id !== l.id) return; // stopped or replaced meanwhile
    this.listener = undefined;
    if (l.status === 'received' && l.items && l.executionId) {
      this.pin(node, l.items);
      await this.editor.show(l.executionId);
      this.editor.say(`Test event received: the run is shown and the request is pinned to ${node.name}`);
    } else if (l.status === 'received') this.editor.say(undefined, l.error ?? 'The test request was refused');
    else if (l.status === 'expired')
      this.editor.say(
        undefined,
        `No request reached ${l.testUrl} in time. Press "Listen for test event" and send it again.`,
      );
    this.host.requestUpdate();
  }

  async stopListening(): Promise<void> {
    const l = this.listener;
    if (!l) return;
    this.listener = undefined;
    this.host.requestUpdate();
    const ws = encodeURIComponent(appState.workspaceId as string);
    await appState.client.transport.request('DELETE', `/workspaces/${ws}/test-webhooks/${l.id}`).catch(() => {});
  }

  async #busy(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.host.requestUpdate();
    try {
      await work();
    } catch (e) {
      this.editor.say(undefined, errorMessage(e));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  #storageKey(): string {
    return `weft.testData.${appState.workspaceId}.${this.editor.key()}`;
  }

  #load(): void {
    const key = this.#storageKey();
    if (this.#loadedFor === key) return;
    const wasNew = this.#loadedFor?.endsWith('.new') ?? false;
    this.#loadedFor = key;
    if (wasNew && localStore().getItem(key) === null) {
      // A new workflow was just saved: its payload moves to its id.
      this.#save();
      return;
    }
    try {
      this.payload = (JSON.parse(localStore().getItem(key) ?? '{}') as { payload?: Item[] }).payload;
    } catch {
      this.payload = undefined;
    }
  }

  #save(): void {
    const key = this.#storageKey();
    this.#loadedFor = key;
    localStore().setItem(key, JSON.stringify(this.payload ? { payload: this.payload } : {}));
    this.host.requestUpdate();
  }
}
