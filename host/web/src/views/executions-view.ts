import type { EventSubscription, ExecutionRecord } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatDuration, formatTime, statusPill } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import {
  type ExecutionFilters,
  filterProblems,
  filtersToSearch,
  fromLocalInput,
  isContentSearch,
  isFiltered,
  MODES,
  matchesOffline,
  parseFilters,
  STATUSES,
  toExecutionQuery,
  toLocalInput,
} from '../executions/execution-filters.js';
import { executionCache } from '../offline/execution-cache.js';

type TextFilter = 'q' | 'contains' | 'field' | 'value';

/**
 * Executions with search: statuses, modes, time range, id/error text, content (`contains`) and
 * field/value; "Load more" follows the cursor, and a content search says when it stopped at the
 * host's scan window. The filters live in the URL (`search`, set by the app from the route), so a
 * search can be shared and Back restores the previous one. Readable offline from the last sync.
 */
export class ExecutionsView extends LightElement {
  static override properties = {
    search: {},
    items: { state: true },
    next: { state: true },
    scanLimitReached: { state: true },
    loading: { state: true },
    offlineSince: { state: true },
    error: { state: true },
    names: { state: true },
    showMore: { state: true },
  };
  /** The page's query string (without `?`): the filters. */
  declare search: string;
  declare names: Map<string, string>;
  declare items: ExecutionRecord[];
  declare next: string | undefined;
  declare scanLimitReached: boolean;
  declare loading: boolean;
  declare offlineSince: number | undefined | null;
  declare error: string | undefined;
  /** Whether the content and time filters are shown (opened by the user, or because one is set). */
  declare showMore: boolean;
  private filters: ExecutionFilters = { status: [], mode: [] };
  private ignored: string[] = [];
  private live: EventSubscription | undefined;
  private reload: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor() {
    super();
    this.search = '';
    this.items = [];
    this.scanLimitReached = false;
    this.loading = false;
    this.offlineSince = null;
    this.names = new Map();
    this.showMore = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Finished and new executions appear without a refresh: first page of a cheap search only.
    this.live = appState.client.subscribe(appState.workspaceId as string, {
      onEvent: (e) => {
        if (!e.type.startsWith('workflow:') || this.offlineSince !== null || this.items.length > 50) return;
        if (isContentSearch(this.filters)) return;
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

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has('search')) return;
    ({ filters: this.filters, ignored: this.ignored } = parseFilters(new URLSearchParams(this.search)));
    const f = this.filters;
    if (f.contains || f.field || f.value || f.since !== undefined || f.until !== undefined) this.showMore = true;
    this.items = [];
    this.next = undefined;
    this.scanLimitReached = false;
    void this.load();
  }

  /** Shows other filters: a new URL (pushed, so Back returns to this search), which reloads the list. */
  private apply(change: Partial<ExecutionFilters>): void {
    const merged: ExecutionFilters = { ...this.filters, ...change };
    for (const key of Object.keys(change) as (keyof ExecutionFilters)[])
      if (merged[key] === undefined || merged[key] === '') delete merged[key];
    const search = filtersToSearch(merged);
    if (search === this.search) return;
    navigate(`/executions${search ? `?${search}` : ''}`);
  }

  private toggle<T extends string>(list: T[], value: T): T[] {
    return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  }

  private async load(cursor?: string): Promise<void> {
    const ws = appState.workspaceId as string;
    const seq = ++this.seq;
    const problems = filterProblems(this.filters);
    if (problems.length) {
      this.items = [];
      this.next = undefined;
      return;
    }
    this.loading = true;
    try {
      const page = await appState.client.executions.list(
        ws,
        toExecutionQuery(this.filters, { limit: 50, ...(cursor ? { cursor } : {}) }),
      );
      if (seq !== this.seq) return;
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.next = page.nextCursor;
      this.scanLimitReached = page.scanLimitReached === true;
      this.offlineSince = null;
      this.error = undefined;
      if (!cursor && !isFiltered(this.filters)) await executionCache.saveList(ws, page.items);
    } catch (e) {
      if (seq !== this.seq) return;
      if (e instanceof TypeError) {
        const cached = await executionCache.list(ws);
        this.items = cached.items.filter((x) => matchesOffline(this.filters, x));
        this.offlineSince = cached.syncedAt;
        this.next = undefined;
        this.scanLimitReached = false;
      } else this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  private textInput(key: TextFilter, label: string, placeholder: string, type = 'text') {
    return html`<label>${label}<input type=${type} name=${key} placeholder=${placeholder} .value=${this.filters[key] ?? ''}
      @change=${(e: Event) => this.apply({ [key]: (e.target as HTMLInputElement).value.trim() } as Partial<ExecutionFilters>)} /></label>`;
  }

  private timeInput(key: 'since' | 'until', label: string) {
    return html`<label>${label}<input type="datetime-local" name=${key} .value=${toLocalInput(this.filters[key])}
      @change=${(e: Event) => this.apply({ [key]: fromLocalInput((e.target as HTMLInputElement).value) } as Partial<ExecutionFilters>)} /></label>`;
  }

  private chips<T extends string>(label: string, all: readonly T[], chosen: T[], key: 'status' | 'mode') {
    return html`<div class="chips" role="group" aria-label=${label}>
      <span class="muted small">${label}</span>
      ${all.map(
        (v) => html`<button type="button" class="chip" aria-pressed=${chosen.includes(v) ? 'true' : 'false'}
          @click=${() => this.apply({ [key]: this.toggle(chosen, v) } as Partial<ExecutionFilters>)}>${v}</button>`,
      )}
    </div>`;
  }

  private renderFilters() {
    const f = this.filters;
    const problems = filterProblems(f);
    return html`<form class="search-form" role="search" aria-label="Search executions" @submit=${(e: Event) => e.preventDefault()}>
      <div class="toolbar">
        <input type="search" name="q" placeholder="Execution id or error text" aria-label="Execution id or error text"
          .value=${f.q ?? ''} @change=${(e: Event) => this.apply({ q: (e.target as HTMLInputElement).value.trim() })} />
        ${isFiltered(f) ? html`<button type="button" @click=${() => navigate('/executions')}>Clear filters</button>` : ''}
      </div>
      ${this.chips('Status', STATUSES, f.status, 'status')} ${this.chips('Mode', MODES, f.mode, 'mode')}
      <details class="more-filters" ?open=${this.showMore}
        @toggle=${(e: Event) => {
          this.showMore = (e.target as HTMLDetailsElement).open;
        }}>
        <summary>Content and time</summary>
        <div class="filter-grid">
          ${this.textInput('contains', 'Contains', 'text in input or node output', 'search')}
          ${this.textInput('field', 'Field', 'customer.email')} ${this.textInput('value', 'Value', 'ada@example.com or 42')}
          ${this.timeInput('since', 'From')} ${this.timeInput('until', 'To')}
        </div>
      </details>
      ${problems.map((p) => html`<p class="error" role="alert">${p}</p>`)}
      ${this.ignored.length ? html`<p class="notice" role="status">Left out of this link: ${this.ignored.join('; ')}.</p>` : ''}
    </form>`;
  }

  override render() {
    const filtered = isFiltered(this.filters);
    const workflowName = this.filters.workflowId
      ? (this.names.get(this.filters.workflowId) ?? this.filters.workflowId)
      : undefined;
    return html`<section class="page">
      <header class="page-head"><h1>Executions${workflowName ? html` <span class="muted">of ${workflowName}</span>` : ''}</h1>
        <button @click=${() => this.load()}>Refresh</button></header>
      ${
        this.offlineSince !== null
          ? html`<p class="notice offline" role="status">Offline: history from the last sync
              (${this.offlineSince ? formatTime(this.offlineSince) : 'never synced'}).</p>`
          : ''
      }
      ${this.renderFilters()}
      ${errorBox(this.error)}
      ${!this.loading && !this.items.length && !this.scanLimitReached ? html`<p class="empty">${filtered ? 'No execution matches.' : 'No executions.'}</p>` : ''}
      <table class="list" aria-busy=${this.loading ? 'true' : 'false'}>
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
      ${
        this.scanLimitReached
          ? html`<p class="notice scan-limit" role="status">The search stopped after the host's scan window: older
              executions were not searched yet. Load more to search further back, or narrow the time range.</p>`
          : ''
      }
      ${
        this.next ? html`<button ?disabled=${this.loading} @click=${() => this.load(this.next)}>Load more</button>` : ''
      }
    </section>`;
  }
}
customElements.define('weft-executions-view', ExecutionsView);
