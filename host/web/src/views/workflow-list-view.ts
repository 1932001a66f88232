import type { WorkflowSummary } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import type { WorkflowImportDialog, WorkflowsImportedDetail } from './workflow-import-dialog.js';
import './workflow-import-dialog.js';

/** The workspace's workflows with search, tag filter, activate/deactivate, duplicate and delete. */
export class WorkflowListView extends LightElement {
  static override properties = {
    items: { state: true },
    q: { state: true },
    tag: { state: true },
    error: { state: true },
    loading: { state: true },
    imported: { state: true },
    /** Base path of editor links (`/workflows` in the app, `/embed/editor?id=` style in embeds). */
    editorHref: { attribute: false },
  };
  declare items: WorkflowSummary[];
  declare q: string;
  declare tag: string | undefined;
  declare error: string | undefined;
  declare loading: boolean;
  declare imported: WorkflowsImportedDetail['answer'] | undefined;
  declare editorHref: (id: string) => string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older searches that arrive late are dropped. */
  private seq = 0;

  constructor() {
    super();
    this.items = [];
    this.q = '';
    this.loading = true;
    this.editorHref = (id) => `/workflows/${encodeURIComponent(id)}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const ws = appState.workspaceId;
    if (!ws) return;
    this.loading = true;
    const seq = ++this.seq;
    try {
      const page = await appState.client.workflows.list(ws, { limit: 200, ...(this.q ? { q: this.q } : {}) });
      if (seq !== this.seq) return;
      this.items = page.items;
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loading = false;
    }
  }

  private search(e: InputEvent): void {
    this.q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), 250);
  }

  private async act(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private onImported(e: CustomEvent<WorkflowsImportedDetail>): void {
    this.imported = e.detail.answer;
    void this.load();
  }

  private renderImported() {
    const answer = this.imported;
    if (!answer) return '';
    const credentials = answer.report?.summary.credentials ?? 0;
    return html`<p class="notice" role="status">
      Imported ${answer.items.map((w, i) => html`${i ? ', ' : ''}<a href=${this.editorHref(w.id)}>${w.name}</a>`)}.
      ${credentials ? html`Create ${credentials} credential${credentials === 1 ? '' : 's'} in <a href="/credentials">Credentials</a> before running.` : ''}
    </p>`;
  }

  override render() {
    const ws = appState.workspaceId as string;
    const tags = [...new Set(this.items.flatMap((w) => w.tags ?? []))].sort();
    const shown = this.tag ? this.items.filter((w) => w.tags?.includes(this.tag as string)) : this.items;
    const wf = appState.client.workflows;
    return html`<section class="page">
      <header class="page-head">
        <h1>Workflows</h1>
        <div class="actions">
          <button @click=${() => this.querySelector<WorkflowImportDialog>('weft-workflow-import-dialog')?.open()}>
            Import…
          </button>
          <button class="primary" @click=${() => navigate(this.editorHref('new'))}>New workflow</button>
        </div>
      </header>
      <weft-workflow-import-dialog @workflows-imported=${this.onImported}></weft-workflow-import-dialog>
      ${this.renderImported()}
      <div class="toolbar">
        <input type="search" placeholder="Search by name or tag" aria-label="Search workflows" .value=${this.q}
          @input=${this.search} />
      </div>
      ${
        tags.length
          ? html`<div class="chips" role="group" aria-label="Filter by tag">
              ${tags.map(
                (t) => html`<button class="chip" aria-pressed=${this.tag === t ? 'true' : 'false'}
                  @click=${() => {
                    this.tag = this.tag === t ? undefined : t;
                  }}>${t}</button>`,
              )}
            </div>`
          : ''
      }
      ${errorBox(this.error)}
      ${
        !this.loading && !shown.length
          ? html`<p class="empty">${this.q || this.tag ? 'No workflow matches.' : 'No workflows yet: create one.'}</p>`
          : ''
      }
      <ul class="cards" aria-busy=${this.loading ? 'true' : 'false'}>
        ${shown.map(
          (w) => html`<li class="card" data-workflow-id=${w.id}>
            <a class="card-title" href=${this.editorHref(w.id)}>${w.name}</a>
            <div class="meta">
              <span class="pill ${w.active ? 'status-succeeded' : ''}">${w.active ? 'active' : 'inactive'}</span>
              <span>v${w.version}</span><span>${formatTime(w.updatedAt)}</span>
              ${(w.tags ?? []).map((t) => html`<span class="tag">${t}</span>`)}
            </div>
            ${w.description ? html`<p class="muted">${w.description}</p>` : ''}
            <div class="actions">
              <button @click=${() => this.act(() => wf.setActive(ws, w.id, !w.active))}>
                ${w.active ? 'Deactivate' : 'Activate'}
              </button>
              <button @click=${() => this.act(() => wf.duplicate(ws, w.id))}>Duplicate</button>
              <a class="button" href=${`/executions?workflowId=${encodeURIComponent(w.id)}`}>Executions</a>
              <button class="danger" @click=${() => {
                if (confirm(`Delete "${w.name}" and all its versions?`)) void this.act(() => wf.delete(ws, w.id));
              }}>Delete</button>
            </div>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}
customElements.define('weft-workflow-list-view', WorkflowListView);
