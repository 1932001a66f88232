import type { ImportAnswer, ImportedNodeReport, ImportedWorkflowReport } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/** Detail of `workflows-imported`: the stored workflows and the credentials still to create. */
export interface WorkflowsImportedDetail {
  answer: ImportAnswer;
}

const FORMAT_NAMES = { weft: 'Weft export', n8n: 'n8n export', 'node-red': 'Node-RED flows' } as const;
const STATUS = {
  exact: { label: 'exact', pill: 'status-succeeded' },
  differences: { label: 'with differences', pill: 'status-waiting' },
  unsupported: { label: 'unsupported', pill: 'status-failed' },
} as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `<weft-workflow-import-dialog>`: imports an n8n export, a Node-RED flows.json or a Weft export
 * document. The file (chosen, dropped or pasted) is checked with a dry run first and the report
 * shown (every node exact / with differences / unsupported, untranslated expressions, credentials
 * to create); "Import" then stores the workflows and fires `workflows-imported`.
 *
 * @example
 * ```ts
 * html`<weft-workflow-import-dialog @workflows-imported=${() => this.load()}></weft-workflow-import-dialog>`;
 * dialog.open();
 * ```
 */
export class WorkflowImportDialog extends LightElement {
  static override properties = {
    text: { state: true },
    fileName: { state: true },
    preview: { state: true },
    error: { state: true },
    busy: { state: true },
    dragging: { state: true },
  };
  declare text: string;
  declare fileName: string | undefined;
  declare preview: ImportAnswer | undefined;
  declare error: string | undefined;
  declare busy: boolean;
  declare dragging: boolean;
  #document: unknown;

  constructor() {
    super();
    this.reset();
  }

  async open(): Promise<void> {
    this.reset();
    await this.updateComplete;
    this.querySelector('dialog')?.showModal();
  }

  private reset(): void {
    this.text = '';
    this.fileName = undefined;
    this.preview = undefined;
    this.error = undefined;
    this.busy = false;
    this.dragging = false;
    this.#document = undefined;
  }

  private close(): void {
    this.querySelector('dialog')?.close();
  }

  private async readFile(file: File | undefined): Promise<void> {
    if (!file) return;
    this.fileName = file.name;
    this.text = await file.text();
    await this.check();
  }

  private dropped(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    void this.readFile(e.dataTransfer?.files[0]);
  }

  private async check(): Promise<void> {
    this.error = undefined;
    try {
      this.#document = JSON.parse(this.text);
    } catch (e) {
      this.error = `${this.fileName ?? 'The pasted text'} is not JSON: ${(e as Error).message}`;
      return;
    }
    this.busy = true;
    try {
      this.preview = await appState.client.workflows.import(appState.workspaceId as string, this.#document, {
        dryRun: true,
      });
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  private async save(): Promise<void> {
    const format = this.preview?.format;
    this.busy = true;
    this.error = undefined;
    try {
      const answer = await appState.client.workflows.import(
        appState.workspaceId as string,
        this.#document,
        format ? { from: format } : {},
      );
      this.close();
      this.dispatchEvent(
        new CustomEvent<WorkflowsImportedDetail>('workflows-imported', { detail: { answer }, bubbles: true }),
      );
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<dialog class="import-dialog" aria-labelledby="import-dialog-title">
      <header class="dialog-head">
        <h2 id="import-dialog-title">Import workflows</h2>
        <button type="button" aria-label="Close" @click=${() => this.close()}>✕</button>
      </header>
      ${this.preview ? this.renderPreview(this.preview) : this.renderSource()}
      ${errorBox(this.error)}
    </dialog>`;
  }

  private renderSource() {
    return html`<p class="muted">An n8n workflow export, a Node-RED flows.json or a Weft export. Nothing is saved
        until you have seen what the import does.</p>
      <label class="drop-zone ${this.dragging ? 'over' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => {
          this.dragging = false;
        }}
        @drop=${this.dropped}>
        <strong>Choose a JSON file</strong> or drop it here
        <input type="file" accept=".json,application/json" aria-label="Workflow file"
          @change=${(e: Event) => void this.readFile((e.target as HTMLInputElement).files?.[0])} />
        ${this.fileName ? html`<span class="muted small">${this.fileName}</span>` : ''}
      </label>
      <label>Or paste JSON
        <textarea rows="6" spellcheck="false" .value=${this.text}
          @input=${(e: InputEvent) => {
            this.text = (e.target as HTMLTextAreaElement).value;
            this.fileName = undefined;
          }}></textarea>
      </label>
      <footer class="dialog-actions">
        <button type="button" @click=${() => this.close()}>Cancel</button>
        <button type="button" class="primary" ?disabled=${this.busy || !this.text.trim()} @click=${() => this.check()}>
          ${this.busy ? 'Checking…' : 'Check import'}
        </button>
      </footer>`;
  }

  private renderPreview(p: ImportAnswer) {
    const count = p.workflows?.length ?? 0;
    const s = p.report?.summary;
    const unsupported = (p.report?.workflows ?? []).flatMap((w) =>
      w.nodes.filter((n) => n.status === 'unsupported').map((n) => n.source),
    );
    return html`<section class="import-report" aria-label="Import report">
        <p class="import-summary">
          <strong>${FORMAT_NAMES[p.format]}</strong>${this.fileName ? html` · ${this.fileName}` : ''} ·
          ${plural(count, 'workflow')}
          ${
            s
              ? html` · ${plural(s.nodes, 'node')}: <span class="pill status-succeeded">${s.exact} exact</span>
                <span class="pill status-waiting">${s.differences} with differences</span>
                <span class="pill status-failed">${s.unsupported} unsupported</span>`
              : ''
          }
        </p>
        ${
          s?.unsupported
            ? html`<p class="notice offline">Not supported: ${unsupported.join(', ')}. Unsupported nodes are kept as
                placeholders that fail with the reason when run: replace them before activating.</p>`
            : ''
        }
        ${p.report ? p.report.workflows.map((w) => this.renderWorkflow(w)) : html`<p>Weft workflows are imported as they are.</p>`}
      </section>
      <footer class="dialog-actions">
        <button type="button" @click=${() => {
          this.preview = undefined;
        }}>Back</button>
        <button type="button" class="primary" ?disabled=${this.busy || count === 0} @click=${() => this.save()}>
          ${this.busy ? 'Importing…' : `Import ${plural(count, 'workflow')}`}
        </button>
      </footer>`;
  }

  private renderWorkflow(w: ImportedWorkflowReport) {
    return html`<article class="import-workflow" data-workflow-name=${w.name}>
      <h3>${w.name}</h3>
      <table class="list">
        <thead><tr><th>Source node</th><th>Result</th><th>Becomes</th><th>What differs</th></tr></thead>
        <tbody>${w.nodes.map((n) => this.renderNode(n))}</tbody>
      </table>
      ${
        w.expressions.length
          ? html`<h4>Expressions not translated (${w.expressions.length})</h4>
            <ul class="import-issues">
              ${w.expressions.map(
                (x) => html`<li><code>${x.expression}</code> in ${x.node}
                  <span class="muted small">${x.pointer}</span>: ${x.reason}</li>`,
              )}
            </ul>`
          : ''
      }
      ${
        w.credentials.length
          ? html`<h4>Credentials to create (${w.credentials.length})</h4>
            <p class="muted small">Exports hold no secrets: create these in Credentials; the nodes already point at them.</p>
            <ul class="import-issues">
              ${w.credentials.map(
                (c) => html`<li><strong>${c.type}</strong> (from ${c.sourceName}), used by ${c.usedBy.join(', ')}</li>`,
              )}
            </ul>`
          : ''
      }
      ${w.notes.length ? html`<ul class="import-issues muted">${w.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
    </article>`;
  }

  private renderNode(n: ImportedNodeReport) {
    const status = STATUS[n.status];
    return html`<tr data-node=${n.source}>
      <td>${n.source}<div class="muted small">${n.sourceType}${n.sourceVersion ? ` v${n.sourceVersion}` : ''}</div></td>
      <td><span class="pill ${status.pill}">${status.label}</span></td>
      <td class="small">${n.nodes.join(', ')}</td>
      <td class="small">
        ${n.differences.length ? html`<ul class="import-differences">${n.differences.map((d) => html`<li>${d}</li>`)}</ul>` : '—'}
      </td>
    </tr>`;
  }
}
customElements.define('weft-workflow-import-dialog', WorkflowImportDialog);
