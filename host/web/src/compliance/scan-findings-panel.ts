import { html } from 'lit';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { complianceApi, type ScanRunRow } from './compliance-api.js';

const ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/**
 * The findings of the newest scan of every workflow (every save is scanned), worst first; each
 * links to its node in the editor (`/workflows/<id>?node=<nodeId>`).
 */
export class ScanFindingsPanel extends LightElement {
  static override properties = { runs: { state: true }, error: { state: true } };
  declare runs: ScanRunRow[] | undefined;
  declare error: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const page = await complianceApi<{ items: ScanRunRow[] }>('GET', '/scan-runs?limit=200');
      const latest = new Map<string, ScanRunRow>();
      for (const r of page.items) if (!latest.has(r.workflowId)) latest.set(r.workflowId, r);
      this.runs = [...latest.values()];
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override render() {
    if (this.error) return errorBox(this.error);
    if (!this.runs) return html`<p class="loading" aria-busy="true">Loading…</p>`;
    const rows = this.runs
      .flatMap((run) => run.findings.map((f) => ({ run, f })))
      .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.run.workflowId.localeCompare(b.run.workflowId));
    const scanned = this.runs.length;
    return html`
      <p>${scanned} workflow${scanned === 1 ? '' : 's'} scanned; ${rows.length} finding${rows.length === 1 ? '' : 's'} in their latest versions.</p>
      ${
        rows.length
          ? html`<table class="list scan-findings">
              <thead><tr><th>Severity</th><th>Rule</th><th>Workflow</th><th>Where</th><th>Finding</th><th>Fix</th></tr></thead>
              <tbody>${rows.map(
                ({ run, f }) => html`<tr>
                  <td><span class="pill severity-${f.severity}">${f.severity}</span></td>
                  <td><code>${f.ruleId}</code></td>
                  <td>${run.workflowId} <span class="muted">v${run.workflowVersion}, ${formatTime(run.at)}</span></td>
                  <td>${
                    f.nodeId
                      ? html`<a href="/workflows/${encodeURIComponent(run.workflowId)}?node=${encodeURIComponent(f.nodeId)}"
                          >Node ${f.nodeId}</a>`
                      : html`<a href="/workflows/${encodeURIComponent(run.workflowId)}">Workflow</a>`
                  } <code class="muted">${f.pointer}</code></td>
                  <td>${f.message}</td><td>${f.fix}</td>
                </tr>`,
              )}</tbody>
            </table>`
          : html`<p class="empty">No findings.</p>`
      }`;
  }
}
customElements.define('weft-scan-findings-panel', ScanFindingsPanel);
