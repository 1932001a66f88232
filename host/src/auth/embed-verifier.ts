import { type EmbedClaims, verifyEmbedToken } from '@weft/embed/server';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import type { EmbedSettings } from '../config/embed-settings.js';

const CACHE_MS = 10 * 60_000;
const REFETCH_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Verifies embed tokens (ES256/RS256 with `kid`, issuer, audience, expiry, at most one hour of
 * life: `verifyEmbedToken` of @weft/embed) against the configured public keys, or a JWKS URL
 * fetched once and cached for ten minutes; a token with a `kid` the cache lacks refetches the
 * JWKS (at most every 30 s), so key rotation on the embedding product's side needs no restart.
 *
 * @example
 * ```ts
 * const verifier = new EmbedVerifier(config.embed);
 * const claims = await verifier.verify(token); // throws "Embed token rejected: ..."
 * ```
 */
export class EmbedVerifier {
  #jwks: JSONWebKeySet | undefined;
  #fetchedAt = 0;
  #pending: Promise<JSONWebKeySet> | undefined;

  constructor(
    readonly settings: EmbedSettings & { issuer: string },
    private readonly fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {
    if (settings.publicKeys) this.#jwks = settings.publicKeys as JSONWebKeySet;
  }

  /** The token's claims; throws an error whose message says why the token was rejected. */
  async verify(token: string): Promise<EmbedClaims> {
    const keys = await this.#keysFor(token);
    return verifyEmbedToken(token, { keys, issuer: this.settings.issuer, audience: this.settings.audience });
  }

  async #keysFor(token: string): Promise<JSONWebKeySet> {
    if (this.settings.publicKeys) return this.#jwks as JSONWebKeySet;
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      kid = undefined; // verifyEmbedToken names the malformed token
    }
    const now = Date.now();
    const stale = !this.#jwks || now - this.#fetchedAt > CACHE_MS;
    const unknownKid =
      kid !== undefined && !this.#jwks?.keys.some((k) => k.kid === kid) && now - this.#fetchedAt > REFETCH_COOLDOWN_MS;
    if (stale || unknownKid) {
      this.#pending ??= this.#fetch().finally(() => {
        this.#pending = undefined;
      });
      try {
        await this.#pending;
      } catch (e) {
        if (!this.#jwks) throw e;
      }
    }
    return this.#jwks as JSONWebKeySet;
  }

  async #fetch(): Promise<JSONWebKeySet> {
    const url = this.settings.jwksUrl as string;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (e) {
      throw new Error(`Embed token rejected: the JWKS at ${url} cannot be fetched (${(e as Error).message})`);
    }
    const doc = (await res.json().catch(() => undefined)) as JSONWebKeySet | undefined;
    if (!res.ok || !doc || !Array.isArray(doc.keys))
      throw new Error(`Embed token rejected: the JWKS at ${url} answered ${res.status} without a "keys" list`);
    this.#jwks = doc;
    this.#fetchedAt = Date.now();
    return doc;
  }
}
