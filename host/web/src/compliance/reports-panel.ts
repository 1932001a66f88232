import { html } from 'lit';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { complianceApi, complianceRaw, type ReportRow, saveFile } from './compliance-api.js';

/**
 * SOC 2-style compliance reports: generate one, list the stored ones, read one (its HTML page in a
 * sandboxed frame) and download it as HTML or JSON.
 */
export class ReportsPanel extends LightElement {
  static override properties = {
    items: { state: true },
    error: { state: true },
    busy: { state: true },
    open: { state: true },
  };
  declare items: ReportRow[];
  declare error: string | undefined;
  declare busy: boolean;
  declare open: { id: string; html: string } | undefined;

  constructor() {
    super();
    this.items = [];
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = (await complianceApi<{ items: ReportRow[] }>('GET', '/reports')).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async generate(): Promise<void> {
    this.busy = true;
    try {
      const r = await complianceApi<{ id: string }>('POST', '/reports');
      await this.load();
      await this.show(r.id);
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  private async show(id: string): Promise<void> {
    try {
      this.open = { id, html: await (await complianceRaw('GET', `/reports/${id}/html`)).text() };
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async download(id: string, format: 'html' | 'json'): Promise<void> {
    try {
      const res = await complianceRaw('GET', `/reports/${id}${format === 'html' ? '/html' : ''}`);
      saveFile(await res.blob(), `${id}.${format}`);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override render() {
    return html`
      <div class="row compliance-toolbar">
        <button class="primary" ?disabled=${this.busy} @click=${() => void this.generate()}>
          ${this.busy ? 'Generating…' : 'Generate report'}</button>
      </div>
      ${errorBox(this.error)}
      ${
        this.items.length
          ? html`<table class="list reports">
              <thead><tr><th>Generated</th><th>By</th><th>Audit chain</th><th></th></tr></thead>
              <tbody>${this.items.map(
                (r) => html`<tr aria-current=${this.open?.id === r.id ? 'true' : 'false'}>
                  <td>${formatTime(r.generatedAt)}</td><td><code>${r.generatedBy}</code></td>
                  <td>${r.auditChainOk ? html`<span class="pill status-succeeded">verified</span>` : html`<span class="pill status-failed">broken</span>`}</td>
                  <td class="row">
                    <button @click=${() => void this.show(r.id)}>View</button>
                    <button @click=${() => void this.download(r.id, 'html')}>HTML</button>
                    <button @click=${() => void this.download(r.id, 'json')}>JSON</button>
                  </td>
                </tr>`,
              )}</tbody>
            </table>`
          : html`<p class="empty">No reports yet.</p>`
      }
      ${
        this.open
          ? html`<iframe class="report-frame" title="Compliance report ${this.open.id}" sandbox=""
              .srcdoc=${this.open.html}></iframe>`
          : ''
      }`;
  }
}
customElements.define('weft-reports-panel', ReportsPanel);
