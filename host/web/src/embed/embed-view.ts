import { type Session, WeftClient, type WorkflowSummary } from '@weft/client';
import { connectToPage, type EmbedConfig, type FrameSession, themeToCssVariables } from '@weft/embed';
import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import '../views/credentials-view.js';
import '../views/editor-view.js';
import '../views/workflow-list-view.js';

type EmbedViewName = 'workflows' | 'editor' | 'run' | 'connections';

/** CSS variables of the app that the embed theme's variables feed. */
const APP_VARS: Record<string, string> = {
  '--weft-color-primary': '--app-primary',
  '--weft-color-background': '--app-bg',
  '--weft-color-surface': '--app-surface',
  '--weft-color-text': '--app-fg',
  '--weft-color-muted': '--app-muted',
  '--weft-color-border': '--app-border',
  '--weft-color-danger': '--app-danger',
  '--weft-color-success': '--app-success',
  '--weft-font-family': '--app-font',
  '--weft-radius': '--app-radius',
};

/**
 * The embed views (`/embed/workflows|editor|run|connections`), shown inside an embedding
 * product's iframe. Connects to the page with `connectToPage()`, signs in with the token the page
 * sends, applies its theme and feature flags, keeps the route in sync both ways and reports
 * ready, workflow-saved, execution-finished, connection-created and auth-failed.
 */
export class EmbedView extends LightElement {
  static override properties = {
    view: {},
    config: { state: true },
    status: { state: true },
    error: { state: true },
    workflows: { state: true },
    runOutput: { state: true },
  };
  declare view: EmbedViewName;
  declare config: EmbedConfig;
  declare status: 'connecting' | 'ready' | 'failed';
  declare error: string | undefined;
  declare workflows: WorkflowSummary[];
  declare runOutput: string | undefined;
  private session: FrameSession | undefined;
  private renewing: Promise<void> | undefined;

  constructor() {
    super();
    this.view = 'workflows';
    this.config = {};
    this.status = 'connecting';
    this.workflows = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.connect();
    window.addEventListener('weft-navigate', () => this.reportRoute());
    this.addEventListener('workflow-saved', (e) => this.session?.emit('workflow-saved', (e as CustomEvent).detail));
    this.addEventListener('execution-finished', (e) =>
      this.session?.emit('execution-finished', (e as CustomEvent).detail),
    );
    this.addEventListener('connection-created', (e) =>
      this.session?.emit('connection-created', (e as CustomEvent).detail),
    );
  }

  private route(): string {
    return `${location.pathname.replace(/^\/embed\//, '')}${location.search}`;
  }

  private reportRoute(): void {
    this.session?.emit('route-change', { route: this.route() });
  }

  private async connect(): Promise<void> {
    try {
      const setup = await appState.client.auth.setup().catch(() => undefined);
      const embed = (setup as { embed?: { allowedOrigins?: string[]; tokens?: boolean } } | undefined)?.embed;
      const allowed = embed?.allowedOrigins?.length ? embed.allowedOrigins : [location.origin];
      const session = await connectToPage({ allowedOrigins: allowed });
      this.session = session;
      this.config = session.config;
      this.applyTheme();
      if (embed?.tokens) {
        // The page's token is an embed token: swap it for a host session scoped to its workspace.
        await this.useEmbedToken(session.token).catch(async (e) => {
          session.emit('auth-failed', { reason: errorMessage(e) });
          await this.useEmbedToken(await session.refreshToken());
        });
        if (!(await appState.loadMe())) throw new Error('The embed session was rejected');
      } else {
        appState.useBearer(session.token);
        if (!(await appState.loadMe())) {
          session.emit('auth-failed', { reason: 'token rejected' });
          appState.useBearer(await session.refreshToken());
          if (!(await appState.loadMe())) throw new Error('The embed token was rejected');
        }
      }
      session.handle('navigate', (p) => {
        const route = String((p as { route?: string })?.route ?? '').replace(/^\/+/, '');
        navigate(`/embed/${route}`);
        return { route: this.route() };
      });
      session.handle('set-theme', (p) => {
        this.config = { ...this.config, theme: (p as { theme?: EmbedConfig['theme'] })?.theme ?? {} };
        this.applyTheme();
      });
      session.handle(
        'run-workflow',
        async (p) => (await this.runWorkflow(p as { workflowId: string; input?: unknown })).output,
      );
      session.handle('connect', (p) => this.connectFlow(String((p as { connector?: string })?.connector ?? '')));
      if (session.config.route && session.config.route !== this.route())
        navigate(`/embed/${session.config.route.replace(/^\/+/, '')}`, { replace: true });
      this.status = 'ready';
      if (this.view === 'run') void this.loadWorkflows();
      session.emit('ready', { route: this.route() });
    } catch (e) {
      this.status = 'failed';
      this.error = errorMessage(e);
    }
  }

  /**
   * Swaps an embed token for a host session (`POST /auth/embed`) and uses it, unpersisted. The
   * client refreshes the access token with the session's refresh token; when that fails too, a new
   * embed token is requested from the page ({@link renewSession}).
   */
  private async useEmbedToken(token: string): Promise<void> {
    const session = await appState.client.transport.request<Session>('POST', '/auth/embed', {
      body: { token },
      anonymous: true,
    });
    appState.client = new WeftClient({
      baseUrl: appState.client.transport.baseUrl,
      session,
      onSession: (s) => {
        if (!s) void this.renewSession();
      },
    });
  }

  /** The host session is gone: asks the page for a fresh embed token and signs in again (once at a time). */
  private renewSession(): Promise<void> {
    this.renewing ??= (async () => {
      try {
        if (!this.session) return;
        await this.useEmbedToken(await this.session.refreshToken());
      } catch (e) {
        this.session?.emit('auth-failed', { reason: errorMessage(e) });
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }

  private applyTheme(): void {
    const root = document.documentElement;
    for (const [k, v] of Object.entries(themeToCssVariables(this.config.theme))) {
      root.style.setProperty(k, v);
      const mapped = APP_VARS[k];
      if (mapped) root.style.setProperty(mapped, v);
    }
    if (this.config.theme?.mode) root.dataset.theme = this.config.theme.mode;
    if (this.config.locale) root.lang = this.config.locale;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('view') && this.view === 'run' && this.status === 'ready') void this.loadWorkflows();
  }

  private async loadWorkflows(): Promise<void> {
    this.workflows = (await appState.client.workflows.list(appState.workspaceId as string, { limit: 200 })).items;
  }

  private async runWorkflow(p: { workflowId: string; input?: unknown }) {
    const items = Array.isArray(p.input) ? p.input : p.input ? [{ json: p.input }] : [];
    const ws = appState.workspaceId as string;
    const r = await appState.client.workflows.run(ws, p.workflowId, { input: items, wait: true });
    const detail = await appState.client.executions.get(ws, r.executionId);
    const result = { executionId: r.executionId, status: detail.status, output: detail.output?.main ?? [] };
    this.session?.emit('execution-finished', result);
    return result;
  }

  /** Opens the connections view for a connector type and resolves with the new credential's id. */
  private connectFlow(connector: string): Promise<{ credentialId: string }> {
    navigate(`/embed/connections${connector ? `?type=${encodeURIComponent(connector)}` : ''}`);
    return new Promise((resolve) => {
      const done = (e: Event) => {
        this.removeEventListener('connection-created', done);
        resolve({ credentialId: (e as CustomEvent<{ credentialId: string }>).detail.credentialId });
      };
      this.addEventListener('connection-created', done);
    });
  }

  private async submitRun(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    try {
      const raw = String(form.get('input') ?? '').trim();
      const input = raw ? JSON.parse(raw) : undefined;
      const r = await this.runWorkflow({ workflowId: String(form.get('workflow')), input });
      this.runOutput = JSON.stringify(r.output, null, 2);
      this.error = undefined;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  override render() {
    if (this.status !== 'ready')
      return html`<p class="loading">${this.status === 'failed' ? '' : 'Connecting…'}</p>${errorBox(this.error)}`;
    const f = this.config.features ?? {};
    const q = new URLSearchParams(location.search);
    const nav =
      f.navigation === false
        ? nothing
        : html`<nav class="embed-nav">
            <a href="/embed/workflows">Workflows</a><a href="/embed/run">Run</a>
            ${f.credentials === false ? nothing : html`<a href="/embed/connections">Connections</a>`}
          </nav>`;
    let body: unknown;
    if (this.view === 'editor')
      body = html`<weft-editor-view workflow-id=${q.get('workflowId') ?? 'new'} ?hide-code=${f.codeNodes === false}></weft-editor-view>`;
    else if (this.view === 'connections')
      body =
        f.credentials === false
          ? html`<p>Connections are turned off.</p>`
          : html`<weft-credentials-view connector=${q.get('type') ?? ''}></weft-credentials-view>`;
    else if (this.view === 'run')
      body = html`<form class="panel" @submit=${this.submitRun}>
        <h2>Run a workflow</h2>
        <label>Workflow <select name="workflow" required>
          ${this.workflows.map((w) => html`<option value=${w.id} ?selected=${w.id === q.get('workflowId')}>${w.name}</option>`)}
        </select></label>
        <label>Input (JSON) <textarea name="input" rows="5" placeholder='{"customer": "ada"}'></textarea></label>
        <button class="primary" type="submit">Run</button>
        ${this.runOutput ? html`<pre class="output">${this.runOutput}</pre>` : ''}
      </form>`;
    else
      body = html`<weft-workflow-list-view .editorHref=${(id: string) => `/embed/editor?workflowId=${encodeURIComponent(id)}`}></weft-workflow-list-view>`;
    return html`<div class="embed" data-view=${this.view}>${nav}${errorBox(this.error)}${body}</div>`;
  }
}
customElements.define('weft-embed-view', EmbedView);
