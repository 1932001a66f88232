/** What a valid signed blob URL grants. */
export interface SignedBlobGrant {
  bucket: string;
  key: string;
  method: 'GET' | 'PUT';
  /** Epoch seconds after which the URL no longer works. */
  expires: number;
}

/** Why a URL was refused; `status` is the HTTP status to answer with. */
export interface SignedBlobRefusal {
  status: 400 | 403;
  reason: string;
}

export interface BlobUrlSignerOptions {
  /** Absolute URL under which the host serves blobs, e.g. `https://weft.example.com/blobs`. */
  baseUrl: string;
  /** HMAC key, at least 32 bytes (a string is taken as UTF-8). */
  secret: string | Uint8Array;
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
}

/**
 * Signs and checks time-limited blob URLs for stores without their own HTTP endpoint (memory,
 * file system): `<baseUrl>/<bucket>/<key>?method=GET&expires=<epoch s>&sig=<HMAC-SHA256>`. The
 * signature covers method, bucket, key and expiry, so a download URL cannot upload and a URL for
 * one key opens no other. Web Crypto only: runs in Node and browsers.
 *
 * @example
 * ```ts
 * const signer = new BlobUrlSigner({ baseUrl: 'https://weft.example.com/blobs', secret });
 * const url = await signer.sign('user-uploads', 'ws1/a.png', { method: 'GET', expiresIn: 600 });
 * const grant = await signer.verify(url, 'GET'); // { bucket, key, method, expires } or a refusal
 * ```
 */
export class BlobUrlSigner {
  readonly baseUrl: string;
  readonly #key: Promise<CryptoKey>;
  readonly #now: () => number;

  constructor(options: BlobUrlSignerOptions) {
    const base = new URL(options.baseUrl);
    this.baseUrl = base.href.replace(/\/+$/, '');
    const secret =
      typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : new Uint8Array(options.secret);
    if (secret.byteLength < 32) throw new TypeError('BlobUrlSigner: secret must be at least 32 bytes');
    this.#key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    this.#now = options.now ?? Date.now;
  }

  /** A URL granting `method` on `bucket`/`key` for `expiresIn` seconds (1 to 604800). */
  async sign(bucket: string, key: string, options: { method: 'GET' | 'PUT'; expiresIn: number }): Promise<string> {
    const { method, expiresIn } = options;
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800) {
      throw new RangeError(`expiresIn must be a whole number of seconds from 1 to 604800, got ${expiresIn}`);
    }
    if (method !== 'GET' && method !== 'PUT') throw new TypeError(`method must be GET or PUT, got ${method}`);
    const expires = Math.floor(this.#now() / 1000) + expiresIn;
    const sig = await crypto.subtle.sign('HMAC', await this.#key, payload({ bucket, key, method, expires }));
    const path = [bucket, ...key.split('/')].map(encodeURIComponent).join('/');
    return `${this.baseUrl}/${path}?method=${method}&expires=${expires}&sig=${base64Url(new Uint8Array(sig))}`;
  }

  /**
   * Checks a URL for a request made with `requestMethod` (`HEAD` counts as `GET`): the grant, or
   * why it is refused (400 malformed, 403 bad signature, wrong method or expired).
   */
  async verify(url: string | URL, requestMethod: string): Promise<SignedBlobGrant | SignedBlobRefusal> {
    const u = new URL(url, this.baseUrl);
    const basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
    if (!u.pathname.startsWith(`${basePath}/`)) return { status: 400, reason: `not a blob URL under ${basePath}/` };
    let segments: string[];
    try {
      segments = u.pathname
        .slice(basePath.length + 1)
        .split('/')
        .map(decodeURIComponent);
    } catch {
      return { status: 400, reason: 'malformed percent-encoding in the blob URL path' };
    }
    const [bucket, ...keyParts] = segments;
    const method = u.searchParams.get('method');
    const expires = Number(u.searchParams.get('expires'));
    const sig = decodeBase64Url(u.searchParams.get('sig') ?? '');
    if (
      !bucket ||
      keyParts.length === 0 ||
      (method !== 'GET' && method !== 'PUT') ||
      !Number.isInteger(expires) ||
      !sig
    ) {
      return { status: 400, reason: 'blob URL needs /<bucket>/<key> and method, expires and sig parameters' };
    }
    const grant: SignedBlobGrant = { bucket, key: keyParts.join('/'), method, expires };
    const valid = await crypto.subtle.verify('HMAC', await this.#key, sig, payload(grant));
    if (!valid) return { status: 403, reason: 'blob URL signature does not match' };
    if ((requestMethod === 'HEAD' ? 'GET' : requestMethod) !== method) {
      return { status: 403, reason: `blob URL was signed for ${method}, not ${requestMethod}` };
    }
    if (this.#now() >= expires * 1000) return { status: 403, reason: 'blob URL has expired' };
    return grant;
  }
}

function payload(g: SignedBlobGrant): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${g.method}\n${g.bucket}\n${g.key}\n${g.expires}`);
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
