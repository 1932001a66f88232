import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditSigner } from '@weft/compliance';
import { makePrivateDir } from '../config/make-private-dir.js';

/**
 * Signs audit checkpoints with an Ed25519 key (node:crypto). The key id is the first 16 hex
 * digits of the SHA-256 of the public key, so a checkpoint names the key that signed it.
 *
 * @example
 * ```ts
 * const signer = Ed25519AuditSigner.fromPem(readFileSync('audit-signing.key', 'utf8'));
 * ```
 */
export class Ed25519AuditSigner implements AuditSigner {
  readonly keyId: string;
  readonly #private: KeyObject;
  readonly #public: KeyObject;
  /** Public keys that may have signed older checkpoints, by key id (this key included). */
  readonly #verifiers = new Map<string, KeyObject>();

  private constructor(privateKey: KeyObject, retired: readonly KeyObject[] = []) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('The audit signing key must be an Ed25519 key');
    this.#private = privateKey;
    this.#public = createPublicKey(privateKey);
    this.keyId = auditKeyId(this.#public);
    for (const k of [this.#public, ...retired]) {
      if (k.asymmetricKeyType !== 'ed25519') throw new Error('Retired audit keys must be Ed25519 public keys');
      this.#verifiers.set(auditKeyId(k), k);
    }
  }

  /**
   * From a PKCS#8 PEM private key, plus the SPKI PEM public keys of keys it replaced (their
   * checkpoints and archive statements still verify after a rotation).
   */
  static fromPem(pem: string, retiredPublicPems: readonly string[] = []): Ed25519AuditSigner {
    return new Ed25519AuditSigner(
      createPrivateKey(pem),
      retiredPublicPems.map((p) => createPublicKey(p)),
    );
  }

  /** Key ids this signer verifies: its own, then the retired ones. */
  get verifiesKeyIds(): string[] {
    return [...this.#verifiers.keys()];
  }

  static generate(): Ed25519AuditSigner {
    return new Ed25519AuditSigner(generateKeyPairSync('ed25519').privateKey);
  }

  /** The private key as PKCS#8 PEM, to store. */
  toPem(): string {
    return this.#private.export({ type: 'pkcs8', format: 'pem' }) as string;
  }

  /** The public key as SPKI PEM: enough to check checkpoints. */
  publicKeyPem(): string {
    return this.#public.export({ type: 'spki', format: 'pem' }) as string;
  }

  async sign(payload: Uint8Array): Promise<string> {
    return sign(null, payload, this.#private).toString('base64');
  }

  async verify(payload: Uint8Array, signature: string, keyId: string): Promise<boolean> {
    const key = this.#verifiers.get(keyId);
    return !!key && verify(null, payload, key, Buffer.from(signature, 'base64'));
  }
}

/** The id of an audit key: the first 16 hex digits of the SHA-256 of its SPKI DER public key. */
export function auditKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

const PUBLIC_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

/** Every SPKI PEM public key in a text (a file or variable holding several). */
export function publicKeyPems(text: string | undefined): string[] {
  return text ? [...text.replace(/\\n/g, '\n').matchAll(PUBLIC_PEM)].map((m) => m[0]) : [];
}

/** Beside `audit-signing.key`: the public keys of rotated-out signing keys, PEM after PEM. */
export const RETIRED_KEYS_FILE = 'audit-signing.retired.pem';

/**
 * The host's checkpoint key, kept like its master key: `WEFT_AUDIT_SIGNING_KEY` (a PKCS#8 PEM
 * Ed25519 key, `\n` escapes allowed) when set, else `<dataDir>/audit-signing.key`, generated
 * (mode 0600, in a private directory) on first use. Checkpoints signed by earlier keys verify
 * with their public keys from `WEFT_AUDIT_RETIRED_KEYS` and `<dataDir>/audit-signing.retired.pem`.
 *
 * @example
 * ```ts
 * const signer = loadAuditSigner(config.dataDir, process.env);
 * ```
 */
export function loadAuditSigner(dataDir: string, env: Record<string, string | undefined>): Ed25519AuditSigner {
  const retiredFile = join(dataDir, RETIRED_KEYS_FILE);
  const retired = [
    ...publicKeyPems(env.WEFT_AUDIT_RETIRED_KEYS),
    ...publicKeyPems(existsSync(retiredFile) ? readFileSync(retiredFile, 'utf8') : undefined),
  ];
  const given = env.WEFT_AUDIT_SIGNING_KEY;
  if (given) return Ed25519AuditSigner.fromPem(given.replace(/\\n/g, '\n'), retired);
  const path = join(dataDir, 'audit-signing.key');
  if (existsSync(path)) return Ed25519AuditSigner.fromPem(readFileSync(path, 'utf8'), retired);
  const signer = Ed25519AuditSigner.generate();
  makePrivateDir(dirname(path));
  try {
    writeFileSync(path, signer.toPem(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process generated it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return Ed25519AuditSigner.fromPem(readFileSync(path, 'utf8'), retired);
    throw err;
  }
  return signer;
}
