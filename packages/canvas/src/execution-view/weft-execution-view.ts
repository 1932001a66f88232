import type { BinaryRef, ExecutionError, Item, PortItems } from '@weft/engine';
import { css, html, LitElement, nothing } from 'lit';
import { themeStyles } from '../theme/theme-styles.js';
import { jsonFieldPath, onFieldDragStart, renderJson } from './render-json.js';

const JSON_ITEMS = 100;

/** One node's run as the execution view shows it (a subset of the engine's `NodeRunRecord`). */
export interface NodeRunView {
  nodeName: string;
  status?: string;
  durationMs?: number;
  input?: PortItems;
  output?: PortItems;
  error?: ExecutionError;
}

/** Turns a binary reference into a URL the browser can load (the host serves blobs). */
export type BinaryUrl = (ref: BinaryRef) => string | undefined;

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (v === null || typeof v !== 'object') return String(v);
  return JSON.stringify(v);
}

/**
 * `<weft-execution-view>`: a node run's input and output items, per port, as a table (one
 * column per top-level field) or as JSON, plus the error and binary attachments (images are
 * previewed when `binaryUrl` can resolve them). Column headers and JSON keys drag into a
 * parameter as `{{ $json.path }}`.
 *
 * @example
 * ```ts
 * view.run = { nodeName: 'Set', status: 'succeeded', input: { main: [...] }, output: { main: [...] } };
 * view.binaryUrl = (ref) => `/api/blobs/${ref.id}`;
 * ```
 */
export class WeftExecutionView extends LitElement {
  static override properties = {
    run: { attribute: false },
    binaryUrl: { attribute: false },
    side: { type: String },
    mode: { type: String },
    port: { state: true },
    theme: { reflect: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
        font-size: 13px;
        background: var(--weft-surface);
        padding: 8px;
      }
      .bar {
        display: flex;
        gap: 6px;
        align-items: center;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      [aria-pressed='true'],
      [aria-selected='true'] {
        background: var(--weft-accent);
        color: var(--weft-accent-fg);
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        border: 1px solid var(--weft-border);
        padding: 4px 6px;
        text-align: left;
        vertical-align: top;
        max-width: 320px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      th {
        background: var(--weft-surface-2);
      }
      pre {
        margin: 0;
        padding: 8px;
        background: var(--weft-bg);
        border-radius: 6px;
        overflow: auto;
        max-height: 400px;
      }
      .error {
        color: var(--weft-danger);
        margin-bottom: 8px;
      }
      .binary img {
        max-width: 160px;
        max-height: 120px;
        display: block;
      }
      .meta {
        color: var(--weft-muted);
      }
      .key {
        cursor: grab;
      }
      pre .key {
        color: var(--weft-accent);
        border-radius: 3px;
      }
      .key:hover {
        background: var(--weft-surface-2);
        outline: 1px dashed var(--weft-accent);
      }
    `,
  ];

  declare run: NodeRunView | null;
  declare binaryUrl: BinaryUrl | null;
  declare side: 'input' | 'output';
  declare mode: 'table' | 'json';
  declare port: string | null;
  declare theme: 'light' | 'dark';

  constructor() {
    super();
    this.run = null;
    this.binaryUrl = null;
    this.side = 'output';
    this.mode = 'table';
    this.port = null;
    this.theme = 'light';
  }

  #table(items: Item[]) {
    const columns = [...new Set(items.flatMap((i) => Object.keys(i.json)))];
    return html`<table part="table">
      <thead><tr><th scope="col">#</th>${columns.map(
        (c) => html`<th scope="col" class="key" draggable="true" data-path=${jsonFieldPath([c])}
          title=${`Drag into a parameter: {{ ${jsonFieldPath([c])} }}`} @dragstart=${onFieldDragStart}>${c}</th>`,
      )}</tr></thead>
      <tbody>
        ${items.map(
          (it, i) =>
            html`<tr><th scope="row">${i}</th>${columns.map((c) => html`<td title=${cell(it.json[c])}>${cell(it.json[c])}</td>`)}</tr>`,
        )}
      </tbody>
    </table>`;
  }

  #json(items: Item[]) {
    const shown = items.slice(0, JSON_ITEMS);
    // One array, so the text is JSON a user can copy; each item's paths still start at its own $json.
    return html`<pre part="json">[\n${shown.map((it, i) => html`  ${renderJson(it.json, [], 1)}${i < shown.length - 1 ? ',' : ''}\n`)}]</pre>
      ${items.length > shown.length ? html`<p class="meta">${items.length - shown.length} more items</p>` : nothing}`;
  }

  #binaries(items: Item[]) {
    const refs = items.flatMap((it, i) => Object.entries(it.binary ?? {}).map(([k, ref]) => ({ i, k, ref })));
    if (refs.length === 0) return nothing;
    return html`<h3>Binary data</h3>
      <ul class="binary">
        ${refs.map(({ i, k, ref }) => {
          const url = this.binaryUrl?.(ref);
          return html`<li>
            item ${i} · ${k}: ${ref.fileName ?? ref.id} (${ref.mimeType}, ${ref.size} bytes)
            ${url && ref.mimeType.startsWith('image/') ? html`<img src=${url} alt=${ref.fileName ?? k} />` : nothing}
            ${url ? html`<a href=${url} download=${ref.fileName ?? k}>Download</a>` : nothing}
          </li>`;
        })}
      </ul>`;
  }

  protected override render() {
    const run = this.run;
    if (!run) return html`<p class="meta" role="status">No run data yet. Run the workflow to see items here.</p>`;
    const data = (this.side === 'input' ? run.input : run.output) ?? {};
    const ports = Object.keys(data);
    const port = this.port && ports.includes(this.port) ? this.port : (ports[0] ?? null);
    const items = port ? (data[port] ?? []) : [];
    return html`<div class="bar" role="toolbar" aria-label="Run data view">
        <strong>${run.nodeName}</strong>
        <span class="meta">${run.status ?? ''}${run.durationMs !== undefined ? ` · ${run.durationMs} ms` : ''}</span>
        <span role="tablist" aria-label="Side">
          ${(['input', 'output'] as const).map(
            (s) => html`<button type="button" role="tab" aria-selected=${this.side === s ? 'true' : 'false'}
              @click=${() => {
                this.side = s;
              }}>${s === 'input' ? 'Input' : 'Output'}</button>`,
          )}
        </span>
        ${
          ports.length > 1
            ? html`<label>Port <select @change=${(e: Event) => {
                this.port = (e.target as HTMLSelectElement).value;
              }}>${ports.map((p) => html`<option ?selected=${p === port}>${p}</option>`)}</select></label>`
            : nothing
        }
        <button type="button" aria-pressed=${this.mode === 'table' ? 'true' : 'false'} @click=${() => {
          this.mode = 'table';
        }}>Table</button>
        <button type="button" aria-pressed=${this.mode === 'json' ? 'true' : 'false'} @click=${() => {
          this.mode = 'json';
        }}>JSON</button>
        <span class="meta">${items.length} item${items.length === 1 ? '' : 's'}</span>
      </div>
      ${run.error && this.side === 'output' ? html`<div class="error" role="alert">${run.error.code}: ${run.error.message}</div>` : nothing}
      ${
        items.length === 0
          ? html`<p class="meta">No items.</p>`
          : this.mode === 'table'
            ? this.#table(items)
            : this.#json(items)
      }
      ${this.#binaries(items)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-execution-view': WeftExecutionView;
  }
}
