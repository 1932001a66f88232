import { MemoryDeliveryLog } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../http/http-client.js';
import { InstantClock } from '../testing/instant-clock.js';
import { type LocalServer, sendJson, startLocalServer } from '../testing/local-server.js';
import { OutboundWebhookSender } from './outbound-webhooks.js';
import { verifyWebhook } from './webhook-verification.js';

let receiver: LocalServer;
let failuresLeft = 2;
beforeAll(async () => {
  receiver = await startLocalServer((req, res) => {
    if (req.url === '/gone') return sendJson(res, 410, {});
    if (failuresLeft-- > 0) return sendJson(res, 503, {}, { 'retry-after': '1' });
    sendJson(res, 200, { ok: true });
  });
});
afterAll(() => receiver.close());

describe('OutboundWebhookSender', () => {
  it('retries with Retry-After, signs every attempt and logs them', async () => {
    const clock = new InstantClock(Date.now());
    const log = new MemoryDeliveryLog();
    const sender = new OutboundWebhookSender({
      http: createHttpClient({ allow: ['127.0.0.1/32'] }),
      log,
      clock,
      attempts: 5,
    });
    const result = await sender.deliver(
      { id: 'sub1', url: `${receiver.url}/hook`, secret: 'whsec' },
      'execution.failed',
      { executionId: 'e1' },
    );
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(clock.sleeps).toEqual([1000, 1000]);
    const entries = await log.list({ endpoint: 'sub1' });
    expect(entries.map((e) => [e.attempt, e.status, e.ok])).toEqual([
      [3, 200, true],
      [2, 503, false],
      [1, 503, false],
    ]);
    const last = receiver.requests.at(-1)!;
    expect(last.headers['x-weft-event']).toBe('execution.failed');
    const verdict = verifyWebhook(
      {
        type: 'hmac',
        header: 'x-weft-signature',
        prefix: 'v1=',
        secret: 'whsec',
        timestampHeader: 'x-weft-signature',
        signedPayload: '{timestamp}.{body}',
      },
      { method: 'POST', path: '/hook', headers: last.headers as Record<string, string>, query: {}, rawBody: last.body },
      clock.now(),
    );
    expect(verdict).toEqual({ ok: true });
    expect(JSON.parse(last.body.toString())).toMatchObject({ event: 'execution.failed', data: { executionId: 'e1' } });
  });

  it('does not retry a 4xx other than 408/429', async () => {
    const sender = new OutboundWebhookSender({
      http: createHttpClient({ allow: ['127.0.0.1/32'] }),
      log: new MemoryDeliveryLog(),
      clock: new InstantClock(),
    });
    expect(await sender.deliver({ id: 's', url: `${receiver.url}/gone`, secret: 'x' }, 'e', null)).toMatchObject({
      ok: false,
      attempts: 1,
      status: 410,
    });
  });

  it('refuses private targets unless allowed, and logs the refusal', async () => {
    const log = new MemoryDeliveryLog();
    const sender = new OutboundWebhookSender({ http: createHttpClient(), log, clock: new InstantClock(), attempts: 1 });
    const r = await sender.deliver({ id: 's', url: `${receiver.url}/hook`, secret: 'x' }, 'e', null);
    expect(r.ok).toBe(false);
    expect((await log.list())[0]?.error).toMatch(/blocked: loopback/);
  });
});
