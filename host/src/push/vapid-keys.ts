import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import webPush from 'web-push';
import { makePrivateDir } from '../config/make-private-dir.js';

/** The VAPID identity the host signs Web Push requests with (RFC 8292). */
export interface VapidDetails {
  /** Uncompressed P-256 public key, base64url (65 bytes decoded): the browser's `applicationServerKey`. */
  publicKey: string;
  /** P-256 private key, base64url (32 bytes decoded). */
  privateKey: string;
  /** `mailto:` address or `https:` URL push services may contact. */
  subject: string;
}

/** File under the data directory that holds generated VAPID keys. */
export const VAPID_FILE = 'vapid.json';

const B64URL = /^[A-Za-z0-9_-]+$/;

function keyProblem(name: string, value: string, bytes: number): string | undefined {
  if (!B64URL.test(value)) return `${name} must be URL-safe base64 without "=" padding`;
  if (Buffer.from(value, 'base64url').length !== bytes)
    return `${name} must decode to ${bytes} bytes (generate a pair with \`npx web-push generate-vapid-keys\`)`;
  return undefined;
}

function subjectProblem(subject: string): string | undefined {
  let url: URL;
  try {
    url = new URL(subject);
  } catch {
    return `WEFT_VAPID_SUBJECT must be a mailto: address or an https: URL, got "${subject}"`;
  }
  if (url.protocol !== 'mailto:' && url.protocol !== 'https:')
    return `WEFT_VAPID_SUBJECT must be a mailto: address or an https: URL, got "${subject}"`;
  return undefined;
}

/**
 * Resolves the VAPID keys: `WEFT_VAPID_PUBLIC_KEY` + `WEFT_VAPID_PRIVATE_KEY` when set (both or
 * neither), else the pair in `<dataDir>/vapid.json`, else a pair generated with
 * `webPush.generateVAPIDKeys()` and saved there (mode 0600, with a warning). The subject is
 * `WEFT_VAPID_SUBJECT`, else the public URL when it is https, else `mailto:` the owner's email
 * (or `mailto:admin@localhost`). Every problem is appended to `problems`, naming the setting.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * const vapid = resolveVapidKeys(env, '/var/lib/weft', { publicUrl, problems, warnings });
 * ```
 */
export function resolveVapidKeys(
  env: Record<string, string | undefined>,
  dataDir: string,
  options: { publicUrl: string; ownerEmail?: string; problems: string[]; warnings?: string[] },
): VapidDetails {
  const { problems } = options;
  const pub = env.WEFT_VAPID_PUBLIC_KEY || undefined;
  const priv = env.WEFT_VAPID_PRIVATE_KEY || undefined;
  const subject =
    env.WEFT_VAPID_SUBJECT ||
    (options.publicUrl.startsWith('https://')
      ? options.publicUrl
      : `mailto:${options.ownerEmail ?? 'admin@localhost'}`);
  const subjectError = subjectProblem(subject);
  if (subjectError) problems.push(subjectError);
  if (pub !== undefined || priv !== undefined) {
    if (pub === undefined || priv === undefined) {
      problems.push('WEFT_VAPID_PUBLIC_KEY and WEFT_VAPID_PRIVATE_KEY must be set together');
      return { publicKey: '', privateKey: '', subject };
    }
    for (const p of [keyProblem('WEFT_VAPID_PUBLIC_KEY', pub, 65), keyProblem('WEFT_VAPID_PRIVATE_KEY', priv, 32)])
      if (p) problems.push(p);
    return { publicKey: pub, privateKey: priv, subject };
  }
  const path = join(dataDir, VAPID_FILE);
  if (existsSync(path)) {
    let saved: { publicKey?: unknown; privateKey?: unknown };
    try {
      saved = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      problems.push(`${path} (generated VAPID keys) is not valid JSON: ${(err as Error).message}`);
      return { publicKey: '', privateKey: '', subject };
    }
    const publicKey = typeof saved.publicKey === 'string' ? saved.publicKey : '';
    const privateKey = typeof saved.privateKey === 'string' ? saved.privateKey : '';
    for (const p of [keyProblem('publicKey', publicKey, 65), keyProblem('privateKey', privateKey, 32)])
      if (p) problems.push(`${path}: ${p}; delete the file to generate new keys or set WEFT_VAPID_PUBLIC_KEY`);
    return { publicKey, privateKey, subject };
  }
  const generated = webPush.generateVAPIDKeys();
  makePrivateDir(dirname(path));
  writeFileSync(path, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
  options.warnings?.push(
    `WEFT_VAPID_PUBLIC_KEY is not set: generated VAPID keys and saved them to ${path}. Keep them: browsers' push subscriptions are bound to the public key.`,
  );
  return { ...generated, subject };
}
