import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import '../analytics/analytics-view.js';
import '../compliance/compliance-view.js';
import '../views/approvals-view.js';
import '../views/api-keys-view.js';
import '../views/credentials-view.js';
import '../views/editor-view.js';
import '../views/execution-detail-view.js';
import '../views/executions-view.js';
import '../views/members-view.js';
import '../views/quick-run-view.js';
import '../views/settings-view.js';
import '../views/sign-in-view.js';
import '../views/webhook-subscriptions-view.js';
import '../views/workflow-list-view.js';
import '../embed/embed-view.js';
import '../marketplace/marketplace-account-view.js';
import '../marketplace/marketplace-view.js';
import '../marketplace/template-view.js';
import { appState } from './app-state.js';
import { applyBranding } from './apply-branding.js';
import { LightElement } from './light-element.js';
import { interceptLinks, matchRoute, navigate, type Route, signInPath } from './router.js';

const NAV: [string, string][] = [
  ['/workflows', 'Workflows'],
  ['/executions', 'Executions'],
  ['/approvals', 'Approvals'],
  ['/analytics', 'Analytics'],
  ['/marketplace', 'Marketplace'],
  ['/credentials', 'Credentials'],
  ['/api-keys', 'API keys'],
  ['/webhooks', 'Webhooks'],
  ['/members', 'Members'],
  ['/compliance', 'Compliance'],
  ['/settings', 'Settings'],
];

/** The app shell: branding, navigation, workspace switcher and the routed view. */
export class WeftApp extends LightElement {
  static override properties = { route: { state: true }, ready: { state: true }, menu: { state: true } };
  declare route: Route;
  declare ready: boolean;
  declare menu: boolean;

  constructor() {
    super();
    this.route = matchRoute(location.pathname, location.search);
    this.ready = false;
    this.menu = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    interceptLinks(this);
    const onNav = () => {
      this.route = matchRoute(location.pathname, location.search);
      this.menu = false;
      void this.guard();
    };
    window.addEventListener('popstate', onNav);
    window.addEventListener('weft-navigate', onNav);
    appState.addEventListener('change', () => this.requestUpdate());
    void this.start();
  }

  private async start(): Promise<void> {
    if (this.route.name !== 'embed') {
      try {
        const setup = await appState.client.auth.setup();
        appState.branding = setup.branding;
        applyBranding(setup.branding);
      } catch {
        // Offline: keep the default branding; cached views still work.
      }
      await appState.loadMe();
    }
    this.ready = true;
    await this.guard();
  }

  /** Sends signed-out visitors to sign-in (embed views authenticate themselves). */
  private async guard(): Promise<void> {
    const open = ['signin', 'signup', 'embed'];
    if (!this.ready || open.includes(this.route.name)) return;
    if (!appState.me && !(appState.client.signedIn && !navigator.onLine)) {
      navigate(signInPath(), { replace: true });
      return;
    }
    if (this.route.name === 'notfound' && this.route.path === '/') navigate('/workflows', { replace: true });
  }

  private view() {
    const r = this.route;
    switch (r.name) {
      case 'signin':
        return html`<weft-sign-in-view></weft-sign-in-view>`;
      case 'signup':
        return html`<weft-sign-in-view mode="signup" token=${r.query.get('token') ?? ''}></weft-sign-in-view>`;
      case 'workflows':
        return html`<weft-workflow-list-view></weft-workflow-list-view>`;
      case 'editor':
        return html`<weft-editor-view workflow-id=${r.params.id}></weft-editor-view>`;
      case 'executions':
        return html`<weft-executions-view .search=${r.query.toString()}></weft-executions-view>`;
      case 'execution':
        return html`<weft-execution-detail-view execution-id=${r.params.id}></weft-execution-detail-view>`;
      case 'approvals':
        return html`<weft-approvals-view focus-id=${r.query.get('execution') ?? nothing}
          decide=${r.query.get('decide') ?? nothing}></weft-approvals-view>`;
      case 'approval':
        return html`<weft-approvals-view focus-id=${r.params.id} decide=${r.query.get('decide') ?? nothing}></weft-approvals-view>`;
      case 'run':
        return html`<weft-quick-run-view workflow-id=${r.params.id ?? nothing}></weft-quick-run-view>`;
      case 'analytics':
        return html`<weft-analytics-view workflow-id=${r.query.get('workflow') ?? nothing}></weft-analytics-view>`;
      case 'marketplace':
        return html`<weft-marketplace-view .query=${r.query}></weft-marketplace-view>`;
      case 'marketplace-account':
        return html`<weft-marketplace-account-view></weft-marketplace-account-view>`;
      case 'template':
        return keyed(r.params.id, html`<weft-template-view template-id=${r.params.id}></weft-template-view>`);
      case 'credentials':
        return html`<weft-credentials-view></weft-credentials-view>`;
      case 'api-keys':
        return html`<weft-api-keys-view></weft-api-keys-view>`;
      case 'webhooks':
        return html`<weft-webhook-subscriptions-view></weft-webhook-subscriptions-view>`;
      case 'members':
        return html`<weft-members-view></weft-members-view>`;
      case 'settings':
        return html`<weft-settings-view></weft-settings-view>`;
      case 'compliance':
        return html`<weft-compliance-view tab=${r.params.tab ?? 'audit'}></weft-compliance-view>`;
      default:
        return html`<section class="page"><h1>Not found</h1><p><a href="/workflows">Back to workflows</a></p></section>`;
    }
  }

  override render() {
    if (!this.ready) return html`<p class="loading" aria-busy="true">Loading…</p>`;
    const r = this.route;
    if (r.name === 'embed') return html`<weft-embed-view view=${r.params.view}></weft-embed-view>`;
    const offlineSession = !appState.me && appState.client.signedIn && !navigator.onLine;
    if (r.name === 'signin' || r.name === 'signup' || (!appState.me && !offlineSession)) return this.view();
    const b = appState.branding;
    const wsId = appState.workspaceId;
    // Views are keyed by workspace and path so switching either mounts a fresh view; the
    // executions view keeps its element and follows its filters in the query string.
    const key = r.name === 'executions' ? `${wsId}|${r.path}` : `${wsId}|${r.path}|${r.query}`;
    return html`<div class="shell">
      <header class="topbar">
        <button class="menu-button only-narrow" aria-label="Menu" aria-expanded=${this.menu ? 'true' : 'false'}
          @click=${() => (this.menu = !this.menu)}>☰</button>
        <a class="brand" href="/workflows">${b.logoUrl ? html`<img src=${b.logoUrl} alt="" />` : ''}<span>${b.name}</span></a>
        ${
          (appState.me?.workspaces.length ?? 0) > 1
            ? html`<select class="ws" aria-label="Workspace" @change=${(e: Event) =>
                appState.selectWorkspace((e.target as HTMLSelectElement).value)}>
                ${appState.me?.workspaces.map((w) => html`<option value=${w.id} ?selected=${w.id === wsId}>${w.name}</option>`)}
              </select>`
            : html`<span class="ws muted">${appState.workspace?.name ?? ''}</span>`
        }
      </header>
      <nav class="sidebar" data-open=${this.menu ? 'true' : 'false'} aria-label="Main">
        ${NAV.map(
          ([href, label]) =>
            html`<a href=${href} aria-current=${r.path.startsWith(href) ? 'page' : 'false'}>${label}</a>`,
        )}
      </nav>
      <main class="content">${keyed(key, this.view())}</main>
    </div>`;
  }
}

customElements.define('weft-app', WeftApp);
