import { html } from 'lit';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { complianceApi, type GdprRequestRow } from './compliance-api.js';
import { gdprResultText } from './gdpr-result.js';

const DAY = 86_400_000;

/** An export's download link and its expiry, or why there is none. */
function bundleCell(r: GdprRequestRow) {
  const b = r.bundle;
  if (!b) return '';
  if (b.state === 'erased') return html`<span class="muted">Erased with the subject</span>`;
  if (b.state === 'expired' || !b.url) return html`<span class="muted">Link expired ${formatTime(b.expiresAt)}</span>`;
  return html`<a class="download" href=${b.url} download>Download (${Math.ceil(b.size / 1024)} KB)</a>
    <small>expires ${formatTime(b.expiresAt)}</small>`;
}

/** The deadline and, while the request is open, how far away it is. */
function dueText(r: GdprRequestRow, now: number): string {
  const at = formatTime(r.dueAt);
  if (r.completedAt !== null) return at;
  const days = Math.ceil((r.dueAt - now) / DAY);
  return days < 0 ? `${at} (overdue by ${-days} d)` : `${at} (in ${days} d)`;
}

/**
 * GDPR data-subject requests: export everything about a subject (a JSON bundle in blob storage,
 * downloaded through the time-limited link shown on its request),
 * erase a subject (crypto-shredding, after a confirmation), and the record of requests with their
 * deadlines.
 */
export class GdprPanel extends LightElement {
  static override properties = {
    items: { state: true },
    error: { state: true },
    notice: { state: true },
    busy: { state: true },
  };
  declare items: GdprRequestRow[];
  declare error: string | undefined;
  declare notice: string | undefined;
  declare busy: boolean;

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
      this.items = (await complianceApi<{ items: GdprRequestRow[] }>('GET', '/data-subject-requests?limit=100')).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private subject(): string {
    return (this.querySelector('input[name=subject]') as HTMLInputElement).value.trim();
  }

  private async run(work: (subject: string) => Promise<string>): Promise<void> {
    const subject = this.subject();
    if (!subject) {
      this.error = 'Enter the data subject: an email address or another identifier.';
      return;
    }
    this.busy = true;
    try {
      this.notice = await work(subject);
      this.error = undefined;
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  private exportSubject = () =>
    this.run(async (subject) => {
      const r = await complianceApi<{ size: number; expiresAt: number; executions: number }>(
        'POST',
        '/data-subjects/export',
        { subject },
      );
      return `Export of ${subject} is ready (${r.executions} executions, ${Math.ceil(r.size / 1024)} KB): download it from the request below until ${formatTime(r.expiresAt)}.`;
    });

  private eraseSubject = () =>
    this.run(async (subject) => {
      if (!confirm(`Erase every record of ${subject}? Their execution data becomes unreadable for good.`)) return '';
      const deleteUnsealed = (this.querySelector('input[name=deleteUnsealed]') as HTMLInputElement).checked;
      const r = await complianceApi<{
        executionsShredded: number;
        unsealedMentions: string[];
        keyDestroyed: boolean;
        unsealedDeleted: boolean;
        searchComplete: boolean;
        exportBundlesDeleted: number;
      }>('POST', '/data-subjects/erase', { subject, deleteUnsealed });
      const text = gdprResultText({
        kind: 'erasure',
        status: 'completed',
        result: { ...r, unsealedMentions: r.unsealedMentions.length },
      });
      return text.replace(/^Erased: /, `Erased ${subject}: `);
    });

  override render() {
    const now = Date.now();
    return html`
      <form class="panel gdpr-form" @submit=${(e: Event) => e.preventDefault()}>
        <h2>New request</h2>
        <label>Data subject <input name="subject" type="text" maxlength="320" placeholder="ada@example.com" /></label>
        <label class="check"><input name="deleteUnsealed" type="checkbox" /> Also delete executions that mention the subject in plain text</label>
        <div class="row">
          <button class="primary" type="button" ?disabled=${this.busy} @click=${this.exportSubject}>Export</button>
          <button class="danger" type="button" ?disabled=${this.busy} @click=${this.eraseSubject}>Erase subject</button>
        </div>
      </form>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      ${errorBox(this.error)}
      <h2>Requests</h2>
      ${
        this.items.length
          ? html`<table class="list gdpr-requests">
              <thead><tr><th>Kind</th><th>Status</th><th>Received</th><th>Deadline</th><th>Completed</th><th>Result</th><th>Bundle</th><th>Subject (hash)</th></tr></thead>
              <tbody>${this.items.map(
                (r) => html`<tr class=${r.completedAt === null && r.dueAt < now ? 'overdue' : ''}>
                  <td>${r.kind}</td><td><span class="pill status-${r.status === 'completed' ? 'succeeded' : 'waiting'}">${r.status}</span></td>
                  <td>${formatTime(r.receivedAt)}</td>
                  <td>${dueText(r, now)}</td>
                  <td>${r.completedAt === null ? '—' : formatTime(r.completedAt)}</td>
                  <td class="gdpr-result">${gdprResultText(r)}</td>
                  <td>${bundleCell(r)}</td>
                  <td><code>${r.subjectHash.slice(0, 12)}…</code></td>
                </tr>`,
              )}</tbody>
            </table>`
          : html`<p class="empty">No data-subject requests yet.</p>`
      }`;
  }
}
customElements.define('weft-gdpr-panel', GdprPanel);
