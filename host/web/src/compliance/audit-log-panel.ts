import { html } from 'lit';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { type AuditRow, type AuditVerification, complianceApi } from './compliance-api.js';

/**
 * The workspace's audit log, newest first, with a badge that verifies the whole hash chain
 * (`GET …/audit-log/verify`) and names the first broken entry when it fails.
 */
export class AuditLogPanel extends LightElement {
  static override properties = {
    items: { state: true },
    next: { state: true },
    verification: { state: true },
    error: { state: true },
    action: { state: true },
  };
  declare items: AuditRow[];
  declare next: string | null;
  declare verification: AuditVerification | 'checking' | undefined;
  declare error: string | undefined;
  declare action: string;

  constructor() {
    super();
    this.items = [];
    this.next = null;
    this.action = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void this.verify();
  }

  private async load(more = false): Promise<void> {
    const q = new URLSearchParams({ limit: '50' });
    if (this.action) q.set('action', this.action);
    if (more && this.next) q.set('cursor', this.next);
    try {
      const page = await complianceApi<{ items: AuditRow[]; nextCursor: string | null }>('GET', `/audit-log?${q}`);
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.next = page.nextCursor;
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async verify(): Promise<void> {
    this.verification = 'checking';
    try {
      this.verification = await complianceApi<AuditVerification>('GET', '/audit-log/verify');
    } catch (e) {
      this.verification = undefined;
      this.error = errorMessage(e);
    }
  }

  private badge() {
    const v = this.verification;
    if (v === 'checking') return html`<span class="pill" role="status">Verifying…</span>`;
    if (!v) return '';
    return v.ok
      ? html`<span class="pill status-succeeded" role="status" title="Every link and signed checkpoint checked">
          Verified: ${v.entries} entries, ${v.checkpoints} checkpoints</span>`
      : html`<span class="pill status-failed" role="status">Chain broken at entry ${v.broken?.position}:
          ${v.broken?.message}</span>`;
  }

  override render() {
    return html`
      <div class="row compliance-toolbar">
        ${this.badge()}
        <button @click=${() => void this.verify()}>Verify again</button>
        <label>Action <input name="action" placeholder="workflow. or auth.login" .value=${this.action}
          @change=${(e: Event) => {
            this.action = (e.target as HTMLInputElement).value.trim();
            void this.load();
          }} /></label>
      </div>
      ${errorBox(this.error)}
      ${
        this.items.length
          ? html`<table class="list audit-log">
              <thead><tr><th>#</th><th>Time</th><th>Actor</th><th>Action</th><th>Resource</th><th>Outcome</th><th>IP</th></tr></thead>
              <tbody>${this.items.map(
                (r) => html`<tr>
                  <td>${r.position}</td><td>${formatTime(r.at)}</td><td>${r.actor.type} <code>${r.actor.id}</code></td>
                  <td><code>${r.action}</code></td><td>${r.resource.type}${r.resource.id ? html` <code>${r.resource.id}</code>` : ''}</td>
                  <td><span class="pill status-${r.outcome === 'success' ? 'succeeded' : 'failed'}">${r.outcome}</span></td>
                  <td>${r.ip ?? ''}</td>
                </tr>`,
              )}</tbody>
            </table>`
          : html`<p class="empty">No audit entries${this.action ? ' for this action' : ''}.</p>`
      }
      ${this.next ? html`<button @click=${() => void this.load(true)}>Older entries</button>` : ''}
    `;
  }
}
customElements.define('weft-audit-log-panel', AuditLogPanel);
