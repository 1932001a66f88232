import { createHash, createHmac } from 'node:crypto';
import {
  authSchemesOf,
  builtinConnectors,
  type CredentialVault,
  createOAuth2Handlers,
  type HandlerResponse,
  OAUTH2_PENDING_FIELD,
  type OAuth2Auth,
  type OAuth2Outcome,
  type OAuth2StateStore,
  type OAuth2TokenManager,
  oauth2StateRef,
  type PendingAuthorization,
} from '@weft/connectors';
import type { JsonObject, KeyedLock } from '@weft/engine';
import type { HostConfig } from '../config/load-config.js';

const hash = (v: string) => createHash('sha256').update(v).digest('base64url');

/**
 * Keeps a started OAuth2 authorization in its credential's encrypted data (one per credential: a
 * new Connect replaces the last), so the callback can land on any host process and the PKCE
 * verifier is encrypted at rest like the tokens. `take` runs under the keyed lock shared by the
 * host processes and returns a state at most once.
 *
 * @example
 * ```ts
 * const states = new VaultOAuth2StateStore(runtime.vault, runtime.locks.keyed);
 * ```
 */
export class VaultOAuth2StateStore implements OAuth2StateStore {
  constructor(
    private readonly vault: CredentialVault,
    private readonly lock: KeyedLock,
  ) {}

  async put(state: string, pending: PendingAuthorization): Promise<void> {
    const ref = { workspaceId: pending.workspaceId, credentialId: pending.credentialId };
    await this.vault.updateData(ref, { [OAUTH2_PENDING_FIELD]: { ...pending, stateHash: hash(state) } as JsonObject });
  }

  async take(state: string): Promise<PendingAuthorization | undefined> {
    const ref = oauth2StateRef(state);
    if (!ref) return undefined;
    return this.lock.run(`oauth2-state:${ref.workspaceId}:${ref.credentialId}`, async () => {
      const data = await this.vault.resolve({ ...ref, nodeType: 'oauth2.state' }).then(
        (c) => c.data,
        () => undefined, // deleted meanwhile
      );
      if (!data) return undefined;
      const stored = data[OAUTH2_PENDING_FIELD] as (PendingAuthorization & { stateHash?: string }) | undefined;
      if (!stored || stored.stateHash !== hash(state)) return undefined;
      await this.vault.updateData(ref, { [OAUTH2_PENDING_FIELD]: null });
      const { stateHash: _, ...pending } = stored;
      return pending;
    });
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * The page the OAuth2 popup ends on: it tells the web app's pages (same origin) through the
 * `weft-oauth2` BroadcastChannel how the connection went, then closes itself; when it cannot
 * close, it says what happened and links back to the credentials page. The script runs under a
 * nonce the caller puts into the page's Content-Security-Policy.
 *
 * @example
 * ```ts
 * res.setHeader('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'`);
 * res.status(o.status).type('html').send(oauth2ResultPage(o, nonce));
 * ```
 */
export function oauth2ResultPage(o: OAuth2Outcome, nonce: string): string {
  const message = JSON.stringify({
    type: 'weft-oauth2',
    ok: o.ok,
    message: o.message,
    ...(o.ref ?? {}),
    ...(o.account ? { account: o.account } : {}),
    ...(o.expiresAt ? { expiresAt: o.expiresAt } : {}),
  }).replace(/</g, '\\u003c');
  const title = o.ok ? 'Connected' : 'Connection failed';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">
<h1 style="font-size:1.25rem">${title}</h1><p id="message">${escapeHtml(o.message)}</p>
<p><a href="/credentials">Back to credentials</a></p>
<script nonce="${nonce}">
const result = ${message};
try { const c = new BroadcastChannel('weft-oauth2'); c.postMessage(result); c.close(); } catch {}
${o.ok ? 'setTimeout(() => window.close(), 300);' : ''}
</script></body></html>`;
}

/**
 * The host's OAuth2 "Connect" flow over the connector kit's handlers: every authorization-code
 * scheme of the built-in connectors, the callback at `<public URL>/api/v1/oauth2/callback`, states
 * signed with a key derived from the session secret and kept in the vault.
 *
 * @example
 * ```ts
 * const connect = buildOAuth2Connect(runtime.config, runtime.vault, runtime.oauth2, runtime.locks.keyed);
 * const start = await connect.handlers.authorize({ workspaceId, credentialId, userId, binding });
 * ```
 */
export function buildOAuth2Connect(
  config: Pick<HostConfig, 'publicUrl' | 'jwtSecret'>,
  vault: CredentialVault,
  tokens: OAuth2TokenManager,
  lock: KeyedLock,
) {
  const schemes = builtinConnectors
    .flatMap(authSchemesOf)
    .filter((s): s is OAuth2Auth => s.kind === 'oauth2' && s.grant === 'authorizationCode');
  const redirectUri = `${config.publicUrl}/api/v1/oauth2/callback`;
  const stateTtlMs = 10 * 60_000;
  const handlers = createOAuth2Handlers({
    schemes,
    credentials: vault,
    writer: vault,
    tokens,
    redirectUri,
    stateSecret: createHmac('sha256', config.jwtSecret).update('weft-oauth2-state').digest(),
    states: new VaultOAuth2StateStore(vault, lock),
    stateTtlMs,
    page: (o): HandlerResponse => ({ status: o.status, headers: {}, body: JSON.stringify(o) }),
  });
  return {
    handlers,
    redirectUri,
    stateTtlMs,
    /** Whether the credential type connects through the browser (authorization code). */
    connectable: (type: string) => schemes.some((s) => s.type === type),
    /** Name of the cookie binding one state to the browser that started it. */
    cookieName: (state: string) => `weft_oauth2_${hash(state).slice(0, 16)}`,
    secureCookie: config.publicUrl.startsWith('https:'),
  };
}

/** What {@link buildOAuth2Connect} returns. */
export type OAuth2Connect = ReturnType<typeof buildOAuth2Connect>;
