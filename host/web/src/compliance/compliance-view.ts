import { html } from 'lit';
import { LightElement } from '../app/light-element.js';
import './audit-log-panel.js';
import './compliance.css';
import './gdpr-panel.js';
import './reports-panel.js';
import './scan-findings-panel.js';

const TABS: [string, string][] = [
  ['audit', 'Audit log'],
  ['scans', 'Scan findings'],
  ['gdpr', 'GDPR requests'],
  ['reports', 'Reports'],
];

/** Compliance pages for admins: the audit log, scan findings, GDPR requests and reports, as tabs (`/compliance/<tab>`). */
export class ComplianceView extends LightElement {
  static override properties = { tab: {} };
  declare tab: string;

  constructor() {
    super();
    this.tab = 'audit';
  }

  private panel() {
    switch (this.tab) {
      case 'scans':
        return html`<weft-scan-findings-panel></weft-scan-findings-panel>`;
      case 'gdpr':
        return html`<weft-gdpr-panel></weft-gdpr-panel>`;
      case 'reports':
        return html`<weft-reports-panel></weft-reports-panel>`;
      default:
        return html`<weft-audit-log-panel></weft-audit-log-panel>`;
    }
  }

  override render() {
    const current = TABS.some(([t]) => t === this.tab) ? this.tab : 'audit';
    return html`<section class="page compliance">
      <header class="page-head"><h1>Compliance</h1></header>
      <nav class="tabs" aria-label="Compliance">
        ${TABS.map(
          ([t, label]) =>
            html`<a href="/compliance/${t}" aria-current=${t === current ? 'page' : 'false'}>${label}</a>`,
        )}
      </nav>
      ${this.panel()}
    </section>`;
  }
}
customElements.define('weft-compliance-view', ComplianceView);
