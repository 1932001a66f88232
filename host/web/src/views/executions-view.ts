import type { EventSubscription, ExecutionRecord } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatDuration, formatTime, statusPill } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { executionCache } from '../offline/execution-cache.js';

const STATUSES = ['', 'succeeded', 'failed', 'waiting', 'running', 'queued', 'cancelled'];

/** Executions with status filter, search and paging; readable offline from the last sync. */
export class ExecutionsView extends LightElement {
  static override properties = {
    workflowId: { attribute: 'workflow-id' },
    items: { state: true },
    status: { state: true },
    q: { state: true },
    next: { state: true },
    offlineSince: { state: true },
    error: { state: true },
    names: { state: true },
  };
  declare workflowId: string | undefined;
  declare names: Map<string, string>;
  private live: EventSubscription | undefined;
  private reload: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  declare items: ExecutionRecord[];
  declare status: string;
  declare q: string;
  declare next: string | undefined;
  declare offlineSince: number | undefined | null;
  declare error: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.status = '';
    this.q = '';
    this.offlineSince = null;
    this.names = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    // Finished and new executions appear without a refresh (first page only, debounced).
    this.live = appState.client.subscribe(appState.workspaceId as string, {
      onEvent: (e) => {
        if (!e.type.startsWith('workflow:') || this.offlineSince !== null || this.items.length > 50) return;
        clearTimeout(this.reload);
        this.reload = setTimeout(() => void this.load(), 300);
      },
    });
    void appState.client.workflows
      .list(appState.workspaceId as string, { limit: 200 })
      .then((page) => {
        this.names = new Map(page.items.map((w) => [w.id, w.name]));
      })
      .catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live?.close();
    clearTimeout(this.reload);
  }

  private async load(cursor?: string): Promise<void> {
    const ws = appState.workspaceId as string;
    const seq = ++this.seq;
    try {
      const page = await appState.client.executions.list(ws, {
        limit: 50,
        ...(this.workflowId ? { workflowId: this.workflowId } : {}),
        ...(this.status ? { status: this.status as ExecutionRecord['status'] } : {}),
        ...(this.q ? { q: this.q } : {}),
        ...(cursor ? { cursor } : {}),
      });
      if (seq !== this.seq) return;
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.next = page.nextCursor;
      this.offlineSince = null;
      this.error = undefined;
      if (!cursor && !this.status && !this.q && !this.workflowId) await executionCache.saveList(ws, page.items);
    } catch (e) {
      if (e instanceof TypeError) {
        const cached = await executionCache.list(ws);
        this.items = cached.items.filter(
          (x) => (!this.status || x.status === this.status) && (!this.workflowId || x.workflowId === this.workflowId),
        );
        this.offlineSince = cached.syncedAt;
        this.next = undefined;
      } else this.error = errorMessage(e);
    }
  }

  override render() {
    return html`<section class="page">
      <header class="page-head"><h1>Executions</h1>
        <button @click=${() => this.load()}>Refresh</button></header>
      ${
        this.offlineSince !== null
          ? html`<p class="notice offline" role="status">Offline: history from the last sync
              (${this.offlineSince ? formatTime(this.offlineSince) : 'never synced'}).</p>`
          : ''
      }
      <div class="toolbar">
        <select aria-label="Status" @change=${(e: Event) => {
          this.status = (e.target as HTMLSelectElement).value;
          void this.load();
        }}>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.status}>${s || 'any status'}</option>`)}
        </select>
        <input type="search" placeholder="Execution id or error text" aria-label="Search executions"
          @change=${(e: Event) => {
            this.q = (e.target as HTMLInputElement).value.trim();
            void this.load();
          }} />
      </div>
      ${errorBox(this.error)}
      ${this.items.length ? '' : html`<p class="empty">No executions.</p>`}
      <table class="list">
        <thead><tr><th>Status</th><th>Workflow</th><th>Mode</th><th>Started</th><th>Duration</th></tr></thead>
        <tbody>
          ${this.items.map(
            (x) => html`<tr>
              <td>${statusPill(x.status)}</td>
              <td><a href=${`/executions/${encodeURIComponent(x.id)}`}>${this.names.get(x.workflowId) ?? x.workflowId} v${x.workflowVersion}</a>
                ${x.error ? html`<div class="muted small">${x.error.message}</div>` : ''}</td>
              <td>${x.mode}</td>
              <td>${formatTime(x.startedAt)}</td>
              <td>${formatDuration(x.startedAt, x.finishedAt)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.next ? html`<button @click=${() => this.load(this.next)}>Load more</button>` : ''}
    </section>`;
  }
}
customElements.define('weft-executions-view', ExecutionsView);
