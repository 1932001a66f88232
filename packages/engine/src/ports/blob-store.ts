/**
 * Bytes going into a blob store: a whole buffer, a web `ReadableStream` or any async iterable of
 * chunks (a Node `Readable` is one). Streams are consumed once and never buffered whole by stores
 * that can stream (file system, S3).
 */
export type BlobBody = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Options of {@link BlobStore.put}. */
export interface BlobPutOptions {
  /** MIME type kept with the blob; default `application/octet-stream`. */
  contentType?: string;
  /**
   * Caller's own string pairs, kept with the blob and returned by `head`/`getStream`/`list`.
   * Names are lower-case letters, digits and `-` (what S3 user metadata keeps intact).
   */
  metadata?: Record<string, string>;
}

/** What a store knows about one stored blob. */
export interface BlobInfo {
  key: string;
  /** Bytes as stored by the caller (before any encryption the store applies). */
  size: number;
  contentType: string;
  /** Lower-case hex SHA-256 of the caller's bytes. */
  sha256: string;
  metadata: Record<string, string>;
  lastModified: Date;
  /** Set when the bucket keeps versions: the id of this version. */
  versionId?: string;
}

/** A blob opened for reading: its description and a stream of its bytes. */
export interface BlobObject {
  info: BlobInfo;
  body: ReadableStream<Uint8Array>;
}

/** One page of {@link BlobStore.list}, in ascending key order. */
export interface BlobListPage {
  items: BlobInfo[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  cursor?: string;
}

/** Options of {@link BlobStore.presign}. */
export interface BlobPresignOptions {
  /** `GET` downloads the blob, `PUT` uploads (replaces) it with the request body. */
  method: 'GET' | 'PUT';
  /** Seconds the URL stays valid, 1 to 604800 (seven days, the S3 limit). */
  expiresIn: number;
}

/**
 * One bucket of blobs: keys chosen by the caller (`/`-separated, no empty, `.` or `..` segments),
 * each holding bytes with a content type, a SHA-256 and custom metadata. A `put` replaces the
 * whole blob atomically: readers see the old bytes or the new ones, never a mix.
 *
 * Missing keys: `get` and `head` answer `undefined`, `delete` answers `false`, `getStream`
 * throws {@link BlobNotFoundError}. Large payload offloading uses `put`/`get`/`deletePrefix` only.
 *
 * @example
 * ```ts
 * const info = await blobs.put('ws1/report.pdf', fileStream, { contentType: 'application/pdf' });
 * const { body } = await blobs.getStream('ws1/report.pdf');
 * const url = await blobs.presign('ws1/report.pdf', { method: 'GET', expiresIn: 900 });
 * const page = await blobs.list({ prefix: 'ws1/', limit: 100 });
 * ```
 */
export interface BlobStore {
  /** Stores `data` under `key`, replacing any blob there, and describes what was stored. */
  put(key: string, data: BlobBody, options?: BlobPutOptions): Promise<BlobInfo>;
  /** The whole blob's bytes, or undefined when no such key exists. Prefer `getStream` for large blobs. */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * Opens a blob for streaming; `versionId` reads an older version in a versioned bucket.
   * @throws BlobNotFoundError when the key (or version) does not exist.
   */
  getStream(key: string, options?: { versionId?: string }): Promise<BlobObject>;
  /** The blob's description without its bytes, or undefined when no such key exists. */
  head(key: string): Promise<BlobInfo | undefined>;
  /** Deletes one blob; false when there was none. In a versioned bucket older versions stay. */
  delete(key: string): Promise<boolean>;
  /** Deletes every key starting with `prefix`; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Keys starting with `prefix` (default all), `limit` (default 1000) per page, from `cursor` on. */
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<BlobListPage>;
  /**
   * A URL anyone holding it can use, until it expires, to download (`GET`) or upload (`PUT`) this
   * key without other credentials. Stores without their own HTTP endpoint sign URLs that the host
   * serves (see `BlobUrlSigner`).
   */
  presign(key: string, options: BlobPresignOptions): Promise<string>;
  /** Versions of `key`, newest first; empty when the bucket does not keep versions. */
  listVersions(key: string): Promise<BlobInfo[]>;
}

/** The buckets every Weft deployment has, by purpose. Their stored names are configurable. */
export const BLOB_BUCKET_ROLES = ['workflow-exports', 'compliance-docs', 'user-uploads', 'backups'] as const;

/** A bucket's purpose; see {@link BLOB_BUCKET_ROLES}. */
export type BlobBucketRole = (typeof BLOB_BUCKET_ROLES)[number];

/** How one bucket is kept. */
export interface BlobBucketConfig {
  /** Name in the store (an S3 bucket, a directory); default the role. */
  name?: string;
  /** Keep every version of every key (S3 object versioning); default false. */
  versioning?: boolean;
  /** Blobs older than this many days are removed (S3 lifecycle expiration); default never. */
  expireAfterDays?: number;
  /** Encrypt bytes before they leave the process; default true for `compliance-docs` only. */
  clientSideEncryption?: boolean;
}

/** A bucket's complete settings, defaults applied. */
export interface BlobBucketSettings {
  role: BlobBucketRole;
  name: string;
  versioning: boolean;
  expireAfterDays: number | undefined;
  clientSideEncryption: boolean;
}

/**
 * Named buckets, each a {@link BlobStore}. Buckets never see each other's keys.
 *
 * @example
 * ```ts
 * const exports = storage.bucket('workflow-exports');
 * await exports.put(`ws1/${id}.json`, bytes, { contentType: 'application/json' });
 * ```
 */
export interface BlobStorage {
  readonly buckets: readonly BlobBucketSettings[];
  /** The bucket serving `role`. */
  bucket(role: BlobBucketRole): BlobStore;
}

/**
 * Applies defaults to per-role bucket settings and checks them: names are 3-63 lower-case letters,
 * digits, `-` or `.` (S3's rule, which also makes safe directory names) and distinct.
 *
 * @example
 * ```ts
 * resolveBlobBuckets({ backups: { name: 'acme-backups', expireAfterDays: 30 } });
 * ```
 */
export function resolveBlobBuckets(
  config: Partial<Record<BlobBucketRole, BlobBucketConfig>> = {},
): BlobBucketSettings[] {
  const unknown = Object.keys(config).filter((role) => !(BLOB_BUCKET_ROLES as readonly string[]).includes(role));
  if (unknown.length) {
    throw new TypeError(`Unknown blob bucket ${unknown.join(', ')}: use one of ${BLOB_BUCKET_ROLES.join(', ')}`);
  }
  const settings = BLOB_BUCKET_ROLES.map((role): BlobBucketSettings => {
    const c = config[role] ?? {};
    const name = c.name ?? role;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) || name.includes('..')) {
      throw new TypeError(`Blob bucket ${role}: name "${name}" must be 3-63 lower-case letters, digits, '-' or '.'`);
    }
    const days = c.expireAfterDays;
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
      throw new TypeError(`Blob bucket ${role}: expireAfterDays must be a whole number of days >= 1, got ${days}`);
    }
    return {
      role,
      name,
      versioning: c.versioning ?? false,
      expireAfterDays: days,
      clientSideEncryption: c.clientSideEncryption ?? role === 'compliance-docs',
    };
  });
  const names = settings.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new TypeError(`Blob bucket name "${duplicate}" is used for two buckets`);
  return settings;
}

/**
 * Checks a blob key and returns it: non-empty, at most 1024 bytes, `/`-separated segments that are
 * neither empty nor `.` or `..`, no control characters. Every store applies the same rule, so a
 * key valid in one is valid in all.
 */
export function checkBlobKey(key: string): string {
  if (
    typeof key !== 'string' ||
    !key ||
    new TextEncoder().encode(key).length > 1024 ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    /[\u0000-\u001f\u007f\\]/.test(key) ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new TypeError(
      `Invalid blob key "${key}": use relative, '/'-separated names without empty, '.' or '..' segments`,
    );
  }
  return key;
}

/**
 * A key (or version) that does not exist.
 *
 * @example
 * ```ts
 * try { await blobs.getStream(key); } catch (err) { if (err instanceof BlobNotFoundError) return 404; throw err; }
 * ```
 */
export class BlobNotFoundError extends Error {
  readonly code = 'BLOB_NOT_FOUND';
  constructor(
    readonly key: string,
    readonly versionId?: string,
  ) {
    super(`Blob "${key}"${versionId ? ` version ${versionId}` : ''} not found`);
    this.name = 'BlobNotFoundError';
  }
}
