import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/node-context.js';
import { coreTriggers, webhookTrigger } from './core-triggers.js';
import { respondToWebhookNode, respondToWebhookResponse } from './respond-to-webhook.js';
import { handleTriggerWebhook } from './trigger-runners.js';
import { acceptWebhook, webhookResponse } from './webhook-handler.js';
import { signWebhookPayload, verifyWebhook, type WebhookRequest } from './webhook-verification.js';

const enc = new TextEncoder();
const req = (over: Partial<WebhookRequest> = {}): WebhookRequest => ({
  method: 'POST',
  path: 'orders',
  headers: { 'content-type': 'application/json' },
  query: {},
  rawBody: enc.encode('{"id":7}'),
  ...over,
});
const now = 1_700_000_000_000;

describe('webhook verification', () => {
  it('checks a header secret', () => {
    const v = { type: 'headerSecret' as const, header: 'X-Token', secret: 'tok-123' };
    expect(verifyWebhook(v, req({ headers: { 'x-token': 'tok-123' } }))).toEqual({ ok: true });
    expect(verifyWebhook(v, req({ headers: { 'x-token': 'tok-12' } }))).toMatchObject({ ok: false, status: 403 });
    expect(verifyWebhook(v, req())).toEqual({ ok: false, status: 401, reason: 'Missing header X-Token' });
  });

  it('checks GitHub-style HMAC signatures', () => {
    const body = enc.encode('{"id":7}');
    const sig = `sha256=${signWebhookPayload('s3cret', body)}`;
    const v = { type: 'hmac' as const, header: 'x-hub-signature-256', prefix: 'sha256=', secret: 's3cret' };
    expect(verifyWebhook(v, req({ headers: { 'x-hub-signature-256': sig } }))).toEqual({ ok: true });
    expect(
      verifyWebhook(v, req({ headers: { 'x-hub-signature-256': sig }, rawBody: enc.encode('{"id":8}') })),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('checks Slack-style timestamped signatures and refuses stale ones', () => {
    const ts = String(now / 1000);
    const sig = `v0=${signWebhookPayload('sl', enc.encode('{"id":7}'), { timestamp: ts, signedPayload: 'v0:{timestamp}:{body}' })}`;
    const v = {
      type: 'hmac' as const,
      header: 'x-slack-signature',
      prefix: 'v0=',
      secret: 'sl',
      timestampHeader: 'x-slack-request-timestamp',
      signedPayload: 'v0:{timestamp}:{body}',
      toleranceSec: 300,
    };
    const headers = { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts };
    expect(verifyWebhook(v, req({ headers }), now)).toEqual({ ok: true });
    expect(verifyWebhook(v, req({ headers }), now + 301_000)).toEqual({
      ok: false,
      status: 403,
      reason: 'Timestamp outside the 300 s tolerance',
    });
  });

  it('checks the t=...,v1=... format used by outbound webhooks', () => {
    const ts = String(now / 1000);
    const sig = signWebhookPayload('k', enc.encode('{"id":7}'), { timestamp: ts, signedPayload: '{timestamp}.{body}' });
    const v = {
      type: 'hmac' as const,
      header: 'x-weft-signature',
      prefix: 'v1=',
      secret: 'k',
      timestampHeader: 'x-weft-signature',
      signedPayload: '{timestamp}.{body}',
    };
    expect(verifyWebhook(v, req({ headers: { 'x-weft-signature': `t=${ts},v1=${sig}` } }), now)).toEqual({ ok: true });
  });

  it('refuses everything when the secret is empty (an empty HMAC key is no protection)', () => {
    const body = enc.encode('{"id":7}');
    const forged = `sha256=${signWebhookPayload('', body)}`;
    const v = { type: 'hmac' as const, header: 'x-hub-signature-256', prefix: 'sha256=', secret: '' };
    expect(verifyWebhook(v, req({ headers: { 'x-hub-signature-256': forged } }))).toEqual({
      ok: false,
      status: 401,
      reason: 'Webhook verification is configured without a secret',
    });
    expect(verifyWebhook({ type: 'headerSecret', header: 'x-t', secret: '' }, req({ headers: { 'x-t': '' } })).ok).toBe(
      false,
    );
    expect(verifyWebhook({ type: 'basic', username: 'u', password: '' }, req()).ok).toBe(false);
  });

  it('checks basic auth', () => {
    const v = { type: 'basic' as const, username: 'u', password: 'p' };
    const good = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(verifyWebhook(v, req({ headers: { authorization: good } }))).toEqual({ ok: true });
    expect(verifyWebhook(v, req({ headers: { authorization: 'Basic eDp5' } }))).toMatchObject({
      ok: false,
      status: 403,
    });
  });
});

describe('acceptWebhook', () => {
  it('enforces methods and size limits, parses bodies and redacts credentials headers', () => {
    expect(acceptWebhook({ methods: ['POST'] }, req({ method: 'GET' }))).toMatchObject({
      accepted: false,
      response: { status: 405 },
    });
    expect(acceptWebhook({ maxBodyBytes: 4 }, req())).toMatchObject({ accepted: false, response: { status: 413 } });
    expect(acceptWebhook({}, req({ rawBody: enc.encode('{oops') }))).toMatchObject({
      accepted: false,
      response: { status: 400 },
    });
    const ok = acceptWebhook(
      { verification: { type: 'headerSecret', header: 'x-secret', secret: 'abcd' }, rawBody: true },
      req({
        headers: { 'content-type': 'application/json', 'x-secret': 'abcd', authorization: 'Bearer x', 'x-other': '1' },
      }),
    );
    expect(ok).toEqual({
      accepted: true,
      items: [
        {
          json: {
            method: 'POST',
            path: 'orders',
            headers: {
              'content-type': 'application/json',
              'x-secret': '[REDACTED]',
              authorization: '[REDACTED]',
              'x-other': '1',
            },
            query: {},
            body: { id: 7 },
            rawBody: Buffer.from('{"id":7}').toString('base64'),
          },
        },
      ],
    });
    const form = acceptWebhook(
      {},
      req({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: enc.encode('a=1&a=2&b=x') }),
    );
    expect(form.accepted && form.items[0]?.json.body).toEqual({ a: ['1', '2'], b: 'x' });
  });

  it('keeps the verification secret out of the item wherever the caller put it', () => {
    const secret = 'hook-secret-7f3a';
    const sig = `sha256=${signWebhookPayload(secret, enc.encode('{"id":7}'))}`;
    const hmac = acceptWebhook(
      { verification: { type: 'hmac', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret } },
      req({
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig, 'x-echo': `key ${secret}` },
        query: { token: secret, page: '2' },
      }),
    );
    expect(hmac.accepted && hmac.items[0]?.json).toEqual({
      method: 'POST',
      path: 'orders',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': '[REDACTED]', 'x-echo': 'key [REDACTED]' },
      query: { token: '[REDACTED]', page: '2' },
      body: { id: 7 },
    });
    const basic = Buffer.from(`ada:${secret}`).toString('base64');
    const body = enc.encode(JSON.stringify({ note: `pw=${secret}` }));
    const viaBasic = acceptWebhook(
      { verification: { type: 'basic', username: 'ada', password: secret } },
      req({ headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` }, rawBody: body }),
    );
    expect(JSON.stringify(viaBasic)).not.toContain(secret);
    expect(JSON.stringify(viaBasic)).not.toContain(basic);
    expect(viaBasic.accepted && viaBasic.items[0]?.json.body).toEqual({ note: 'pw=[REDACTED]' });
  });

  it('builds responses for each mode', async () => {
    expect(webhookResponse('immediately', { executionId: 'ex1' })).toEqual({
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: '{"executionId":"ex1"}',
    });
    expect(webhookResponse('lastNode', { executionId: 'ex1', output: [{ json: { a: 1 } }] }).body).toBe('{"a":1}');
    const items = await runNode(respondToWebhookNode, {
      params: { respondWith: 'text', statusCode: 201, body: 'created', headers: [{ name: 'X-Id', value: '9' }] },
      items: [{ json: { a: 1 } }],
    });
    expect(items).toEqual([{ json: { a: 1 } }]);
  });

  it('records the respond-node response in the node state', async () => {
    const responses: unknown[] = [];
    const result = await respondToWebhookNode.execute({
      params: { respondWith: 'firstItem', statusCode: 201, headers: [] },
      inputs: { main: [{ json: { ok: true } }] },
      node: { name: 'Respond' },
      respond: (r: unknown) => responses.push(r),
    } as never);
    expect(responses).toEqual([{ status: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }]);
    expect(respondToWebhookResponse('state' in result ? result.state : undefined)).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    await expect(
      Promise.resolve().then(() =>
        respondToWebhookNode.execute({
          params: { respondWith: 'json', statusCode: 200, body: '{x' },
          inputs: {},
          node: { name: 'R' },
          respond: () => {},
        } as never),
      ),
    ).rejects.toThrow(/Respond to Webhook "R": body is not valid JSON/);
  });
});

describe('weft.webhook trigger', () => {
  const trigger = webhookTrigger;
  const site = (credential?: { id: string; type: string; data: Record<string, string | number> }) => ({
    workspaceId: 'ws1',
    workflowId: 'wf1',
    nodeId: 'n1',
    props: { path: 'orders', methods: ['POST', 'PUT'], responseMode: 'immediately', rawBody: false, maxBodyKb: 1 },
    ...(credential ? { credential } : {}),
  });

  it('takes methods and limits from props and verification from the credential', async () => {
    if (trigger.kind !== 'webhook') throw new Error('expected a webhook trigger');
    expect((await handleTriggerWebhook(coreTriggers, trigger, site(), req({ method: 'PUT' }))).accepted).toBe(true);
    const big = req({ rawBody: new Uint8Array(2048) });
    expect(await handleTriggerWebhook(coreTriggers, trigger, site(), big)).toMatchObject({ response: { status: 413 } });
    const hmacCred = { id: 'c', type: 'weft.webhookHmac', data: { header: 'x-sig', secret: 'zz', prefix: 'sha256=' } };
    const unsigned = await handleTriggerWebhook(coreTriggers, trigger, site(hmacCred), req());
    expect(unsigned).toMatchObject({ accepted: false, response: { status: 401 } });
    const signed = req({
      headers: { 'content-type': 'application/json', 'x-sig': `sha256=${signWebhookPayload('zz', '{"id":7}')}` },
    });
    expect((await handleTriggerWebhook(coreTriggers, trigger, site(hmacCred), signed)).accepted).toBe(true);
  });

  it('stores a header-secret request with the secret header redacted', async () => {
    if (trigger.kind !== 'webhook') throw new Error('expected a webhook trigger');
    const cred = { id: 'c', type: 'weft.webhookHeaderSecret', data: { header: 'X-Hook-Token', secret: 'tok-9c1e55' } };
    const accepted = await handleTriggerWebhook(
      coreTriggers,
      trigger,
      site(cred),
      req({ method: 'PUT', headers: { 'content-type': 'application/json', 'x-hook-token': 'tok-9c1e55' } }),
    );
    expect(accepted.accepted && accepted.items[0]?.json.headers).toEqual({
      'content-type': 'application/json',
      'x-hook-token': '[REDACTED]',
    });
  });
});
