import { type Mapping, single, unsupported } from '../mapped-node.js';
import { httpMapper } from './n8n-http-mapper.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { composed, isN8nExpression, n8nValue, weft } from './n8n-values.js';

type Params = Record<string, unknown>;

const SHAPE = "the output item follows Weft's connector, not n8n's response shape";

const op = (p: Params, resource: string, operation: string) =>
  `${String(p.resource ?? resource)}:${String(p.operation ?? operation)}`;

const rl = (v: unknown) => (v && typeof v === 'object' && (v as Params).__rl ? (v as Params).value : v);

function connector(type: string, params: Params, credentialType: string, differences: string[] = []): Mapping {
  return single(type, params, { credentialType, differences: [SHAPE, ...differences] });
}

/** `owner/name` from n8n's separate owner and repository values. */
function repoOf(p: Params): unknown {
  const owner = rl(p.owner);
  const repo = rl(p.repository);
  if (!isN8nExpression(owner) && !isN8nExpression(repo)) return `${owner}/${repo}`;
  return composed((o, r) => `${o} + "/" + ${r}`, owner, repo);
}

const slack: N8nMapper = (p, v) => {
  const cred = p.authentication === 'oAuth2' ? 'slack.oauth2' : 'slack.botToken';
  const channel = n8nValue(v >= 2 ? p.channelId : (p.channel ?? p.channelId));
  const other = (p.otherOptions as Params | undefined) ?? {};
  switch (op(p, 'message', 'post')) {
    case 'message:post':
      if (v >= 2 && p.select === 'user') return unsupported('Slack direct messages to a user');
      return connector(
        'slack.sendMessage',
        { channel, text: n8nValue(p.text ?? ''), ...(other.thread_ts ? { threadTs: n8nValue(other.thread_ts) } : {}) },
        cred,
        p.blocksUi || p.attachments ? ['blocks and attachments are not carried over'] : [],
      );
    case 'message:update':
      return connector(
        'slack.updateMessage',
        { channel, ts: n8nValue(p.ts ?? ''), text: n8nValue(p.text ?? '') },
        cred,
      );
    case 'reaction:add':
      return connector(
        'slack.addReaction',
        { channel, ts: n8nValue(p.timestamp ?? ''), emoji: n8nValue(p.name ?? '') },
        cred,
      );
    case 'channel:getAll':
      return connector('slack.listChannels', { limit: n8nValue(p.limit ?? 100) }, cred);
    default:
      return unsupported(`Slack ${op(p, 'message', 'post')}`);
  }
};

const discord: N8nMapper = (p, v) => {
  if (v >= 2 && p.authentication !== 'webhook')
    return unsupported('Discord bot / OAuth2 messages (Weft posts through a webhook)');
  const opts = optionsOf(p);
  const diffs = v < 2 ? ['the webhook URL moves from the node into a discord.webhook credential'] : [];
  return connector(
    'discord.sendMessage',
    {
      content: n8nValue(v >= 2 ? (p.content ?? '') : (p.text ?? '')),
      ...(opts.username ? { username: n8nValue(opts.username) } : {}),
      ...(opts.avatar_url || opts.avatarUrl ? { avatarUrl: n8nValue(opts.avatar_url ?? opts.avatarUrl) } : {}),
    },
    'discord.webhook',
    diffs,
  );
};

const teams: N8nMapper = (p) => {
  if (op(p, 'channelMessage', 'create') !== 'channelMessage:create')
    return unsupported(`Microsoft Teams ${op(p, 'channelMessage', 'create')}`);
  return connector('teams.sendMessage', { text: n8nValue(p.message ?? '') }, 'teams.incomingWebhook', [
    "posts through the channel's incoming webhook, not the Graph API",
  ]);
};

const email: N8nMapper = (p, v) => {
  const o = v >= 2 ? optionsOf(p) : p;
  const format = String(p.emailFormat ?? (v >= 2 ? 'text' : 'both'));
  return connector(
    'email.sendEmail',
    {
      from: n8nValue(p.fromEmail ?? ''),
      to: n8nValue(p.toEmail ?? ''),
      subject: n8nValue(p.subject ?? ''),
      ...(format !== 'html' && p.text !== undefined ? { text: n8nValue(p.text) } : {}),
      ...(format !== 'text' && p.html !== undefined ? { html: n8nValue(p.html) } : {}),
      ...(o.ccEmail ? { cc: n8nValue(o.ccEmail) } : {}),
      ...(o.bccEmail ? { bcc: n8nValue(o.bccEmail) } : {}),
      ...(o.replyTo ? { replyTo: n8nValue(o.replyTo) } : {}),
      ...(o.attachments ? { attachments: n8nValue(o.attachments) } : {}),
    },
    'email.smtp',
  );
};

const github: N8nMapper = (p) => {
  if (p.authentication === 'oAuth2') return unsupported('GitHub with OAuth2 (Weft uses a token)');
  const repo = repoOf(p);
  switch (op(p, 'issue', 'create')) {
    case 'issue:create': {
      const labels = ((p.labels as Params[] | undefined) ?? []).map((l) => l.label).join(',');
      return connector(
        'github.createIssue',
        { repo, title: n8nValue(p.title ?? ''), body: n8nValue(p.body ?? ''), labels },
        'github.token',
      );
    }
    case 'issue:createComment':
      return connector(
        'github.createComment',
        { repo, issue: n8nValue(p.issueNumber ?? 0), body: n8nValue(p.body ?? '') },
        'github.token',
      );
    case 'repository:get':
      return connector('github.getRepository', { repo }, 'github.token');
    case 'repository:getIssues': {
      const f = (p.getRepositoryIssuesFilters as Params | undefined) ?? {};
      return connector(
        'github.listIssues',
        { repo, state: f.state ?? 'open', limit: n8nValue(p.limit ?? 50) },
        'github.token',
      );
    }
    default:
      return unsupported(`GitHub ${op(p, 'issue', 'create')}`);
  }
};

const STRIPE_OBJECTS: Record<string, string> = { customer: 'customers', charge: 'charges', invoice: 'invoices' };

const stripe: N8nMapper = (p) => {
  const o = op(p, 'balance', 'get');
  const [resource = '', operation] = o.split(':');
  const object = STRIPE_OBJECTS[resource];
  if (o === 'customer:create') {
    const extra = (p.additionalFields as Params | undefined) ?? {};
    return connector(
      'stripe.createCustomer',
      {
        name: n8nValue(p.name ?? ''),
        email: n8nValue(extra.email ?? ''),
        ...(extra.description ? { description: n8nValue(extra.description) } : {}),
      },
      'stripe.secretKey',
    );
  }
  if (object && operation === 'get')
    return connector('stripe.getObject', { object, id: n8nValue(p[`${resource}Id`] ?? '') }, 'stripe.secretKey');
  if (object && operation === 'getAll')
    return connector(
      'stripe.listObjects',
      { object, limit: p.returnAll ? 100 : n8nValue(p.limit ?? 50) },
      'stripe.secretKey',
      [p.returnAll ? '"return all" reads the first 100 objects' : ''].filter(Boolean),
    );
  return unsupported(`Stripe ${o}`);
};

const sheets: N8nMapper = (p, v) => {
  const cred = p.authentication === 'serviceAccount' ? undefined : 'googleSheets.oauth2';
  if (!cred) return unsupported('Google Sheets with a service account (Weft uses OAuth2)');
  const spreadsheetId = n8nValue(v >= 3 ? p.documentId : p.sheetId);
  const sheet = v >= 3 ? n8nValue(p.sheetName) : String(p.range ?? 'Sheet1').split('!')[0];
  const operation = String(p.operation ?? (v >= 3 ? 'appendOrUpdate' : 'read'));
  if (operation === 'read') return connector('googleSheets.readRows', { spreadsheetId, sheet }, cred);
  if (operation !== 'append') return unsupported(`Google Sheets ${operation}`);
  const columns = (p.columns as Params | undefined) ?? {};
  const values =
    columns.mappingMode === 'defineBelow'
      ? composed((...js) => `[${js.join(', ')}]`, ...Object.values((columns.value as Params | undefined) ?? {}))
      : weft('{{ Object.values($json) }}');
  return connector('googleSheets.appendRow', { spreadsheetId, sheet, values }, cred, [
    'cells are written in field order, not matched to the header row',
  ]);
};

const openAi: N8nMapper = (p, _v, node) => {
  const langchain = node.type.startsWith('@n8n/');
  const o = op(p, langchain ? 'text' : 'chat', langchain ? 'message' : 'complete');
  if (o !== 'text:message' && o !== 'chat:complete') return unsupported(`OpenAI ${o}`);
  const rows = langchain
    ? (((p.messages as Params | undefined)?.values as Params[] | undefined) ?? [])
    : (((p.prompt as Params | undefined)?.messages as Params[] | undefined) ?? []);
  const opts = optionsOf(p);
  const messages = composed(
    (...js) =>
      `[${js.map((c, i) => `{ role: ${JSON.stringify(rows[i]?.role ?? 'user')}, content: ${c} }`).join(', ')}]`,
    ...rows.map((r) => r.content ?? ''),
  );
  return connector(
    'openai.chat',
    {
      model: n8nValue(rl(langchain ? p.modelId : p.model) ?? 'gpt-4o-mini'),
      messages,
      ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
      ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
      ...(p.jsonOutput ? { jsonMode: true } : {}),
    },
    'openai.apiKey',
  );
};

const postgres: N8nMapper = (p, v) => {
  const operation = String(p.operation ?? (v >= 2 ? 'insert' : 'executeQuery'));
  if (operation !== 'executeQuery') return unsupported(`Postgres ${operation} (use an SQL query)`);
  const replacement = optionsOf(p).queryReplacement ?? p.additionalFields;
  const parameters =
    typeof replacement === 'string' && replacement !== ''
      ? composed((js) => `String(${js}).split(',').map((s) => s.trim())`, replacement)
      : [];
  return connector('postgres.query', { sql: n8nValue(p.query ?? ''), parameters }, 'postgres.connection');
};

const redis: N8nMapper = (p) => {
  const operation = String(p.operation ?? 'info');
  const key = n8nValue(p.key ?? '');
  switch (operation) {
    case 'get':
      return connector('redis.get', { key }, 'redis.connection', [
        `the value is not written to "${p.propertyName ?? 'propertyName'}"`,
      ]);
    case 'set':
      return connector(
        'redis.set',
        { key, value: n8nValue(p.value ?? ''), ...(p.expire ? { ttlSeconds: n8nValue(p.ttl ?? 60) } : {}) },
        'redis.connection',
      );
    case 'delete':
      return connector('redis.delete', { key }, 'redis.connection');
    case 'incr':
      return connector('redis.increment', { key, by: 1 }, 'redis.connection');
    case 'publish':
      return connector(
        'redis.publish',
        { channel: n8nValue(p.channel ?? ''), message: n8nValue(p.messageData ?? '') },
        'redis.connection',
      );
    default:
      return unsupported(`Redis ${operation}`);
  }
};

const s3: N8nMapper = (p) => {
  const o = op(p, 'file', 'download');
  const bucket = n8nValue(p.bucketName ?? '');
  switch (o) {
    case 'file:upload':
      return connector(
        's3.putObject',
        p.binaryData === false
          ? { bucket, key: n8nValue(p.fileName ?? ''), text: n8nValue(p.fileContent ?? '') }
          : { bucket, key: n8nValue(p.fileName ?? ''), binaryProperty: p.binaryPropertyName ?? 'data' },
        's3.accessKey',
      );
    case 'file:download':
      return connector('s3.getObject', { bucket, key: n8nValue(p.fileKey ?? '') }, 's3.accessKey');
    case 'file:delete':
      return connector('s3.deleteObject', { bucket, key: n8nValue(p.fileKey ?? '') }, 's3.accessKey');
    case 'file:getAll':
      return connector(
        's3.listObjects',
        {
          bucket,
          prefix: n8nValue(optionsOf(p).folderKey ?? ''),
          limit: p.returnAll ? 1000 : n8nValue(p.limit ?? 100),
        },
        's3.accessKey',
      );
    default:
      return unsupported(`S3 ${o}`);
  }
};

/** Mappers of n8n nodes for the services Weft has connectors for, by n8n type name. */
export const connectorMappers: Record<string, N8nMapper> = {
  'n8n-nodes-base.httpRequest': httpMapper,
  'n8n-nodes-base.slack': slack,
  'n8n-nodes-base.discord': discord,
  'n8n-nodes-base.microsoftTeams': teams,
  'n8n-nodes-base.emailSend': email,
  'n8n-nodes-base.github': github,
  'n8n-nodes-base.stripe': stripe,
  'n8n-nodes-base.googleSheets': sheets,
  'n8n-nodes-base.openAi': openAi,
  '@n8n/n8n-nodes-langchain.openAi': openAi,
  'n8n-nodes-base.postgres': postgres,
  'n8n-nodes-base.redis': redis,
  'n8n-nodes-base.awsS3': s3,
  'n8n-nodes-base.s3': s3,
  'n8n-nodes-base.rssFeedRead': (p) => single('feed.read', { url: n8nValue(p.url ?? '') }, { differences: [SHAPE] }),
  'n8n-nodes-base.rssFeedReadTrigger': (p) =>
    single('feed.newEntry', { url: n8nValue(p.feedUrl ?? '') }, { differences: [SHAPE] }),
  'n8n-nodes-base.githubTrigger': (p) =>
    connector('github.webhook', { events: ((p.events as string[] | undefined) ?? ['*']).join(',') }, 'github.token', [
      `the webhook is set up for ${String(rl(p.owner))}/${String(rl(p.repository))} by hand`,
    ]),
  'n8n-nodes-base.stripeTrigger': (p) =>
    connector('stripe.event', { types: ((p.events as string[] | undefined) ?? ['*']).join(',') }, 'stripe.secretKey'),
};
