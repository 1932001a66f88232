import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { type ReceivedWebhook, WebhookReceiver } from '../testing/webhook-receiver.js';

const pg = await serviceUrl('pg');

/** What a receiver that knows only `secret` makes of a delivery (throws when no signature matches). */
function receiverWith(secret: string, r: ReceivedWebhook): { type: string } {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': r.headers['webhook-id'] as string,
    'webhook-timestamp': r.headers['webhook-timestamp'] as string,
    'webhook-signature': r.headers['webhook-signature'] as string,
  }) as { type: string };
}

describe.each(sqliteAndPostgres(pg))('outbound webhook secret rotation on %s', (_title, skip, open) => {
  let t: TestHost;
  let rx: WebhookReceiver;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const api = (p = '') => `/api/v1/workspaces/${ws}/webhook-subscriptions${p}`;

  /** Sends a test event and returns it as the receiver got it. */
  const ping = async (sub: string): Promise<ReceivedWebhook> => {
    const sent = await t.call('POST', api(`/${sub}/test`), { token });
    expect(sent.status).toBe(202);
    for (let i = 0; i < 500; i++) {
      const got = rx.received.find((r) => r.headers['webhook-id'] === sent.body.messageId);
      if (got) return got;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the test event did not arrive');
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    rx = await WebhookReceiver.start();
    t = await startTestHost({
      ...o.env,
      WEFT_HTTP_ALLOW: '127.0.0.1',
      WEFT_WEBHOOK_OUT_POLL_MS: '50',
      WEFT_WEBHOOK_OUT_SECRET_OVERLAP_HOURS: '2',
      WEFT_RATE_LIMIT_WORKSPACE: '1000000',
      WEFT_JWT_SECRET: randomBytes(32).toString('base64'),
    });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'signs with the old and the new secret during the overlap, so a receiver with either validates, and with the new one only after it',
    async () => {
      const created = await t.call('POST', api(), {
        token,
        body: { name: 'Rotating', url: rx.url, events: ['*'] },
      });
      const sub = created.body.subscription.id as string;
      const first = created.body.secret as string;
      expect(created.body.subscription.previousSecretExpiresAt).toBeNull();

      // Rotation with the configured overlap (2 h): both secrets sign.
      const before = Date.now();
      const rotated = await t.call('POST', api(`/${sub}/rotate-secret`), { token, body: {} });
      expect(rotated.status).toBe(200);
      const second = rotated.body.secret as string;
      expect(second).toMatch(/^whsec_/);
      expect(second).not.toBe(first);
      const until = rotated.body.subscription.previousSecretExpiresAt as number;
      expect(until).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
      expect((await t.call('GET', api(`/${sub}`), { token })).body.previousSecretExpiresAt).toBe(until);
      const during = await ping(sub);
      expect((during.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
      expect(receiverWith(first, during).type).toBe('webhook.test');
      expect(receiverWith(second, during).type).toBe('webhook.test');

      // Rotating again with a short overlap retires the first secret at once: at most two sign.
      const third = (await t.call('POST', api(`/${sub}/rotate-secret`), { token, body: { overlapHours: 0.0003 } })).body
        .secret as string;
      const overlapping = await ping(sub);
      expect(receiverWith(second, overlapping).type).toBe('webhook.test');
      expect(receiverWith(third, overlapping).type).toBe('webhook.test');
      expect(() => receiverWith(first, overlapping)).toThrow();

      // Once the overlap (about 1 s) has passed, only the newest secret signs.
      await new Promise((r) => setTimeout(r, 1300));
      const after = await ping(sub);
      expect((after.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
      expect(receiverWith(third, after).type).toBe('webhook.test');
      expect(() => receiverWith(second, after)).toThrow();
      expect((await t.call('GET', api(`/${sub}`), { token })).body.previousSecretExpiresAt).toBeNull();

      // overlapHours 0 (a leaked secret): the previous one stops signing now.
      const fourth = (await t.call('POST', api(`/${sub}/rotate-secret`), { token, body: { overlapHours: 0 } })).body;
      expect(fourth.subscription.previousSecretExpiresAt).toBeNull();
      const now = await ping(sub);
      expect(receiverWith(fourth.secret, now).type).toBe('webhook.test');
      expect(() => receiverWith(third, now)).toThrow();
    },
  );

  it.skipIf(skip)('refuses a bad overlap, naming the field', async () => {
    const created = await t.call('POST', api(), { token, body: { name: 'Bad', url: rx.url, events: ['*'] } });
    const r = await t.call('POST', api(`/${created.body.subscription.id}/rotate-secret`), {
      token,
      body: { overlapHours: 1000 },
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('overlapHours');
  });
});
