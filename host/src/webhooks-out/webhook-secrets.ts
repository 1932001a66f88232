import { randomBytes } from 'node:crypto';
import { type MasterKey, open, seal } from '@weft/connectors';
import type { SealedWebhookSecret } from '@weft/sql';

/**
 * Signing secrets of outbound webhook subscriptions: Standard Webhooks secrets (`whsec_` and 32
 * random bytes in base64), sealed at rest with AES-256-GCM under the newest master key, bound to
 * the workspace and subscription so a sealed value copied to another row does not open.
 *
 * @example
 * ```ts
 * const secrets = new WebhookSecrets(parseMasterKeys(config.masterKeys));
 * const secret = secrets.generate();
 * const sealed = secrets.seal('ws1', 'sub1', secret);
 * secrets.open('ws1', 'sub1', sealed) === secret; // true
 * ```
 */
export class WebhookSecrets {
  readonly #keys: Map<string, Uint8Array>;
  readonly #active: MasterKey;

  constructor(keys: MasterKey[]) {
    const active = keys.at(-1);
    if (!active) throw new Error('No master key configured');
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
    this.#active = active;
  }

  generate(): string {
    return `whsec_${randomBytes(32).toString('base64')}`;
  }

  seal(workspaceId: string, subscriptionId: string, secret: string): SealedWebhookSecret {
    const sealed = seal(this.#active.key, Buffer.from(secret), aad(workspaceId, subscriptionId));
    return { keyId: this.#active.id, ...sealed };
  }

  open(workspaceId: string, subscriptionId: string, sealed: SealedWebhookSecret): string {
    const key = this.#keys.get(sealed.keyId);
    if (!key)
      throw new Error(`Master key "${sealed.keyId}" of webhook subscription ${subscriptionId} is not configured`);
    return open(key, sealed, aad(workspaceId, subscriptionId)).toString('utf8');
  }
}

const aad = (workspaceId: string, subscriptionId: string) => `${workspaceId}|${subscriptionId}|webhook-subscription`;
