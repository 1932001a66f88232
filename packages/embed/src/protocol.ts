/** Every message of the embed protocol carries this marker and version. */
export const PROTOCOL = 'weft-embed';
export const PROTOCOL_VERSION = 1;

/** Lifecycle and domain events the embedded views send to the page. */
export type EmbedEventType =
  | 'ready'
  | 'auth-failed'
  | 'workflow-saved'
  | 'execution-finished'
  | 'connection-created'
  | 'route-change'
  | 'closed';

/** Requests the page sends to the embedded views, answered with a `response`. */
export type EmbedRequestType = 'connect' | 'run-workflow' | 'navigate' | 'set-theme';

/** A message of the embed protocol, in either direction. */
export type EmbedMessage =
  /** frame -> page: the frame's script is listening. */
  | { type: 'hello' }
  /** page -> frame: session configuration (the token travels here, never in the URL). */
  | { type: 'init'; token: string; config: EmbedConfig }
  /** frame -> page: the token is about to expire or was rejected; the page answers with `token`. */
  | { type: 'token-request' }
  | { type: 'token'; token: string }
  | { type: 'event'; event: EmbedEventType; payload?: unknown }
  | { type: 'request'; id: string; request: EmbedRequestType; payload?: unknown }
  | { type: 'response'; id: string; ok: true; result?: unknown }
  | { type: 'response'; id: string; ok: false; error: string };

/** White-label theme: CSS variables applied inside the frame. */
export interface EmbedTheme {
  mode?: 'light' | 'dark';
  colors?: Partial<
    Record<'primary' | 'background' | 'surface' | 'text' | 'muted' | 'border' | 'danger' | 'success', string>
  >;
  fontFamily?: string;
  radius?: string;
}

/** Parts of the UI an embedder may hide. */
export interface EmbedFeatures {
  navigation?: boolean;
  importExport?: boolean;
  codeNodes?: boolean;
  credentials?: boolean;
  executions?: boolean;
}

/** What the page tells the frame at start. */
export interface EmbedConfig {
  theme?: EmbedTheme;
  locale?: string;
  features?: EmbedFeatures;
  route?: string;
}

/** The envelope on the wire. */
export type Envelope = EmbedMessage & { protocol: typeof PROTOCOL; v: typeof PROTOCOL_VERSION };

const TYPES = new Set(['hello', 'init', 'token-request', 'token', 'event', 'request', 'response']);

/**
 * True when `data` is a well-formed embed protocol message. Handlers drop anything else.
 *
 * @example
 * ```ts
 * window.addEventListener('message', (e) => { if (isEnvelope(e.data)) handle(e.data); });
 * ```
 */
export function isEnvelope(data: unknown): data is Envelope {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  if (d.protocol !== PROTOCOL || d.v !== PROTOCOL_VERSION || typeof d.type !== 'string' || !TYPES.has(d.type))
    return false;
  if ((d.type === 'request' || d.type === 'response') && typeof d.id !== 'string') return false;
  if ((d.type === 'init' || d.type === 'token') && typeof d.token !== 'string') return false;
  return true;
}

/** Converts a theme to the CSS custom properties the host's views read. */
export function themeToCssVariables(theme: EmbedTheme = {}): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(theme.colors ?? {})) if (v) vars[`--weft-color-${k}`] = v;
  if (theme.fontFamily) vars['--weft-font-family'] = theme.fontFamily;
  if (theme.radius) vars['--weft-radius'] = theme.radius;
  if (theme.mode) vars['--weft-color-scheme'] = theme.mode;
  return vars;
}
