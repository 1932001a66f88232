import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeftApiError, WeftClient } from '@weft/client';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host, loadConfig } from '../index.js';
import { WebhookReceiver } from '../testing/webhook-receiver.js';

const OWNER = { email: 'owner@example.com', password: 'owner-password' };
let dir: string;
let host: Host;
let rx: WebhookReceiver;
let client: WeftClient;
let ws: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-client-webhooks-'));
  rx = await WebhookReceiver.start();
  const config = loadConfig({
    WEFT_DATA_DIR: dir,
    WEFT_PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_LOG_LEVEL: 'silent',
    WEFT_SEED_EXAMPLES: 'false',
    WEFT_OWNER_EMAIL: OWNER.email,
    WEFT_OWNER_PASSWORD: OWNER.password,
    WEFT_HTTP_ALLOW: '127.0.0.1',
    WEFT_WEBHOOK_OUT_POLL_MS: '50',
  });
  host = await createHost(config, { logger: pino({ level: 'silent' }), announce: () => {} });
  client = new WeftClient({ baseUrl: await host.listen() });
  await client.auth.login(OWNER);
  ws = (await client.auth.me()).workspaces[0]?.id as string;
});

afterAll(async () => {
  await host?.close();
  await rx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('client.webhookSubscriptions against a real host', () => {
  it('creates, lists, updates, tests, reads the log, replays, rotates and deletes', async () => {
    const { subscription, secret } = await client.webhookSubscriptions.create(ws, {
      name: 'CRM',
      url: rx.url,
      events: ['execution.failed'],
    });
    expect(secret).toMatch(/^whsec_/);
    const listed = await client.webhookSubscriptions.list(ws);
    expect(listed.items.map((s) => s.id)).toContain(subscription.id);
    expect(listed.eventTypes.map((e) => e.type)).toContain('execution.failed');
    const renamed = await client.webhookSubscriptions.update(ws, subscription.id, { name: 'CRM sync' });
    expect(renamed).toMatchObject({ name: 'CRM sync', previousSecretExpiresAt: null });

    const sent = await client.webhookSubscriptions.test(ws, subscription.id);
    const [got] = await rx.until((all) => all.length >= 1);
    expect(new Webhook(secret).verify(got?.body ?? '', got?.headers as Record<string, string>)).toMatchObject({
      type: 'webhook.test',
    });
    let log = await client.webhookSubscriptions.deliveries(ws, subscription.id, { status: 'succeeded' });
    for (let i = 0; i < 100 && log.items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      log = await client.webhookSubscriptions.deliveries(ws, subscription.id, { status: 'succeeded' });
    }
    expect(log.items[0]).toMatchObject({ id: sent.id, status: 'succeeded', responseStatus: 200 });
    const detail = await client.webhookSubscriptions.delivery(ws, subscription.id, sent.id);
    expect(JSON.parse(detail.body)).toMatchObject({ type: 'webhook.test' });
    expect(detail.attemptLog[0]?.status).toBe(200);
    const replay = await client.webhookSubscriptions.replay(ws, subscription.id, sent.id);
    expect(replay).toMatchObject({ messageId: sent.messageId, replayOf: sent.id });

    const rotated = await client.webhookSubscriptions.rotateSecret(ws, subscription.id, { overlapHours: 1 });
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.subscription.previousSecretExpiresAt).toBeGreaterThan(Date.now());

    await client.webhookSubscriptions.remove(ws, subscription.id);
    const gone = await client.webhookSubscriptions.get(ws, subscription.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(WeftApiError);
    expect((gone as WeftApiError).status).toBe(404);
  });
});

describe('client.passkeys against a real host', () => {
  it('lists none, hands out registration options, refuses to remove an unknown passkey, and builds the SSO start URL', async () => {
    expect((await client.passkeys.list()).items).toEqual([]);
    const { challengeId, options } = await client.passkeys.registrationOptions();
    expect(challengeId).toEqual(expect.any(String));
    expect(options).toMatchObject({ challenge: expect.any(String), user: { name: OWNER.email } });
    const missing = await client.passkeys.remove('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WeftApiError);
    expect((missing as WeftApiError).status).toBe(404);
    const url = new URL(client.passkeys.ssoStartUrl('/workflows'));
    expect(url.pathname).toBe('/api/v1/auth/oidc/start');
    expect(url.searchParams.get('returnTo')).toBe('/workflows');
    // No provider is configured on this host: the start route says so instead of redirecting.
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
