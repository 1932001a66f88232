import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { parseMasterKeys } from '@weft/connectors';

/** What a valid export link grants: one request's bundle until `expiresAt`. */
export interface GdprExportGrant {
  workspaceId: string;
  requestId: string;
  /** Epoch ms after which the link is refused. */
  expiresAt: number;
}

/** Why a link was refused: 400 malformed, 403 bad signature or expired. */
export interface GdprExportRefusal {
  status: 400 | 403;
  reason: string;
}

/** The query a link carries besides its path. */
export interface GdprExportLinkQuery {
  expires: number;
  kid: string;
  sig: string;
}

/**
 * Signs and checks the time-limited download links of GDPR data-subject exports:
 * `<public URL>/api/v1/workspaces/<ws>/data-subject-exports/<request>?expires=<ms>&kid=<id>&sig=<HMAC>`.
 * The HMAC-SHA-256 key is derived (HKDF) from a master key, named by `kid`, so links stay valid
 * across a master-key rotation while the old key is still listed. The link goes through the host
 * even when blobs are on S3: the compliance bucket is encrypted client-side there, and the host
 * also refuses links to a bundle erased with its subject. Signing is deterministic, so a request
 * list can show the same link again.
 *
 * @example
 * ```ts
 * const links = new GdprExportLinks({ publicUrl: 'https://weft.example.com', masterKeys });
 * const url = links.url({ workspaceId: 'ws_1', requestId: 'gdpr_…', expiresAt: Date.now() + 86_400_000 });
 * links.check('ws_1', 'gdpr_…', { expires, kid, sig }); // the grant, or { status: 403, reason }
 * ```
 */
export class GdprExportLinks {
  readonly #base: string;
  readonly #keys: Map<string, Buffer>;
  readonly #active: string;
  readonly #now: () => number;

  constructor(options: { publicUrl: string; masterKeys: string; now?: () => number }) {
    this.#base = `${options.publicUrl.replace(/\/+$/, '')}/api/v1/workspaces`;
    const masters = parseMasterKeys(options.masterKeys);
    this.#keys = new Map(
      masters.map((k) => [
        k.id,
        Buffer.from(hkdfSync('sha256', k.key, new Uint8Array(), 'weft gdpr export links', 32)),
      ]),
    );
    this.#active = (masters.at(-1) as { id: string }).id;
    this.#now = options.now ?? Date.now;
  }

  /** The link granting `grant`, signed with the active master key. */
  url(grant: GdprExportGrant): string {
    const sig = this.#sign(this.#active, grant);
    const path = `${encodeURIComponent(grant.workspaceId)}/data-subject-exports/${encodeURIComponent(grant.requestId)}`;
    return `${this.#base}/${path}?expires=${grant.expiresAt}&kid=${encodeURIComponent(this.#active)}&sig=${sig}`;
  }

  /** Checks a link's query for the bundle of `requestId` in `workspaceId`. */
  check(workspaceId: string, requestId: string, query: GdprExportLinkQuery): GdprExportGrant | GdprExportRefusal {
    const key = this.#keys.get(query.kid);
    if (!key) return { status: 403, reason: `The link was signed with master key "${query.kid}", which is not listed` };
    const grant = { workspaceId, requestId, expiresAt: query.expires };
    const expected = Buffer.from(this.#sign(query.kid, grant));
    const given = Buffer.from(query.sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { status: 403, reason: 'The link signature does not match: it was altered or is for another export' };
    if (this.#now() >= query.expires)
      return { status: 403, reason: `The link expired at ${new Date(query.expires).toISOString()}` };
    return grant;
  }

  #sign(kid: string, g: GdprExportGrant): string {
    return createHmac('sha256', this.#keys.get(kid) as Buffer)
      .update(`${g.workspaceId}\n${g.requestId}\n${g.expiresAt}`)
      .digest('base64url');
  }
}
