import type { ExecutionRecord } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { localStore } from '../app/local-store.js';
import { decisionSync } from '../offline/decision-sync.js';

const CACHE = 'weft.approvals:';

/**
 * Executions waiting for an approval, with approve/reject and a comment. Opened from a deep link
 * or a push notification (`/approvals/<id>?decide=approve|reject`) it puts that approval first,
 * with the suggested decision for one tap. Decisions go through the offline queue: without a
 * connection they show as pending and are sent once the browser is back online; one that lost to
 * someone else's decision shows who decided.
 */
export class ApprovalsView extends LightElement {
  static override properties = {
    focusId: { attribute: 'focus-id' },
    decide: {},
    items: { state: true },
    done: { state: true },
    error: { state: true },
    names: { state: true },
    offline: { state: true },
  };
  declare offline: boolean;
  declare names: Map<string, string>;
  declare focusId: string | undefined;
  declare decide: string | undefined;
  declare items: ExecutionRecord[];
  /** What became of each decision taken here: the workflow's name and the outcome. */
  declare done: Record<string, { label: string; message: string }>;
  declare error: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.done = {};
    this.names = new Map();
  }

  private seen = 0;
  private readonly onSync = () => this.synced();

  override connectedCallback(): void {
    super.connectedCallback();
    this.seen = decisionSync.outcomes.length;
    decisionSync.addEventListener('change', this.onSync);
    void this.load();
    void decisionSync.flush();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    decisionSync.removeEventListener('change', this.onSync);
  }

  private async load(): Promise<void> {
    const ws = appState.workspaceId as string;
    try {
      const [approvals, workflows] = await Promise.all([
        appState.client.executions.approvals(ws),
        appState.client.workflows.list(ws, { limit: 200 }),
      ]);
      this.names = new Map(workflows.items.map((w) => [w.id, w.name]));
      this.items = approvals.items;
      this.offline = false;
      this.error = undefined;
      localStore().setItem(CACHE + ws, JSON.stringify({ items: this.items, names: [...this.names] }));
    } catch (e) {
      const cached = navigator.onLine ? null : localStore().getItem(CACHE + ws);
      if (!cached) {
        this.error = errorMessage(e);
        return;
      }
      const c = JSON.parse(cached) as { items: ExecutionRecord[]; names: [string, string][] };
      this.items = c.items;
      this.names = new Map(c.names);
      this.offline = true;
    }
  }

  /** Shows what became of decisions sent since this view opened, and refreshes the list. */
  private synced(): void {
    const fresh = decisionSync.outcomes.slice(this.seen);
    this.seen = decisionSync.outcomes.length;
    if (fresh.length) {
      const done = { ...this.done };
      for (const o of fresh) {
        const verb = o.decision.approved ? 'Approved' : 'Rejected';
        done[o.decision.executionId] = {
          label: o.decision.label ?? o.decision.executionId,
          message: o.result === 'applied' ? `${verb}: execution is ${o.status}` : `${verb} not sent: ${o.message}`,
        };
      }
      this.done = done;
      void this.load();
    }
    this.requestUpdate();
  }

  private async decideOn(x: ExecutionRecord, approved: boolean): Promise<void> {
    const input = this.querySelector<HTMLTextAreaElement>(`textarea[data-id="${CSS.escape(x.id)}"]`);
    const comment = input?.value.trim();
    try {
      await decisionSync.decide({
        workspaceId: x.workspaceId,
        executionId: x.id,
        approved,
        label: this.names.get(x.workflowId) ?? x.workflowId,
        ...(comment ? { comment } : {}),
      });
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override render() {
    const focus = this.items.find((x) => x.id === this.focusId);
    const rest = this.items.filter((x) => x !== focus);
    const card = (x: ExecutionRecord, suggested?: string) => {
      const queued = decisionSync.pending.find((d) => d.executionId === x.id);
      return html`<li class="card approval" data-execution-id=${x.id}>
      <a class="card-title" href=${`/executions/${encodeURIComponent(x.id)}`}>${this.names.get(x.workflowId) ?? x.workflowId} v${x.workflowVersion}</a>
      <div class="meta"><span>waiting since ${formatTime(x.startedAt)}</span><span>node ${x.wait?.nodeId}</span></div>
      ${
        queued
          ? html`<p class="notice offline pending" role="status">
              ${queued.approved ? 'Approve' : 'Reject'} pending, will be sent when you are back online</p>`
          : html`<label>Comment <textarea data-id=${x.id} rows="2"></textarea></label>
              <div class="actions">
                <button class=${suggested === 'approve' ? 'primary' : ''} @click=${() => this.decideOn(x, true)}>Approve</button>
                <button class=${suggested === 'reject' ? 'danger primary' : 'danger'} @click=${() => this.decideOn(x, false)}>Reject</button>
              </div>`
      }
    </li>`;
    };
    return html`<section class="page">
      <header class="page-head"><h1>Approvals</h1><button @click=${() => this.load()}>Refresh</button></header>
      ${errorBox(this.error)}
      ${this.offline ? html`<p class="notice offline" role="status">Offline: approvals from the last sync</p>` : ''}
      ${Object.entries(this.done).map(
        ([id, d]) => html`<p class="notice" role="status" data-execution-id=${id}>
          <a href=${`/executions/${encodeURIComponent(id)}`}>${d.label}</a>: ${d.message}</p>`,
      )}
      ${
        this.focusId && !focus && !this.done[this.focusId]
          ? html`<p class="notice">Execution ${this.focusId} no longer waits for an approval.</p>`
          : ''
      }
      ${!this.items.length ? html`<p class="empty">Nothing waits for your approval.</p>` : ''}
      <ul class="cards">${focus ? card(focus, this.decide) : ''}${rest.map((x) => card(x))}</ul>
    </section>`;
  }
}
customElements.define('weft-approvals-view', ApprovalsView);
