import type { ExecutionRecord } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/**
 * Executions waiting for an approval, with approve/reject and a comment. Opened from a push
 * notification (`?execution=<id>&decide=approve|reject`) it puts that decision first for one tap.
 */
export class ApprovalsView extends LightElement {
  static override properties = {
    focusId: { attribute: 'focus-id' },
    decide: {},
    items: { state: true },
    done: { state: true },
    error: { state: true },
    names: { state: true },
  };
  declare names: Map<string, string>;
  declare focusId: string | undefined;
  declare decide: string | undefined;
  declare items: ExecutionRecord[];
  declare done: Record<string, string>;
  declare error: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.done = {};
    this.names = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const ws = appState.workspaceId as string;
      const [approvals, workflows] = await Promise.all([
        appState.client.executions.approvals(ws),
        appState.client.workflows.list(ws, { limit: 200 }),
      ]);
      this.names = new Map(workflows.items.map((w) => [w.id, w.name]));
      this.items = approvals.items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async decideOn(x: ExecutionRecord, approved: boolean): Promise<void> {
    const input = this.querySelector<HTMLTextAreaElement>(`textarea[data-id="${CSS.escape(x.id)}"]`);
    const comment = input?.value.trim();
    try {
      const r = await appState.client.executions.decide(appState.workspaceId as string, x.id, approved, {
        ...(comment ? { comment } : {}),
      });
      this.done = { ...this.done, [x.id]: `${approved ? 'Approved' : 'Rejected'}: execution is ${r.status}` };
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override render() {
    const focus = this.items.find((x) => x.id === this.focusId);
    const rest = this.items.filter((x) => x !== focus);
    const card = (x: ExecutionRecord, suggested?: string) => html`<li class="card approval" data-execution-id=${x.id}>
      <a class="card-title" href=${`/executions/${encodeURIComponent(x.id)}`}>${this.names.get(x.workflowId) ?? x.workflowId} v${x.workflowVersion}</a>
      <div class="meta"><span>waiting since ${formatTime(x.startedAt)}</span><span>node ${x.wait?.nodeId}</span></div>
      <label>Comment <textarea data-id=${x.id} rows="2"></textarea></label>
      <div class="actions">
        <button class=${suggested === 'approve' ? 'primary' : ''} @click=${() => this.decideOn(x, true)}>Approve</button>
        <button class=${suggested === 'reject' ? 'danger primary' : 'danger'} @click=${() => this.decideOn(x, false)}>Reject</button>
      </div>
    </li>`;
    return html`<section class="page">
      <header class="page-head"><h1>Approvals</h1><button @click=${() => this.load()}>Refresh</button></header>
      ${errorBox(this.error)}
      ${Object.entries(this.done).map(([id, msg]) => html`<p class="notice" role="status">${id}: ${msg}</p>`)}
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
