import { createDecipheriv, createECDH, type ECDH, hkdfSync, randomBytes } from 'node:crypto';

/** A browser's side of a Web Push subscription: its P-256 key pair and auth secret. */
export interface PushBrowserKeys {
  ecdh: ECDH;
  auth: Buffer;
  /** The `keys` of the browser's `PushSubscriptionJSON`. */
  json: { p256dh: string; auth: string };
}

/**
 * A fresh key pair and auth secret, as a browser makes when it subscribes.
 *
 * @example
 * ```ts
 * const keys = pushBrowserKeys();
 * await call('POST', '/push-subscriptions', { subscription: { endpoint, keys: keys.json }, events: ['alert'] });
 * ```
 */
export function pushBrowserKeys(): PushBrowserKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    json: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
  };
}

/**
 * Decrypts an RFC 8291 `aes128gcm` push message body as the browser would and parses its JSON;
 * throws when it does not decrypt or lacks the last-record padding delimiter.
 *
 * @example
 * ```ts
 * expect(decryptPush(body, keys)).toMatchObject({ kind: 'alert' });
 * ```
 */
export function decryptPush(body: Buffer, keys: PushBrowserKeys): unknown {
  const salt = body.subarray(0, 16);
  const idLen = body[20] as number;
  const serverKey = body.subarray(21, 21 + idLen);
  const data = body.subarray(21 + idLen);
  const secret = keys.ecdh.computeSecret(serverKey);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), keys.ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, keys.auth, info, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(data.subarray(data.length - 16));
  const plain = Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
  let end = plain.length - 1;
  while (end > 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error(`push record ends with ${plain[end]}, not the last-record delimiter 2`);
  return JSON.parse(plain.subarray(0, end).toString('utf8'));
}
