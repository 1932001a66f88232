import { MessageChannelEnd } from './message-channel.js';
import type { EmbedConfig, EmbedEventType, EmbedMessage, EmbedRequestType } from './protocol.js';

/** The views of a Weft host that can be embedded. */
export type EmbedView = 'workflows' | 'editor' | 'run' | 'connections';

/** Where the embedded view appears. */
export type EmbedTarget = HTMLElement | { modal: true } | { popup: true; width?: number; height?: number };

/** Options of {@link mountWeft}. */
export interface MountOptions extends EmbedConfig {
  /** The Weft host, e.g. `https://weft.example.com`; only its origin is trusted. */
  host: string;
  view: EmbedView;
  /** View parameters, e.g. `{ workflowId }`. */
  params?: Record<string, string>;
  target: EmbedTarget;
  /** The embed token minted by your backend, or a function returning a fresh one (called again on refresh). */
  token: string | (() => Promise<string>);
  onEvent?: (event: EmbedEventType, payload: unknown) => void;
  /** How long to wait for the view to be ready. Default 15 s. */
  readyTimeoutMs?: number;
  /** The window to use (tests). */
  window?: Window;
}

type Handler = (payload: unknown) => void;

/**
 * A mounted Weft view. Talks to the frame only through verified postMessage.
 *
 * @example
 * ```ts
 * const weft = mountWeft({ host: 'https://weft.example.com', view: 'editor', params: { workflowId }, target: el, token: fetchToken });
 * await weft.ready;
 * weft.on('workflow-saved', (p) => console.log('saved', p));
 * const credentialId = await weft.connect('slack');
 * ```
 */
export class WeftEmbed {
  /** Resolves when the view is ready; rejects when authentication fails or it times out. */
  readonly ready: Promise<void>;
  readonly #channel: MessageChannelEnd;
  readonly #handlers = new Map<EmbedEventType, Set<Handler>>();
  readonly #pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #cleanup: (() => void)[] = [];
  #seq = 0;
  #destroyed = false;

  constructor(private readonly options: MountOptions) {
    const win = options.window ?? window;
    const url = new URL(`/embed/${options.view}`, options.host);
    for (const [k, v] of Object.entries(options.params ?? {})) url.searchParams.set(k, v);
    const peer = this.#open(win, url.href);
    this.#channel = new MessageChannelEnd({ self: win, peer, peerOrigin: url.origin });
    this.#cleanup.push(this.#channel.onMessage((m) => void this.#receive(m)));
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Weft view did not become ready within ${options.readyTimeoutMs ?? 15_000} ms`)),
        options.readyTimeoutMs ?? 15_000,
      );
      this.#once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#once('auth-failed', (p) => {
        clearTimeout(timer);
        reject(new Error(`Weft rejected the embed token: ${typeof p === 'string' ? p : JSON.stringify(p)}`));
      });
    });
    this.ready.catch(() => {});
  }

  /** Listens to an event; returns the unsubscribe function. */
  on(event: EmbedEventType, handler: Handler): () => void {
    const set = this.#handlers.get(event) ?? new Set();
    set.add(handler);
    this.#handlers.set(event, set);
    return () => set.delete(handler);
  }

  /** Opens the connection flow for a connector; resolves with the new credential id. */
  async connect(connector: string): Promise<string> {
    const result = (await this.#request('connect', { connector })) as { credentialId: string };
    return result.credentialId;
  }

  /** Runs a workflow with input items; resolves with its output items. */
  async runWorkflow(workflowId: string, input: unknown[] = []): Promise<unknown[]> {
    return (await this.#request('run-workflow', { workflowId, input })) as unknown[];
  }

  /** Moves the embedded view to another route (two-way route sync). */
  async navigate(route: string): Promise<void> {
    await this.#request('navigate', { route });
  }

  async setTheme(theme: EmbedConfig['theme']): Promise<void> {
    await this.#request('set-theme', { theme });
  }

  /** Removes the view and stops listening. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const p of this.#pending.values()) p.reject(new Error('The Weft view was closed'));
    this.#pending.clear();
    for (const c of this.#cleanup.splice(0)) c();
    this.#channel.close();
    this.#emit('closed', undefined);
  }

  #open(win: Window, src: string): () => Window | null {
    const target = this.options.target;
    if ('popup' in target) {
      const popup = win.open(src, 'weft-embed', `popup,width=${target.width ?? 1000},height=${target.height ?? 720}`);
      if (!popup) throw new Error('The browser blocked the Weft popup; call mountWeft from a click handler');
      const watch = setInterval(() => popup.closed && this.destroy(), 500);
      this.#cleanup.push(() => {
        clearInterval(watch);
        if (!popup.closed) popup.close();
      });
      return () => popup;
    }
    const doc = win.document;
    const iframe = doc.createElement('iframe');
    iframe.src = src;
    iframe.title = 'Weft';
    iframe.setAttribute(
      'sandbox',
      'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox',
    );
    iframe.setAttribute('allow', 'clipboard-read; clipboard-write');
    iframe.style.cssText = 'width:100%;height:100%;border:0;display:block';
    if ('modal' in target) {
      const overlay = doc.createElement('div');
      overlay.setAttribute('role', 'dialog');
      overlay.setAttribute('aria-modal', 'true');
      overlay.style.cssText =
        'position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);display:flex;padding:4vh 4vw';
      const close = doc.createElement('button');
      close.type = 'button';
      close.textContent = '×';
      close.setAttribute('aria-label', 'Close');
      close.style.cssText =
        'position:absolute;top:8px;right:12px;font-size:28px;background:none;border:0;color:#fff;cursor:pointer';
      close.addEventListener('click', () => this.destroy());
      const onKey = (e: KeyboardEvent) => e.key === 'Escape' && this.destroy();
      doc.addEventListener('keydown', onKey);
      overlay.append(close, iframe);
      doc.body.append(overlay);
      this.#cleanup.push(() => {
        doc.removeEventListener('keydown', onKey);
        overlay.remove();
      });
    } else {
      target.append(iframe);
      this.#cleanup.push(() => iframe.remove());
    }
    return () => iframe.contentWindow;
  }

  async #token(): Promise<string> {
    const t = this.options.token;
    return typeof t === 'function' ? t() : t;
  }

  async #receive(m: EmbedMessage): Promise<void> {
    if (m.type === 'hello') {
      const {
        host: _h,
        view: _v,
        params: _p,
        target: _t,
        token: _k,
        onEvent: _o,
        window: _w,
        readyTimeoutMs: _r,
        ...config
      } = this.options;
      this.#channel.send({ type: 'init', token: await this.#token(), config });
    } else if (m.type === 'token-request') {
      this.#channel.send({ type: 'token', token: await this.#token() });
    } else if (m.type === 'event') {
      this.#emit(m.event, m.payload);
    } else if (m.type === 'response') {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    }
  }

  #emit(event: EmbedEventType, payload: unknown): void {
    this.options.onEvent?.(event, payload);
    for (const h of this.#handlers.get(event) ?? []) h(payload);
  }

  #once(event: EmbedEventType, handler: Handler): void {
    const off = this.on(event, (p) => {
      off();
      handler(p);
    });
  }

  #request(request: EmbedRequestType, payload: unknown): Promise<unknown> {
    if (this.#destroyed) return Promise.reject(new Error('The Weft view was closed'));
    const id = `r${++this.#seq}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#channel.send({ type: 'request', id, request, payload });
    });
  }
}

/**
 * Mounts a Weft view in a container, a modal or a popup.
 *
 * @example
 * ```ts
 * const weft = mountWeft({ host: 'https://weft.example.com', view: 'workflows', target: document.querySelector('#weft')!, token });
 * ```
 */
export function mountWeft(options: MountOptions): WeftEmbed {
  return new WeftEmbed(options);
}
