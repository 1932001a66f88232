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

  private constructor(privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('The audit signing key must be an Ed25519 key');
    this.#private = privateKey;
    this.#public = createPublicKey(privateKey);
    this.keyId = createHash('sha256')
      .update(this.#public.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16);
  }

  /** From a PKCS#8 PEM private key. */
  static fromPem(pem: string): Ed25519AuditSigner {
    return new Ed25519AuditSigner(createPrivateKey(pem));
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
    return keyId === this.keyId && verify(null, payload, this.#public, Buffer.from(signature, 'base64'));
  }
}

/**
 * The host's checkpoint key, kept like its master key: `WEFT_AUDIT_SIGNING_KEY` (a PKCS#8 PEM
 * Ed25519 key, `\n` escapes allowed) when set, else `<dataDir>/audit-signing.key`, generated
 * (mode 0600, in a private directory) on first use.
 *
 * @example
 * ```ts
 * const signer = loadAuditSigner(config.dataDir, process.env);
 * ```
 */
export function loadAuditSigner(dataDir: string, env: Record<string, string | undefined>): Ed25519AuditSigner {
  const given = env.WEFT_AUDIT_SIGNING_KEY;
  if (given) return Ed25519AuditSigner.fromPem(given.replace(/\\n/g, '\n'));
  const path = join(dataDir, 'audit-signing.key');
  if (existsSync(path)) return Ed25519AuditSigner.fromPem(readFileSync(path, 'utf8'));
  const signer = Ed25519AuditSigner.generate();
  makePrivateDir(dirname(path));
  try {
    writeFileSync(path, signer.toPem(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process generated it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return Ed25519AuditSigner.fromPem(readFileSync(path, 'utf8'));
    throw err;
  }
  return signer;
}
