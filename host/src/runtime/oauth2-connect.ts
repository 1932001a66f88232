import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** How long a Connect link may wait to be opened: the popup opens it right away. */
export const OAUTH2_TICKET_TTL_MS = 2 * 60_000;

/** A Connect link's secret part, kept (hashed) with the pending authorization it opens. */
interface StoredTicket {
  hash: string;
  /** The browser-binding secret the popup's cookie gets (encrypted at rest with the credential). */
  binding: string;
  authorizationUrl: string;
  userId: string;
  expiresAt: number;
}

type StoredPending = PendingAuthorization & { stateHash?: string; ticket?: StoredTicket };

/** What redeeming a Connect link gives: the cookie to set and where to send the popup. */
export interface RedeemedTicket {
  workspaceId: string;
  credentialId: string;
  state: string;
  binding: string;
  authorizationUrl: string;
  /** Who asked for the link: they must still be allowed to connect the credential. */
  userId: string;
}

/** Why a Connect link was refused. */
export type TicketRefusal = 'unknown' | 'expired';

const b64 = (v: string) => Buffer.from(v).toString('base64url');

/** The credential a Connect link names (`<workspace>~<credential>~<secret>`, each base64url). */
export function oauth2TicketRef(ticket: string): { workspaceId: string; credentialId: string } | undefined {
  const [ws, cred, secret] = ticket.split('~');
  if (!ws || !cred || !secret || ticket.split('~').length !== 3) return undefined;
  return {
    workspaceId: Buffer.from(ws, 'base64url').toString(),
    credentialId: Buffer.from(cred, 'base64url').toString(),
  };
}

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
      const stored = data[OAUTH2_PENDING_FIELD] as StoredPending | undefined;
      if (!stored || stored.stateHash !== hash(state)) return undefined;
      await this.vault.updateData(ref, { [OAUTH2_PENDING_FIELD]: null });
      const { stateHash: _, ticket: __, ...pending } = stored;
      return pending;
    });
  }

  /**
   * Issues the single-use Connect link of a started authorization: opened first-party in the
   * popup, it sets the browser-binding cookie there (a frame on another site cannot: browsers drop
   * its SameSite=Lax and third-party cookies) and redirects to the provider. The link is bound to
   * the state (a newer Connect of the credential replaces both), to the user who asked for it, and
   * expires after {@link OAUTH2_TICKET_TTL_MS}. Only its hash is stored.
   */
  async issueTicket(
    state: string,
    ticket: { binding: string; authorizationUrl: string; userId: string },
  ): Promise<{ ticket: string; expiresAt: number }> {
    const ref = oauth2StateRef(state);
    if (!ref) throw new Error('OAuth2 state names no credential');
    const secret = `${b64(ref.workspaceId)}~${b64(ref.credentialId)}~${randomBytes(24).toString('base64url')}`;
    const expiresAt = Date.now() + OAUTH2_TICKET_TTL_MS;
    await this.lock.run(`oauth2-state:${ref.workspaceId}:${ref.credentialId}`, async () => {
      const stored = (await this.vault.resolve({ ...ref, nodeType: 'oauth2.ticket' })).data[OAUTH2_PENDING_FIELD] as
        | StoredPending
        | undefined;
      if (!stored || stored.stateHash !== hash(state)) throw new Error('The authorization was replaced meanwhile');
      const next: StoredPending = { ...stored, ticket: { ...ticket, hash: hash(secret), expiresAt } };
      await this.vault.updateData(ref, { [OAUTH2_PENDING_FIELD]: next as unknown as JsonObject });
    });
    return { ticket: secret, expiresAt };
  }

  /**
   * Redeems a Connect link at most once: answers its binding, the provider URL and who asked for
   * it, or why not (`unknown`: malformed, used, or its authorization was replaced or finished;
   * `expired`). An expired link is used up too.
   */
  async redeemTicket(ticket: string): Promise<RedeemedTicket | TicketRefusal> {
    const ref = oauth2TicketRef(ticket);
    if (!ref) return 'unknown';
    return this.lock.run(`oauth2-state:${ref.workspaceId}:${ref.credentialId}`, async () => {
      const data = await this.vault.resolve({ ...ref, nodeType: 'oauth2.ticket' }).then(
        (c) => c.data,
        () => undefined, // no such credential
      );
      const stored = data?.[OAUTH2_PENDING_FIELD] as StoredPending | undefined;
      const t = stored?.ticket;
      const given = Buffer.from(hash(ticket));
      if (!stored || !t || given.length !== t.hash.length || !timingSafeEqual(given, Buffer.from(t.hash))) {
        return 'unknown';
      }
      const { ticket: _, ...rest } = stored;
      await this.vault.updateData(ref, { [OAUTH2_PENDING_FIELD]: rest as unknown as JsonObject });
      if (t.expiresAt < Date.now()) return 'expired';
      const state = new URL(t.authorizationUrl).searchParams.get('state') ?? '';
      return { ...ref, state, binding: t.binding, authorizationUrl: t.authorizationUrl, userId: t.userId };
    });
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * The page the OAuth2 popup ends on: it tells the web app how the connection went, then closes
 * itself; when it cannot close, it says what happened and links back to the credentials page. Two
 * ways, since the web app may run top-level or framed by another site: `window.opener.postMessage`
 * to `appOrigin` only (the opener is the web app, framed or not, whenever no page on the way
 * severed it with a Cross-Origin-Opener-Policy), and the `weft-oauth2` BroadcastChannel (same
 * origin, same storage partition: the top-level web app, whose own COOP severs the opener). The
 * message holds the outcome, the credential's ids and the account, never a token. The script runs
 * under a nonce the caller puts into the page's Content-Security-Policy.
 *
 * @example
 * ```ts
 * res.setHeader('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'`);
 * res.status(o.status).type('html').send(oauth2ResultPage(o, nonce, 'https://weft.example.com'));
 * ```
 */
export function oauth2ResultPage(o: OAuth2Outcome, nonce: string, appOrigin: string): string {
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
try { if (window.opener) window.opener.postMessage(result, ${JSON.stringify(appOrigin).replace(/</g, '\\u003c')}); } catch {}
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
  const states = new VaultOAuth2StateStore(vault, lock);
  const handlers = createOAuth2Handlers({
    schemes,
    credentials: vault,
    writer: vault,
    tokens,
    redirectUri,
    stateSecret: createHmac('sha256', config.jwtSecret).update('weft-oauth2-state').digest(),
    states,
    stateTtlMs,
    page: (o): HandlerResponse => ({ status: o.status, headers: {}, body: JSON.stringify(o) }),
  });
  return {
    handlers,
    /** Pending authorizations and their single-use Connect links. */
    states,
    redirectUri,
    /** The web app's origin: the only one the callback page posts its result to. */
    appOrigin: new URL(config.publicUrl).origin,
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
