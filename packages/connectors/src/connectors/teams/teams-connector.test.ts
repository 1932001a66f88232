import { NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { type LocalServer, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { teamsConnector } from './teams-connector.js';

let teams: LocalServer;
beforeAll(async () => {
  teams = await startLocalServer((req, res) => {
    const body = JSON.parse(req.body.toString() || '{}');
    if (req.url === '/workflow') {
      res.writeHead(202);
      return res.end();
    }
    if (req.url === '/throttled') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0');
    }
    if (body['@type'] !== 'MessageCard' && body.type !== 'message') {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end('Bad payload received by generic incoming webhook.');
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('1');
  });
});
afterAll(() => teams.close());

const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
const node = (type: string) => new NodeRegistry().register(...connectorNodeTypes(teamsConnector, runtime)).get(type)!;
const credential = (path = '/webhookb2/abc') => ({
  id: 't',
  type: 'teams.incomingWebhook',
  data: { webhookUrl: `${teams.url}${path}` },
});

describe('Microsoft Teams', () => {
  it('sends a message card', async () => {
    const [r] = await runNode(node('teams.sendMessage'), {
      params: { title: 'Deploy', text: '**done**', themeColor: '#00FF00' },
      credential: credential(),
    });
    expect(r?.json).toEqual({ ok: true, status: 200 });
    const sent = JSON.parse(teams.requests.at(-1)!.body.toString());
    expect(sent).toMatchObject({ '@type': 'MessageCard', title: 'Deploy', text: '**done**', themeColor: '00FF00' });
  });

  it('sends an adaptive card, also to a Workflows webhook (202)', async () => {
    const card = { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Hi' }] };
    const [r] = await runNode(node('teams.sendAdaptiveCard'), {
      params: { card },
      credential: credential('/workflow'),
    });
    expect(r?.json).toEqual({ ok: true, status: 202 });
    expect(JSON.parse(teams.requests.at(-1)!.body.toString()).attachments[0].content).toEqual(card);
    await expect(
      runNode(node('teams.sendAdaptiveCard'), { params: { card: { type: 'Other' } }, credential: credential() }),
    ).rejects.toThrow('Teams: Card must be an object with "type": "AdaptiveCard"');
  });

  it('reports refusals, including errors hidden in a 200 body', async () => {
    await expect(
      runNode(node('teams.sendMessage'), { params: { text: 'x' }, credential: credential('/throttled') }),
    ).rejects.toThrow(/Teams webhook refused the message: Microsoft Teams endpoint returned HTTP error 429/);
    await expect(
      runNode(node('teams.sendMessage'), { params: { text: 'x', themeColor: 'green' }, credential: credential() }),
    ).rejects.toThrow('Teams: accent colour "green" must be 6 hex digits');
  });
});
