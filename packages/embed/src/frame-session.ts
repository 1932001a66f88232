import { MessageChannelEnd } from './message-channel.js';
import type { EmbedConfig, EmbedEventType, EmbedRequestType } from './protocol.js';

/** Options of {@link connectToPage}. */
export interface FrameSessionOptions {
  /** Origins allowed to embed this view (from the host's configuration for the embedding product). */
  allowedOrigins: string[];
  /** The window to use (tests). */
  window?: Window;
  /** How long to wait for the page's `init`. Default 10 s. */
  timeoutMs?: number;
}

/** The frame's side of an embed session, used by the host's embed views. */
export interface FrameSession {
  token: string;
  config: EmbedConfig;
  parentOrigin: string;
  emit(event: EmbedEventType, payload?: unknown): void;
  /** Answers requests of one type from the page. */
  handle(request: EmbedRequestType, handler: (payload: unknown) => Promise<unknown> | unknown): void;
  /** Asks the page for a fresh token. */
  refreshToken(): Promise<string>;
  close(): void;
}

function parentOriginOf(win: Window): string | undefined {
  const ancestors = win.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0];
  if (win.document.referrer) return new URL(win.document.referrer).origin;
  return undefined;
}

/**
 * Connects an embedded view (inside the iframe or popup) to the page that embeds it: checks the
 * page's origin against the allow-list, says hello, and resolves with the token and config the
 * page sends.
 *
 * @example
 * ```ts
 * const session = await connectToPage({ allowedOrigins: ['https://app.example.com'] });
 * session.handle('run-workflow', ({ workflowId, input }) => api.run(workflowId, input));
 * session.emit('ready');
 * ```
 */
export function connectToPage(options: FrameSessionOptions): Promise<FrameSession> {
  const win = options.window ?? window;
  const peerWindow = win.parent !== win ? win.parent : win.opener;
  const origin = parentOriginOf(win);
  const allowed = options.allowedOrigins.map((o) => new URL(o).origin);
  if (!peerWindow) return Promise.reject(new Error('This Weft view is not embedded in a page'));
  if (!origin || !allowed.includes(origin)) {
    return Promise.reject(
      new Error(`The page at ${origin ?? 'an unknown origin'} is not allowed to embed this Weft view`),
    );
  }
  const channel = new MessageChannelEnd({ self: win, peer: () => peerWindow, peerOrigin: origin });
  const handlers = new Map<EmbedRequestType, (payload: unknown) => Promise<unknown> | unknown>();
  let tokenWaiter: ((t: string) => void) | undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('The embedding page did not send its configuration')),
      options.timeoutMs ?? 10_000,
    );
    channel.onMessage(async (m) => {
      if (m.type === 'init') {
        clearTimeout(timer);
        resolve({
          token: m.token,
          config: m.config,
          parentOrigin: origin,
          emit: (event, payload) => channel.send({ type: 'event', event, payload }),
          handle: (request, handler) => void handlers.set(request, handler),
          refreshToken: () =>
            new Promise((res) => {
              tokenWaiter = res;
              channel.send({ type: 'token-request' });
            }),
          close: () => channel.close(),
        });
      } else if (m.type === 'token') {
        tokenWaiter?.(m.token);
        tokenWaiter = undefined;
      } else if (m.type === 'request') {
        const handler = handlers.get(m.request);
        if (!handler)
          return channel.send({ type: 'response', id: m.id, ok: false, error: `Unsupported request "${m.request}"` });
        try {
          channel.send({ type: 'response', id: m.id, ok: true, result: await handler(m.payload) });
        } catch (e) {
          channel.send({ type: 'response', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
        }
      }
    });
    channel.send({ type: 'hello' });
  });
}
