import { describe, expect, it } from 'vitest';
import { expectValid, n8nWorkflow } from '../import.test-support.js';
import { importN8n } from './import-n8n.js';

const base = 'n8n-nodes-base.';

function imported(node: Record<string, unknown>) {
  const { workflows, report } = importN8n(n8nWorkflow([{ name: 'N', ...node } as never], ['Start -> N']));
  const w = workflows[0]!;
  expectValid(w);
  return { node: w.nodes[1]!, entry: report.workflows[0]!.nodes[1]!, credentials: report.workflows[0]!.credentials };
}

describe('n8n HTTP Request', () => {
  it('v4.2: method, auth, query/header/JSON body, response format, cursor pagination', () => {
    const { node, credentials, entry } = imported({
      type: `${base}httpRequest`,
      typeVersion: 4.2,
      parameters: {
        method: 'POST',
        url: '=https://api.example.com/orders/{{ $json.id }}',
        authentication: 'genericCredentialType',
        genericAuthType: 'httpHeaderAuth',
        sendQuery: true,
        queryParameters: { parameters: [{ name: 'expand', value: 'lines' }] },
        sendHeaders: true,
        headerParameters: { parameters: [{ name: 'X-Trace', value: '={{ $execution.id }}' }] },
        sendBody: true,
        specifyBody: 'json',
        jsonBody: '={ "note": "{{ $json.note }}" }',
        options: {
          response: { response: { responseFormat: 'json', fullResponse: true, neverError: true } },
          pagination: {
            pagination: {
              paginationMode: 'updateAParameterInEachRequest',
              parameters: { parameters: [{ type: 'qs', name: 'cursor', value: '={{ $response.body.next }}' }] },
              limitPagesFetched: true,
              maxRequests: 5,
            },
          },
          timeout: 5000,
        },
      },
      credentials: { httpHeaderAuth: { id: '7', name: 'Orders API' } },
    });
    expect(node).toMatchObject({
      type: 'http.request',
      credentials: { auth: 'import-http.headerAuth-Orders-API' },
      parameters: {
        method: 'POST',
        url: 'https://api.example.com/orders/{{ $json.id }}',
        query: [{ name: 'expand', value: 'lines' }],
        headers: [{ name: 'X-Trace', value: '{{ $execution.id }}' }],
        bodyType: 'json',
        responseFormat: 'json',
        fullResponse: true,
        ignoreHttpErrors: true,
        pagination: 'cursor',
        paginationParam: 'cursor',
        paginationPath: 'next',
        maxPages: 5,
        timeoutMs: 5000,
      },
    });
    expect(String(node.parameters.jsonBody)).toMatch(/JSON\.parse/);
    expect(credentials).toEqual([
      {
        id: 'import-http.headerAuth-Orders-API',
        type: 'http.headerAuth',
        sourceName: 'httpHeaderAuth "Orders API"',
        usedBy: ['N'],
      },
    ]);
    expect(entry.status).toBe('differences');
  });

  it('v3 form body, page-number pagination; v1 key-value pairs, basic auth, text response', () => {
    const v3 = imported({
      type: `${base}httpRequest`,
      typeVersion: 3,
      parameters: {
        url: 'https://x.test/a',
        method: 'PUT',
        sendBody: true,
        contentType: 'form-urlencoded',
        bodyParameters: { parameters: [{ name: 'a', value: '1' }] },
        options: {
          pagination: {
            pagination: {
              paginationMode: 'updateAParameterInEachRequest',
              parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
            },
          },
        },
      },
    });
    expect(v3.node.parameters).toMatchObject({
      method: 'PUT',
      bodyType: 'form',
      formFields: [{ name: 'a', value: '1' }],
      pagination: 'page',
      paginationParam: 'page',
    });
    const v1 = imported({
      type: `${base}httpRequest`,
      typeVersion: 1,
      parameters: {
        url: 'https://x.test/b',
        requestMethod: 'POST',
        authentication: 'basicAuth',
        responseFormat: 'string',
        bodyParametersUi: { parameter: [{ name: 'n', value: '={{ $json.n }}' }] },
        queryParametersUi: { parameter: [{ name: 'q', value: 'x' }] },
      },
      credentials: { httpBasicAuth: { id: '1', name: 'B' } },
    });
    expect(v1.node.parameters).toMatchObject({
      method: 'POST',
      bodyType: 'json',
      jsonBody: { n: '{{ $json.n }}' },
      query: [{ name: 'q', value: 'x' }],
      responseFormat: 'text',
    });
    expect(v1.credentials[0]?.type).toBe('http.basic');
    expect(
      imported({
        type: `${base}httpRequest`,
        typeVersion: 4.1,
        parameters: { url: 'x', authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api' },
      }).entry.status,
    ).toBe('unsupported');
    expect(
      imported({
        type: `${base}httpRequest`,
        typeVersion: 4.1,
        parameters: { url: 'x', sendBody: true, contentType: 'binaryData' },
      }).entry.status,
    ).toBe('unsupported');
  });
});

describe('n8n nodes of services Weft has connectors for', () => {
  const cases: [string, Record<string, unknown>, string, Record<string, unknown>, string][] = [
    [
      'slack v2 post',
      {
        type: `${base}slack`,
        typeVersion: 2.2,
        parameters: {
          select: 'channel',
          channelId: { __rl: true, value: 'C1', mode: 'id' },
          text: '=Hi {{ $json.n }}',
        },
        credentials: { slackApi: { id: '1', name: 'Bot' } },
      },
      'slack.sendMessage',
      { channel: 'C1', text: 'Hi {{ $json.n }}' },
      'slack.botToken',
    ],
    [
      'slack v1 reaction',
      {
        type: `${base}slack`,
        typeVersion: 1,
        parameters: { resource: 'reaction', operation: 'add', channelId: 'C1', timestamp: '1.2', name: 'tada' },
      },
      'slack.addReaction',
      { emoji: 'tada', ts: '1.2' },
      'slack.botToken',
    ],
    [
      'discord v2 webhook',
      { type: `${base}discord`, typeVersion: 2, parameters: { authentication: 'webhook', content: 'hello' } },
      'discord.sendMessage',
      { content: 'hello' },
      'discord.webhook',
    ],
    [
      'teams channel message',
      {
        type: `${base}microsoftTeams`,
        typeVersion: 2,
        parameters: { resource: 'channelMessage', operation: 'create', message: 'hi' },
      },
      'teams.sendMessage',
      { text: 'hi' },
      'teams.incomingWebhook',
    ],
    [
      'email v2.1',
      {
        type: `${base}emailSend`,
        typeVersion: 2.1,
        parameters: {
          fromEmail: 'a@x.test',
          toEmail: 'b@x.test',
          subject: 'S',
          emailFormat: 'html',
          html: '<b>x</b>',
          options: { ccEmail: 'c@x.test' },
        },
      },
      'email.sendEmail',
      { from: 'a@x.test', to: 'b@x.test', subject: 'S', html: '<b>x</b>', cc: 'c@x.test' },
      'email.smtp',
    ],
    [
      'github issue',
      {
        type: `${base}github`,
        typeVersion: 1,
        parameters: {
          owner: 'weft-dev',
          repository: 'weft',
          title: 'Bug',
          body: 'b',
          labels: [{ label: 'bug' }, { label: 'p1' }],
        },
      },
      'github.createIssue',
      { repo: 'weft-dev/weft', title: 'Bug', labels: 'bug,p1' },
      'github.token',
    ],
    [
      'github comment (expression owner)',
      {
        type: `${base}github`,
        typeVersion: 1.1,
        parameters: {
          operation: 'createComment',
          owner: { __rl: true, value: '={{ $json.o }}', mode: 'name' },
          repository: { __rl: true, value: 'weft', mode: 'name' },
          issueNumber: 3,
          body: 'x',
        },
      },
      'github.createComment',
      { issue: 3 },
      'github.token',
    ],
    [
      'stripe customer create',
      {
        type: `${base}stripe`,
        typeVersion: 1,
        parameters: { resource: 'customer', operation: 'create', name: 'Ann', additionalFields: { email: 'a@x.test' } },
      },
      'stripe.createCustomer',
      { name: 'Ann', email: 'a@x.test' },
      'stripe.secretKey',
    ],
    [
      'stripe charge get',
      { type: `${base}stripe`, typeVersion: 1, parameters: { resource: 'charge', operation: 'get', chargeId: 'ch_1' } },
      'stripe.getObject',
      { object: 'charges', id: 'ch_1' },
      'stripe.secretKey',
    ],
    [
      'google sheets v4 append',
      {
        type: `${base}googleSheets`,
        typeVersion: 4.5,
        parameters: {
          operation: 'append',
          documentId: { __rl: true, value: 'doc', mode: 'id' },
          sheetName: { __rl: true, value: 'Sheet1', mode: 'name' },
          columns: { mappingMode: 'autoMapInputData', value: {} },
        },
      },
      'googleSheets.appendRow',
      { spreadsheetId: 'doc', sheet: 'Sheet1' },
      'googleSheets.oauth2',
    ],
    [
      'openai (langchain) message',
      {
        type: '@n8n/n8n-nodes-langchain.openAi',
        typeVersion: 1.8,
        parameters: {
          resource: 'text',
          operation: 'message',
          modelId: { __rl: true, value: 'gpt-4o-mini', mode: 'list' },
          messages: { values: [{ content: '={{ $json.q }}' }] },
          options: { temperature: 0.2 },
        },
      },
      'openai.chat',
      { model: 'gpt-4o-mini', temperature: 0.2 },
      'openai.apiKey',
    ],
    [
      'postgres query',
      {
        type: `${base}postgres`,
        typeVersion: 2.5,
        parameters: {
          operation: 'executeQuery',
          query: 'select * from t where id = $1',
          options: { queryReplacement: '={{ $json.id }}' },
        },
      },
      'postgres.query',
      { sql: 'select * from t where id = $1' },
      'postgres.connection',
    ],
    [
      'redis set with ttl',
      {
        type: `${base}redis`,
        typeVersion: 1,
        parameters: { operation: 'set', key: 'k', value: '={{ $json.v }}', expire: true, ttl: 30 },
      },
      'redis.set',
      { key: 'k', value: '{{ $json.v }}', ttlSeconds: 30 },
      'redis.connection',
    ],
    [
      'aws s3 download',
      {
        type: `${base}awsS3`,
        typeVersion: 2,
        parameters: { resource: 'file', operation: 'download', bucketName: 'b', fileKey: 'k.txt' },
      },
      's3.getObject',
      { bucket: 'b', key: 'k.txt' },
      's3.accessKey',
    ],
  ];
  for (const [label, node, type, params, credential] of cases) {
    it(label, () => {
      const r = imported(node);
      expect(r.node.type).toBe(type);
      expect(r.node.parameters).toMatchObject(params);
      expect(r.credentials.map((c) => c.type)).toEqual([credential]);
      expect(r.node.credentials?.auth).toBe(r.credentials[0]?.id);
      expect(r.entry.status).toBe('differences');
    });
  }

  it('RSS read needs no credential; operations Weft lacks become placeholders', () => {
    expect(imported({ type: `${base}rssFeedRead`, parameters: { url: 'https://x.test/feed' } }).node).toMatchObject({
      type: 'feed.read',
      parameters: { url: 'https://x.test/feed' },
    });
    for (const node of [
      { type: `${base}slack`, typeVersion: 2, parameters: { resource: 'file', operation: 'upload' } },
      { type: `${base}postgres`, typeVersion: 2.5, parameters: { operation: 'insert' } },
      { type: `${base}redis`, parameters: { operation: 'keys' } },
      { type: `${base}ftp`, parameters: {} },
    ]) {
      const r = imported(node);
      expect(r.entry.status, node.type).toBe('unsupported');
      expect(r.node.notes).toMatch(/^UNSUPPORTED/);
      expect(r.credentials).toEqual([]);
    }
  });
});
