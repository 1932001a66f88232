/** One public key of an embedding product, as a JWK with its key id. */
export interface EmbedPublicJwk {
  kty: string;
  kid: string;
  [member: string]: unknown;
}

/**
 * How the host accepts embed tokens and who may frame its `/embed/*` views (`WEFT_EMBED_*`).
 * Tokens are accepted only when `issuer` is set, with keys from `jwksUrl` or `publicKeys`.
 */
export interface EmbedSettings {
  /** The embedding product's backend that signs embed tokens (the tokens' `iss`). */
  issuer?: string;
  /** The tokens' expected `aud` (default: the host's public URL). */
  audience: string;
  /** Where the embedding product publishes its public keys (JWKS). */
  jwksUrl?: string;
  /** The embedding product's public keys, inline. */
  publicKeys?: { keys: EmbedPublicJwk[] };
  /** Origins allowed to frame `/embed/*` and to talk to the embedded views. */
  allowedOrigins: string[];
}

const MAX_KEYS = 20;

/** `new URL(o).origin === o`: a scheme, a host and an optional port, nothing else. */
function isOrigin(o: string): boolean {
  try {
    const u = new URL(o);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
  } catch {
    return false;
  }
}

function parseKeys(raw: string, problems: string[]): { keys: EmbedPublicJwk[] } | undefined {
  const name = 'WEFT_EMBED_PUBLIC_KEYS';
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    problems.push(`${name} must be a JWKS JSON document ({"keys":[...]}): ${(e as Error).message}`);
    return undefined;
  }
  const keys = Array.isArray(doc) ? doc : (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) {
    problems.push(`${name} must be a JWKS document with 1 to ${MAX_KEYS} keys in "keys"`);
    return undefined;
  }
  const bad: string[] = [];
  for (const [i, k] of keys.entries()) {
    const key = k as Partial<EmbedPublicJwk> | null;
    if (!key || typeof key !== 'object') bad.push(`key ${i + 1} is not an object`);
    else if (key.kty !== 'RSA' && key.kty !== 'EC') bad.push(`key ${i + 1} must have kty RSA or EC`);
    else if (typeof key.kid !== 'string' || !key.kid) bad.push(`key ${i + 1} needs a "kid"`);
    else if ('d' in key) bad.push(`key ${i + 1} is a private key; configure the public key only`);
  }
  if (bad.length) {
    problems.push(`${name}: ${bad.join('; ')}`);
    return undefined;
  }
  return { keys: keys as EmbedPublicJwk[] };
}

/**
 * Reads and validates the `WEFT_EMBED_*` settings; each problem names its setting.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * const embed = embedSettings((n) => env[n], 'https://weft.example.com', problems);
 * ```
 */
export function embedSettings(
  str: (name: string) => string | undefined,
  publicUrl: string,
  problems: string[],
): EmbedSettings {
  const allowedOrigins = (str('WEFT_EMBED_ALLOWED_ORIGINS') ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/$/, ''))
    .filter(Boolean);
  for (const o of allowedOrigins) {
    if (!isOrigin(o))
      problems.push(`WEFT_EMBED_ALLOWED_ORIGINS entry "${o}" must be an origin like https://app.example.com`);
  }
  const issuer = str('WEFT_EMBED_ISSUER');
  const audience = str('WEFT_EMBED_AUDIENCE') ?? publicUrl;
  const jwksUrl = str('WEFT_EMBED_JWKS_URL');
  const rawKeys = str('WEFT_EMBED_PUBLIC_KEYS');
  const settings: EmbedSettings = { audience, allowedOrigins };
  if (!issuer) {
    if (jwksUrl || rawKeys || str('WEFT_EMBED_AUDIENCE'))
      problems.push('WEFT_EMBED_ISSUER must be set to accept embed tokens (with WEFT_EMBED_JWKS_URL or _PUBLIC_KEYS)');
    return settings;
  }
  settings.issuer = issuer;
  if (jwksUrl && rawKeys) problems.push('Set either WEFT_EMBED_JWKS_URL or WEFT_EMBED_PUBLIC_KEYS, not both');
  else if (!jwksUrl && !rawKeys)
    problems.push('WEFT_EMBED_ISSUER needs WEFT_EMBED_JWKS_URL or WEFT_EMBED_PUBLIC_KEYS to verify tokens');
  if (jwksUrl) {
    if (!/^https?:\/\/[^\s]+$/.test(jwksUrl))
      problems.push(`WEFT_EMBED_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
    else settings.jwksUrl = jwksUrl;
  }
  if (rawKeys) {
    const keys = parseKeys(rawKeys, problems);
    if (keys) settings.publicKeys = keys;
  }
  return settings;
}
