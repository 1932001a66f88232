/**
 * Signs and checks checkpoints. The host implements it with an Ed25519 key kept like its master
 * key; verification with the public key alone needs no secret.
 *
 * @example
 * ```ts
 * const signature = await signer.sign(checkpointPayload(head));
 * ```
 */
export interface AuditSigner {
  /** Identifies the key (e.g. a fingerprint of the public key), stored with each checkpoint. */
  readonly keyId: string;
  sign(payload: Uint8Array): Promise<string>;
  /** False for a bad signature or a key id this signer does not know. */
  verify(payload: Uint8Array, signature: string, keyId: string): Promise<boolean>;
}
