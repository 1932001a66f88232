import type { WebhookDelivery, WebhookSubscription } from '@weft/client';
import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { can } from '../app/permissions.js';

type Subscription = WebhookSubscription;
type Delivery = WebhookDelivery;

interface EventType {
  type: string;
  description: string;
}

const PILL: Record<Delivery['status'], string> = { pending: 'queued', succeeded: 'succeeded', failed: 'failed' };

/**
 * Outbound webhooks of the workspace (admins): subscribe a URL to platform events, see the
 * signing secret once, send a test event, rotate the secret, turn a subscription on or off (and
 * read why the host turned it off), and follow its delivery log with replays.
 */
export class WebhookSubscriptionsView extends LightElement {
  static override properties = {
    items: { state: true },
    eventTypes: { state: true },
    selected: { state: true },
    deliveries: { state: true },
    error: { state: true },
    secret: { state: true },
  };
  declare items: Subscription[];
  declare eventTypes: EventType[];
  declare selected: string | undefined;
  declare deliveries: Delivery[];
  declare error: string | undefined;
  declare secret: { name: string; value: string; previousUntil?: number | null } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.items = [];
    this.eventTypes = [];
    this.deliveries = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.#timer = setInterval(() => void this.loadDeliveries(), 2000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  private get base(): string {
    return `/workspaces/${appState.workspaceId}/webhook-subscriptions`;
  }

  private call<T>(method: string, path = '', body?: unknown, query?: Record<string, number>): Promise<T> {
    return appState.client.transport.request<T>(method, `${this.base}${path}`, {
      ...(body === undefined ? {} : { body }),
      ...(query ? { query } : {}),
    });
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async load(): Promise<void> {
    if (!can('admin')) return;
    await this.run(async () => {
      const r = await this.call<{ items: Subscription[]; eventTypes: EventType[] }>('GET');
      this.items = r.items;
      this.eventTypes = r.eventTypes;
      if (!this.selected || !r.items.some((s) => s.id === this.selected)) this.selected = r.items[0]?.id;
      await this.loadDeliveries();
    });
  }

  private async loadDeliveries(): Promise<void> {
    if (!this.selected) {
      this.deliveries = [];
      return;
    }
    try {
      const id = this.selected;
      const r = await this.call<{ items: Delivery[] }>('GET', `/${id}/deliveries`, undefined, { limit: 50 });
      if (id === this.selected) this.deliveries = r.items;
    } catch {
      // The next poll tries again; actions report their own errors.
    }
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const formEl = e.target as HTMLFormElement;
    const form = new FormData(formEl);
    const events = form.getAll('events').map(String);
    if (!events.length) {
      this.error = 'Choose at least one event to send';
      return;
    }
    await this.run(async () => {
      const r = await this.call<{ subscription: Subscription; secret: string }>('POST', '', {
        name: String(form.get('name')),
        url: String(form.get('url')),
        events,
      });
      this.secret = { name: r.subscription.name, value: r.secret };
      this.selected = r.subscription.id;
      formEl.reset();
      await this.load();
    });
  }

  private async act(s: Subscription, what: 'test' | 'rotate' | 'toggle' | 'delete'): Promise<void> {
    await this.run(async () => {
      if (what === 'test') await this.call('POST', `/${s.id}/test`);
      if (what === 'rotate') {
        if (
          !confirm(
            `Rotate the signing secret of "${s.name}"? The current secret keeps signing beside the new one for a while (24 hours unless the host is set otherwise), so the receiver can switch without missing events.`,
          )
        )
          return;
        const r = await this.call<{ secret: string; subscription: Subscription }>('POST', `/${s.id}/rotate-secret`, {});
        this.secret = { name: s.name, value: r.secret, previousUntil: r.subscription.previousSecretExpiresAt };
      }
      if (what === 'toggle') await this.call('PATCH', `/${s.id}`, { enabled: !s.enabled });
      if (what === 'delete') {
        if (!confirm(`Delete "${s.name}" and its delivery log?`)) return;
        await this.call('DELETE', `/${s.id}`);
      }
      this.selected = what === 'delete' ? undefined : s.id;
      await this.load();
    });
  }

  private renderSubscription(s: Subscription) {
    return html`<tr class=${s.id === this.selected ? 'selected' : ''} data-subscription=${s.id}>
      <td><button class="link" @click=${() => {
        this.selected = s.id;
        void this.loadDeliveries();
      }}>${s.name}</button></td>
      <td><code>${s.url}</code></td>
      <td>${s.events.map((e) => html`<span class="tag">${e === '*' ? 'all events' : e}</span> `)}</td>
      <td>${
        s.enabled
          ? html`<span class="pill status-succeeded">active</span>`
          : html`<span class="pill status-failed">disabled</span>${
              s.disabledReason ? html`<div class="muted small" role="note">${s.disabledReason}</div>` : nothing
            }`
      }${
        s.previousSecretExpiresAt
          ? html`<div class="muted small" role="note">Previous secret signs too until ${new Date(s.previousSecretExpiresAt).toLocaleString()}</div>`
          : nothing
      }</td>
      <td class="actions">
        <button @click=${() => this.act(s, 'test')}>Send test event</button>
        <button @click=${() => this.act(s, 'toggle')}>${s.enabled ? 'Disable' : 'Enable'}</button>
        <button @click=${() => this.act(s, 'rotate')}>Rotate secret</button>
        <button class="danger" @click=${() => this.act(s, 'delete')}>Delete</button>
      </td>
    </tr>`;
  }

  private renderDeliveries() {
    const sub = this.items.find((s) => s.id === this.selected);
    if (!sub) return nothing;
    return html`<section class="panel deliveries" aria-label="Deliveries">
      <h2>Deliveries to ${sub.name}</h2>
      ${
        this.deliveries.length
          ? html`<table class="list">
              <thead><tr><th>Event</th><th>Status</th><th>Attempts</th><th>Response</th><th>Duration</th><th>Sent</th><th></th></tr></thead>
              <tbody>${this.deliveries.map(
                (d) => html`<tr data-delivery=${d.id}>
                  <td>${d.event}${d.replayOf ? html` <span class="tag">replay</span>` : nothing}</td>
                  <td><span class="pill status-${PILL[d.status]}">${d.status === 'pending' && d.attempts ? 'retrying' : d.status}</span>
                    ${d.status === 'pending' && d.nextAttemptAt && d.attempts ? html`<div class="muted small">next try ${formatTime(d.nextAttemptAt)}</div>` : nothing}</td>
                  <td>${d.attempts}</td>
                  <td>${d.responseStatus ?? '—'}${
                    d.error || d.responseBody
                      ? html`<details><summary>details</summary>${d.error ? html`<p>${d.error}</p>` : nothing}${
                          d.responseBody ? html`<pre>${d.responseBody}</pre>` : nothing
                        }</details>`
                      : nothing
                  }</td>
                  <td>${d.durationMs === null ? '—' : `${d.durationMs} ms`}</td>
                  <td>${formatTime(d.createdAt)}</td>
                  <td><button @click=${() =>
                    this.run(async () => {
                      await this.call('POST', `/${sub.id}/deliveries/${d.id}/replay`);
                      await this.loadDeliveries();
                    })}>Replay</button></td>
                </tr>`,
              )}</tbody>
            </table>`
          : html`<p class="empty">No deliveries yet. Events are sent as they happen; try "Send test event".</p>`
      }
    </section>`;
  }

  override render() {
    return html`<section class="page webhooks-page">
      <style>
        .webhooks-page .deliveries { max-width: none; }
        .webhooks-page fieldset { border: 1px solid var(--app-border); border-radius: 8px; display: grid; gap: 0.35rem; }
        .webhooks-page label.check { display: flex; gap: 0.4rem; align-items: baseline; }
        .webhooks-page td.actions { white-space: nowrap; }
        .webhooks-page tr.selected td { background: color-mix(in srgb, var(--app-primary, #4f46e5) 7%, transparent); }
        .webhooks-page pre { white-space: pre-wrap; word-break: break-all; max-width: 40ch; margin: 0.3rem 0 0; }
        .webhooks-page td code { word-break: break-all; }
        .webhooks-page button.link { text-align: left; padding: 0; }
      </style>
      <header class="page-head"><h1>Webhooks</h1></header>
      <p class="muted small">Send platform events to your own services. Each request is signed with
        <a href="https://www.standardwebhooks.com/" target="_blank" rel="noopener">Standard Webhooks</a> headers
        (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>); failed deliveries are
        retried with backoff, and a subscription that keeps failing is disabled.</p>
      ${errorBox(this.error)}
      ${can('admin') ? this.renderManage() : html`<p class="muted">Webhook subscriptions are managed by workspace admins.</p>`}
    </section>`;
  }

  private renderManage() {
    return html`${
      this.secret
        ? html`<div class="notice" role="status">Signing secret of "${this.secret.name}". Copy it now, it is not shown again:
              <code class="secret">${this.secret.value}</code>
              <button @click=${() => navigator.clipboard?.writeText(this.secret?.value ?? '')}>Copy</button>${
                this.secret.previousUntil
                  ? html`<p class="small">The previous secret also signs until ${new Date(this.secret.previousUntil).toLocaleString()}: each delivery carries a signature for each, so the receiver can switch at any time before then.</p>`
                  : nothing
              }
              <button @click=${() => {
                this.secret = undefined;
              }}>Done</button></div>`
        : nothing
    }
      ${
        this.items.length
          ? html`<table class="list subscriptions">
              <thead><tr><th>Name</th><th>URL</th><th>Events</th><th>Status</th><th></th></tr></thead>
              <tbody>${this.items.map((s) => this.renderSubscription(s))}</tbody>
            </table>`
          : html`<p class="empty">No webhook subscriptions yet.</p>`
      }
      ${this.renderDeliveries()}
      <form class="panel" @submit=${this.create}>
        <h2>New subscription</h2>
        <label>Name <input name="name" required maxlength="200" placeholder="CRM sync" /></label>
        <label>Endpoint URL <input name="url" type="url" required maxlength="2000" placeholder="https://example.com/webhooks/weft" /></label>
        <fieldset>
          <legend>Events</legend>
          ${this.eventTypes.map(
            (t) => html`<label class="check"><input type="checkbox" name="events" value=${t.type} />
              <code>${t.type}</code> <span class="muted small">${t.description}</span></label>`,
          )}
        </fieldset>
        <button class="primary" type="submit">Create subscription</button>
      </form>`;
  }
}
customElements.define('weft-webhook-subscriptions-view', WebhookSubscriptionsView);
