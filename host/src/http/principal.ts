import type { ApiKeyInfo } from '@weft/sql';
import type { SessionScope } from '../auth/session-tokens.js';

/**
 * Who is calling: a signed-in user (session JWT; `scope` when the session was opened with an
 * embed token) or an API key (bound to one workspace).
 *
 * @example
 * ```ts
 * if (principal.kind === 'apiKey') console.log(principal.key.prefix);
 * ```
 */
export type Principal =
  | { kind: 'user'; userId: string; sessionId: string; scope?: SessionScope }
  | { kind: 'apiKey'; userId: string; key: ApiKeyInfo };
