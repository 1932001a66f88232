import { NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { testCredential } from '../../kit/test-credential.js';
import { InstantClock } from '../../testing/instant-clock.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { discordConnector } from './discord-connector.js';

let discord: LocalServer;
let limited = true;
beforeAll(async () => {
  discord = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const m = /^\/api\/webhooks\/(\d+)\/([\w-]+)(\/messages\/(\d+))?$/.exec(url.pathname);
    if (m?.[2] !== 'tok') return sendJson(res, 404, { message: 'Unknown Webhook', code: 10015 });
    if (req.method === 'GET') return sendJson(res, 200, { id: m[1], name: 'Deploys' });
    if (req.method === 'DELETE') {
      res.writeHead(204);
      return res.end();
    }
    const body = JSON.parse(req.body.toString());
    if (req.method === 'POST' && limited) {
      limited = false;
      return sendJson(
        res,
        429,
        { message: 'You are being rate limited.', retry_after: 0.5, global: false },
        { 'retry-after': '1' },
      );
    }
    if (req.method === 'POST' && url.searchParams.get('wait') !== 'true') {
      res.writeHead(204);
      return res.end();
    }
    return sendJson(res, 200, {
      id: m[4] ?? '900',
      channel_id: '77',
      content: body.content,
      embeds: body.embeds ?? [],
      mentions: body.allowed_mentions,
    });
  });
});
afterAll(() => discord.close());

const clock = new InstantClock();
const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'], clock }) };
const node = (type: string) => new NodeRegistry().register(...connectorNodeTypes(discordConnector, runtime)).get(type)!;
const credential = () => ({
  id: 'd',
  type: 'discord.webhook',
  data: { webhookUrl: `${discord.url}/api/webhooks/123/tok` },
});

describe('Discord', () => {
  it('sends a message, waiting out a 429, with mentions disabled', async () => {
    const [msg] = await runNode(node('discord.sendMessage'), {
      params: { content: 'Deployed @everyone' },
      credential: credential(),
    });
    expect(msg?.json).toMatchObject({ id: '900', content: 'Deployed @everyone', mentions: { parse: [] } });
    expect(clock.sleeps).toContain(1000);
  });

  it('edits and deletes messages', async () => {
    const [edited] = await runNode(node('discord.editMessage'), {
      params: { messageId: '900', embeds: [{ title: 'x' }] },
      credential: credential(),
    });
    expect(edited?.json).toMatchObject({ id: '900', embeds: [{ title: 'x' }] });
    const [deleted] = await runNode(node('discord.deleteMessage'), {
      params: { messageId: '900' },
      credential: credential(),
    });
    expect(deleted?.json).toEqual({ deleted: true, messageId: '900' });
  });

  it('validates input and URLs before sending, and reports Discord errors', async () => {
    await expect(runNode(node('discord.sendMessage'), { params: {}, credential: credential() })).rejects.toThrow(
      'Discord: give Content or Embeds',
    );
    await expect(
      runNode(node('discord.sendMessage'), { params: { content: 'x'.repeat(2001) }, credential: credential() }),
    ).rejects.toThrow('Discord: Content is 2001 characters; the limit is 2000');
    const wrong = { id: 'd', type: 'discord.webhook', data: { webhookUrl: `${discord.url}/hooks/1` } };
    await expect(runNode(node('discord.sendMessage'), { params: { content: 'x' }, credential: wrong })).rejects.toThrow(
      /must look like/,
    );
    const unknown = { id: 'd', type: 'discord.webhook', data: { webhookUrl: `${discord.url}/api/webhooks/1/bad` } };
    const err = await runNode(node('discord.sendMessage'), { params: { content: 'x' }, credential: unknown }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toMatch(/HTTP 404: .*Unknown Webhook/);
    expect((err as Error).message).not.toContain('/bad');
  });

  it('tests the webhook URL', async () => {
    expect(await testCredential(discordConnector, credential(), runtime)).toEqual({ ok: true });
    const bad = { id: 'd', type: 'discord.webhook', data: { webhookUrl: `${discord.url}/api/webhooks/1/bad` } };
    const result = await testCredential(discordConnector, bad, runtime);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('/api/webhooks/1/bad');
  });
});
