import { NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { loadOptions } from '../../kit/load-options.js';
import { testCredential } from '../../kit/test-credential.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { handleTriggerWebhook } from '../../triggers/trigger-runners.js';
import { signWebhookPayload } from '../../triggers/webhook-verification.js';
import { createSlackConnector } from './slack-connector.js';

let slackApi: LocalServer;
let rateLimited = true;
beforeAll(async () => {
  slackApi = await startLocalServer((req, res) => {
    const method = req.url.replace('/api/', '');
    if (req.headers.authorization !== 'Bearer xoxb-good')
      return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
    const body = req.body.length ? JSON.parse(req.body.toString()) : {};
    switch (method) {
      case 'auth.test':
        return sendJson(res, 200, { ok: true, team: 'T', user: 'bot' });
      case 'chat.postMessage':
        if (rateLimited) {
          rateLimited = false;
          return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '0' });
        }
        if (body.channel === 'C404') return sendJson(res, 200, { ok: false, error: 'channel_not_found' });
        return sendJson(res, 200, {
          ok: true,
          channel: body.channel,
          ts: '1700000000.0001',
          message: { text: body.text },
        });
      case 'reactions.add':
        return sendJson(res, 200, body.name === 'eyes' ? { ok: false, error: 'already_reacted' } : { ok: true });
      case 'conversations.list':
        if (!body.cursor) {
          return sendJson(res, 200, {
            ok: true,
            channels: [
              { id: 'C1', name: 'general' },
              { id: 'C2', name: 'random' },
            ],
            response_metadata: { next_cursor: 'dXNlcjpVMDYxTkZUVDI=' },
          });
        }
        return sendJson(res, 200, {
          ok: true,
          channels: [{ id: 'C3', name: 'general-eu' }],
          response_metadata: { next_cursor: '' },
        });
      default:
        return sendJson(res, 200, { ok: false, error: 'unknown_method' });
    }
  });
});
afterAll(() => slackApi.close());

const slack = () => createSlackConnector({ baseUrl: `${slackApi.url}/api` });
const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'], retry: { attempts: 2 } }) };
const credential = { id: 'c1', type: 'slack.botToken', data: { token: 'xoxb-good', signingSecret: 'sign-me' } };
const registry = () => new NodeRegistry().register(...connectorNodeTypes(slack(), runtime));

describe('Slack', () => {
  it('sends a message, retrying after a 429', async () => {
    const [item] = await runNode(registry().get('slack.sendMessage')!, {
      params: { channel: 'C1', text: 'hi' },
      credential,
    });
    expect(item?.json).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.0001' });
  });

  it('turns ok:false into an error naming the Slack code', async () => {
    await expect(
      runNode(registry().get('slack.sendMessage')!, { params: { channel: 'C404', text: 'hi' }, credential }),
    ).rejects.toThrow('Slack chat.postMessage failed: channel_not_found');
  });

  it('treats already_reacted as success', async () => {
    const [item] = await runNode(registry().get('slack.addReaction')!, {
      params: { channel: 'C1', ts: '1', emoji: 'eyes' },
      credential,
    });
    expect(item?.json).toEqual({ ok: true, alreadyReacted: true });
  });

  it('lists channels across cursor pages and offers them in a searchable dropdown', async () => {
    const items = await runNode(registry().get('slack.listChannels')!, { params: { limit: 1000 }, credential });
    expect(items.map((i) => i.json.id)).toEqual(['C1', 'C2', 'C3']);
    expect(await loadOptions(slack(), 'listChannels', { search: 'gener', credential }, runtime)).toEqual([
      { value: 'C1', label: '#general' },
      { value: 'C3', label: '#general-eu' },
    ]);
  });

  it("uses the credential's API base URL (GovSlack, a proxy) for actions, dropdowns and the test", async () => {
    const atSlackCom = () => new NodeRegistry().register(...connectorNodeTypes(createSlackConnector(), runtime));
    const own = { ...credential, data: { ...credential.data, apiBaseUrl: `${slackApi.url}/api/` } };
    const [item] = await runNode(atSlackCom().get('slack.addReaction')!, {
      params: { channel: 'C1', ts: '1', emoji: 'tada' },
      credential: own,
    });
    expect(item?.json).toEqual({ ok: true });
    expect(
      await loadOptions(createSlackConnector(), 'listChannels', { search: 'random', credential: own }, runtime),
    ).toEqual([{ value: 'C2', label: '#random' }]);
    expect(await testCredential(createSlackConnector(), own, runtime)).toEqual({ ok: true });
  });

  it('tests the credential with auth.test', async () => {
    expect(await testCredential(slack(), credential, runtime)).toEqual({ ok: true });
    expect(await testCredential(slack(), { ...credential, data: { token: 'xoxb-bad' } }, runtime)).toEqual({
      ok: false,
      message: 'Slack auth.test failed: invalid_auth',
      host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
  });

  it('verifies Events API requests, answers the handshake and filters event types', async () => {
    const c = slack();
    const trigger = c.triggers[0]!;
    if (trigger.kind !== 'webhook') throw new Error('expected webhook');
    const now = Date.now();
    const ts = String(Math.floor(now / 1000));
    const send = (payload: object, secret = 'sign-me') => {
      const raw = new TextEncoder().encode(JSON.stringify(payload));
      const sig = `v0=${signWebhookPayload(secret, raw, { timestamp: ts, signedPayload: 'v0:{timestamp}:{body}' })}`;
      const site = { workspaceId: 'w', workflowId: 'f', nodeId: 'n', props: { eventTypes: 'message' }, credential };
      const request = {
        method: 'POST',
        path: 'slack',
        headers: { 'content-type': 'application/json', 'x-slack-signature': sig, 'x-slack-request-timestamp': ts },
        query: {},
        rawBody: raw,
      };
      return handleTriggerWebhook(c, trigger, site, request, runtime, now);
    };
    expect(await send({ type: 'url_verification', challenge: 'abc' })).toMatchObject({
      accepted: true,
      items: [],
      response: { body: 'abc' },
    });
    const msg = await send({
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'E1',
      event: { type: 'message', text: 'yo' },
    });
    expect(msg).toMatchObject({ accepted: true, items: [{ json: { type: 'message', text: 'yo', teamId: 'T1' } }] });
    expect(await send({ type: 'event_callback', event: { type: 'reaction_added' } })).toMatchObject({
      accepted: true,
      items: [],
    });
    expect(await send({ type: 'event_callback', event: { type: 'message' } }, 'wrong')).toMatchObject({
      accepted: false,
      response: { status: 403 },
    });
  });
});
