import type { Session } from './api-types.js';
import { WeftApiError } from './weft-api-error.js';

/** Options of a {@link WeftClient} (and its transport). */
export interface WeftClientOptions {
  /** Origin (and mount prefix) of the host, e.g. `http://localhost:3000`; the API lives under `/api/v1`. */
  baseUrl: string;
  /** A `weft_...` API key: sent as the bearer token instead of a session. */
  apiKey?: string;
  /** A session to resume (for example one kept in storage). */
  session?: Pick<Session, 'accessToken' | 'refreshToken'>;
  /** Called whenever the session changes (login, refresh, logout: `null`) so the caller can persist it. */
  onSession?: (session: Session | null) => void;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** Query string values; arrays are joined with commas, `undefined` is left out. */
export type QueryValues = Record<string, string | number | boolean | string[] | undefined>;

/** One API request. */
export interface RequestOptions {
  query?: QueryValues;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Don't attach the bearer token (public routes). */
  anonymous?: boolean;
}

const REFRESHABLE = new Set(['invalid-token']);

/**
 * Sends requests to `/api/v1`, attaches the bearer token, refreshes an expired session once and
 * turns problem documents into {@link WeftApiError}s. Shared by every resource API of a client.
 *
 * @example
 * ```ts
 * const t = new HttpTransport({ baseUrl: 'http://localhost:3000' });
 * const me = await t.request<Me>('GET', '/auth/me');
 * ```
 */
export class HttpTransport {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  private session: Pick<Session, 'accessToken' | 'refreshToken'> | undefined;
  private refreshing: Promise<boolean> | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly onSession: ((session: Session | null) => void) | undefined;

  constructor(options: WeftClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.session = options.session;
    this.onSession = options.onSession;
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  /** The bearer token currently used (API key or access token). */
  get token(): string | undefined {
    return this.apiKey ?? this.session?.accessToken;
  }

  /** The refresh token of the current session, if any. */
  get refreshToken(): string | undefined {
    return this.session?.refreshToken;
  }

  /** Replaces the session (after login or refresh) and tells `onSession`. */
  setSession(session: Session | null): void {
    this.session = session ?? undefined;
    this.onSession?.(session);
  }

  /** Absolute URL of an API path with its query string. */
  url(path: string, query?: QueryValues): string {
    const u = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    return u.toString();
  }

  /** Sends a request and parses the JSON answer (`undefined` for empty bodies). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.raw(method, path, options);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends a request and returns the successful `Response` unread (streams, YAML). */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    let res = await this.send(method, path, options);
    if (res.status === 401 && !options.anonymous && this.session?.refreshToken) {
      const err = await WeftApiError.fromResponse(res);
      if (!REFRESHABLE.has(err.code) || !(await this.refresh())) throw err;
      res = await this.send(method, path, options);
    }
    if (!res.ok) throw await WeftApiError.fromResponse(res);
    return res;
  }

  /**
   * Swaps the refresh token for a new session; concurrent callers share one refresh.
   * Resolves `false` (and clears the session) when the refresh token is no longer valid.
   */
  refresh(): Promise<boolean> {
    const refreshToken = this.session?.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const res = await this.send('POST', '/auth/refresh', { body: { refreshToken }, anonymous: true });
        if (!res.ok) {
          if (res.status === 401) this.setSession(null);
          return false;
        }
        this.setSession((await res.json()) as Session);
        return true;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    const token = options.anonymous ? undefined : this.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    return this.fetchImpl(this.url(path, options.query), {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
}
