import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake APIs received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A canned answer: status and JSON (or text) body. */
export interface CannedResponse {
  status?: number;
  body: unknown;
  contentType?: string;
}

/** Loopback server standing in for the SaaS APIs the templates call, recording every request. */
export interface TemplateApiServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers for `"METHOD /path"` (query ignored), tried before the built-in API routes. */
  responses: Record<string, CannedResponse>;
  close(): Promise<void>;
}

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Weft blog</title>
<item><title>Weft 1.0 released</title><link>https://blog.example/weft-1</link><guid>https://blog.example/weft-1</guid><pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate><description>Durable workflows for everyone</description></item>
<item><title>Marketplace preview</title><link>https://blog.example/marketplace</link><guid>https://blog.example/marketplace</guid><pubDate>Sun, 06 Dec 2026 09:00:00 GMT</pubDate><description>Templates you can install</description></item>
</channel></rss>`;

/** What Slack, GitHub, Stripe, OpenAI and Teams answer to the calls the connectors make (their documented shapes). */
function builtIn(method: string, path: string, body: Record<string, unknown>): CannedResponse | undefined {
  if (method === 'POST' && path.startsWith('/slack/chat.postMessage'))
    return { body: { ok: true, channel: body.channel ?? 'C0', ts: '1765098000.000100', message: { text: body.text } } };
  if (method === 'POST' && path.startsWith('/slack/reactions.add')) return { body: { ok: true } };
  let m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(path);
  if (m && method === 'POST')
    return {
      status: 201,
      body: {
        number: 101,
        title: body.title,
        state: 'open',
        html_url: `https://github.com/${m[1]}/${m[2]}/issues/101`,
        labels: body.labels ?? [],
      },
    };
  if (m && method === 'GET')
    return {
      body: [
        {
          number: 7,
          title: 'Crash when saving',
          state: 'open',
          labels: [{ name: 'bug' }],
          created_at: '2026-11-01T10:00:00Z',
          html_url: `https://github.com/${m[1]}/${m[2]}/issues/7`,
          user: { login: 'ada' },
        },
        {
          number: 8,
          title: 'Add dark mode',
          state: 'open',
          labels: [{ name: 'enhancement' }],
          created_at: '2026-12-05T10:00:00Z',
          html_url: `https://github.com/${m[1]}/${m[2]}/issues/8`,
          user: { login: 'grace' },
        },
        {
          number: 9,
          title: 'Login fails on Safari',
          state: 'open',
          labels: [{ name: 'bug' }],
          created_at: '2026-12-06T10:00:00Z',
          html_url: `https://github.com/${m[1]}/${m[2]}/issues/9`,
          user: { login: 'linus' },
        },
      ],
    };
  m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
  if (m && method === 'POST')
    return {
      status: 201,
      body: { id: 5001, body: body.body, html_url: `https://github.com/${m[1]}/${m[2]}/issues/${m[3]}#c5001` },
    };
  m = /^\/github\/repos\/([^/]+)\/([^/]+)$/.exec(path);
  if (m && method === 'GET')
    return { body: { full_name: `${m[1]}/${m[2]}`, stargazers_count: 1234, forks_count: 56, open_issues_count: 7 } };
  if (method === 'GET' && path === '/stripe/v1/charges')
    return {
      body: {
        object: 'list',
        has_more: false,
        data: [
          {
            id: 'ch_1',
            amount: 12000,
            currency: 'usd',
            status: 'succeeded',
            paid: true,
            refunded: false,
            billing_details: { email: 'big@example.com' },
            created: 1765000000,
          },
          {
            id: 'ch_2',
            amount: 1500,
            currency: 'usd',
            status: 'failed',
            paid: false,
            refunded: false,
            failure_message: 'Your card was declined.',
            billing_details: { email: 'small@example.com' },
            created: 1765000100,
          },
          {
            id: 'ch_3',
            amount: 4500,
            currency: 'usd',
            status: 'succeeded',
            paid: true,
            refunded: false,
            billing_details: { email: 'mid@example.com' },
            created: 1765000200,
          },
        ],
      },
    };
  if (method === 'GET' && path === '/stripe/v1/customers')
    return {
      body: {
        object: 'list',
        has_more: false,
        data: [
          { id: 'cus_1', email: 'ada@example.com', name: 'Ada', created: 1765000000 },
          { id: 'cus_2', email: 'grace@example.com', name: 'Grace', created: 1765003600 },
        ],
      },
    };
  if (method === 'GET' && path === '/stripe/v1/invoices')
    return {
      body: {
        object: 'list',
        has_more: false,
        data: [
          {
            id: 'in_1',
            customer_email: 'late@example.com',
            amount_due: 9900,
            currency: 'usd',
            status: 'open',
            due_date: 1764000000,
            hosted_invoice_url: 'https://pay.example/in_1',
          },
          {
            id: 'in_2',
            customer_email: 'paid@example.com',
            amount_due: 0,
            currency: 'usd',
            status: 'paid',
            due_date: 1764000000,
            hosted_invoice_url: 'https://pay.example/in_2',
          },
        ],
      },
    };
  if (method === 'POST' && path === '/stripe/v1/customers')
    return { body: { id: 'cus_new', object: 'customer', email: body.email, name: body.name ?? null } };
  if (method === 'POST' && path === '/openai/chat/completions') {
    const messages = (body.messages ?? []) as Array<{ content?: string }>;
    const last = String(messages.at(-1)?.content ?? '');
    const json = (body.response_format as { type?: string } | undefined)?.type === 'json_object';
    const content = json
      ? JSON.stringify({
          category: /invoice|refund|charge/i.test(last) ? 'billing' : 'general',
          sentiment: /angry|broken|terrible|fail/i.test(last) ? 'negative' : 'positive',
          summary: last.slice(0, 60),
        })
      : `Summary: ${last.slice(0, 80)}`;
    return {
      body: {
        id: 'chatcmpl-1',
        model: String(body.model),
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
      },
    };
  }
  if (method === 'POST' && path.startsWith('/teams/')) return { body: '1', contentType: 'text/plain' };
  if (method === 'GET' && path === '/feed.xml') return { body: RSS, contentType: 'application/rss+xml' };
  return undefined;
}

/**
 * Starts the fake APIs on 127.0.0.1: Slack under `/slack`, GitHub under `/github`, Stripe under
 * `/stripe`, OpenAI under `/openai`, Teams webhooks under `/teams`, an RSS feed at `/feed.xml`,
 * and whatever a test puts in `responses`.
 */
export async function startTemplateApiServer(): Promise<TemplateApiServer> {
  const state: TemplateApiServer = { url: '', requests: [], responses: {}, close: async () => {} };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = Object.fromEntries(new URLSearchParams(text));
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] as string;
    state.requests.push({ method, path, headers: req.headers, body });
    const answer = state.responses[`${method} ${path}`] ??
      builtIn(method, path, (body ?? {}) as Record<string, unknown>) ?? {
        status: 404,
        body: { error: `no fake for ${method} ${path}` },
      };
    const type = answer.contentType ?? 'application/json';
    res.writeHead(answer.status ?? 200, { 'content-type': type });
    res.end(type === 'application/json' ? JSON.stringify(answer.body) : String(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}
