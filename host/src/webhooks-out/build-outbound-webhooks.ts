import { parseMasterKeys } from '@weft/connectors';
import type { EngineEvent, ExecutionStore, Logger } from '@weft/engine';
import { type HostDb, WebhookSubscriptionStore } from '@weft/sql';
import type { Observable, Subscription } from 'rxjs';
import type { HostConfig } from '../config/load-config.js';
import { OutboundWebhooks } from './outbound-webhooks.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookSecrets } from './webhook-secrets.js';

/**
 * Outbound webhooks of the host: the service over the `webhook_subscriptions` tables, fed by the
 * engine events of this process, and (when `deliver`) a dispatcher that sends the outbox.
 *
 * @example
 * ```ts
 * const { outbound, feed, close } = buildOutboundWebhooks({ config, h, executions, events$, logger, deliver: true });
 * ```
 */
export function buildOutboundWebhooks(o: {
  config: Pick<HostConfig, 'masterKeys' | 'httpAllow' | 'outboundWebhooks' | 'deliveryRetentionDays'>;
  h: HostDb;
  executions: ExecutionStore;
  events$: Observable<EngineEvent>;
  logger: Logger;
  deliver: boolean;
}): { outbound: OutboundWebhooks; feed: Subscription; close: () => Promise<void> } {
  const store = new WebhookSubscriptionStore(o.h);
  const secrets = new WebhookSecrets(parseMasterKeys(o.config.masterKeys));
  const dispatcher = o.deliver
    ? new WebhookDispatcher({
        store,
        secrets,
        settings: o.config.outboundWebhooks,
        httpAllow: o.config.httpAllow,
        logger: o.logger,
        retentionDays: o.config.deliveryRetentionDays,
      })
    : undefined;
  dispatcher?.start();
  const outbound = new OutboundWebhooks({
    store,
    secrets,
    executions: o.executions,
    logger: o.logger,
    httpAllow: o.config.httpAllow,
    secretOverlapMs: o.config.outboundWebhooks.secretOverlapMs,
    ...(dispatcher ? { dispatcher } : {}),
  });
  return { outbound, feed: outbound.attach(o.events$), close: async () => dispatcher?.close() };
}
