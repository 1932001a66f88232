import type { JsonObject } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import type { HttpClient, HttpRequest } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { defineTrigger } from '../../kit/define-trigger.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';
import { nextLink } from '../http-request/pagination.js';

const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

function repoParts(repo: string): [string, string] {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(repo.trim());
  if (!m) throw new Error(`Repository "${repo}" must look like "owner/name"`);
  return [m[1]!, m[2]!];
}

async function getAll(http: HttpClient, first: HttpRequest, max: number): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  let req: HttpRequest | undefined = first;
  while (req && out.length < max) {
    const res = await http.request<JsonObject[]>({ ...req, headers: HEADERS });
    out.push(...res.body);
    const next = nextLink(res.headers.link);
    req = next ? { url: next, ...(req.signal ? { signal: req.signal } : {}) } : undefined;
  }
  return out.slice(0, max);
}

/**
 * Creates the GitHub connector against an API base URL (default `https://api.github.com`; GitHub
 * Enterprise uses `https://HOST/api/v3`).
 *
 * @example
 * ```ts
 * const github = createGithubConnector();
 * registry.register(...connectorNodeTypes(github, runtime));
 * ```
 */
export function createGithubConnector(options: { baseUrl?: string } = {}) {
  const base = (options.baseUrl ?? 'https://api.github.com').replace(/\/$/, '');
  const token = Auth.bearer({
    type: 'github.token',
    displayName: 'GitHub token',
    description: 'A fine-grained or classic personal access token, or an app installation token.',
    fields: {
      webhookSecret: Property.SecretText({
        label: 'Webhook secret',
        description: 'Verifies webhook deliveries',
        expressions: false,
      }),
    },
    test: async ({ http, signal }) => {
      await http.request({ url: `${base}/user`, headers: HEADERS, signal });
    },
  });
  const repo = Property.Dropdown({ label: 'Repository', loader: 'listRepos', searchable: true, required: true });
  const url = (repoName: string, path: string) => {
    const [owner, name] = repoParts(repoName);
    return `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}${path}`;
  };

  const getRepository = defineAction({
    name: 'getRepository',
    displayName: 'Get repository',
    description: 'Fetches a repository',
    sideEffects: 'none',
    props: { repo },
    run: async (ctx) =>
      (await ctx.http.request<JsonObject>({ url: url(ctx.props.repo, ''), headers: HEADERS, signal: ctx.signal })).body,
  });

  const createIssue = defineAction({
    name: 'createIssue',
    displayName: 'Create issue',
    description: 'Opens an issue',
    sideEffects: 'once',
    props: {
      repo,
      title: Property.ShortText({ label: 'Title', required: true }),
      body: Property.LongText({ label: 'Body' }),
      labels: Property.ShortText({ label: 'Labels', description: 'Comma-separated' }),
    },
    run: async (ctx) => {
      const p = ctx.props;
      const labels = (p.labels ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const json = { title: p.title, ...(p.body ? { body: p.body } : {}), ...(labels.length ? { labels } : {}) };
      return (
        await ctx.http.request<JsonObject>({
          method: 'POST',
          url: url(p.repo, '/issues'),
          json,
          headers: HEADERS,
          signal: ctx.signal,
        })
      ).body;
    },
  });

  const createComment = defineAction({
    name: 'createComment',
    displayName: 'Comment on issue',
    description: 'Adds a comment to an issue or pull request',
    sideEffects: 'once',
    props: {
      repo,
      issue: Property.Number({ label: 'Issue number', required: true, integer: true, min: 1 }),
      body: Property.LongText({ label: 'Comment', required: true }),
    },
    run: async (ctx) =>
      (
        await ctx.http.request<JsonObject>({
          method: 'POST',
          url: url(ctx.props.repo, `/issues/${ctx.props.issue}/comments`),
          json: { body: ctx.props.body },
          headers: HEADERS,
          signal: ctx.signal,
        })
      ).body,
  });

  const state = Property.StaticDropdown({
    label: 'State',
    options: [
      { value: 'open', label: 'Open' },
      { value: 'closed', label: 'Closed' },
      { value: 'all', label: 'All' },
    ],
    default: 'open',
  });
  const listIssues = defineAction({
    name: 'listIssues',
    displayName: 'List issues',
    description: 'Lists issues, following Link-header pagination',
    sideEffects: 'none',
    props: { repo, state, limit: Property.Number({ label: 'Most issues', default: 100, integer: true, min: 1 }) },
    run: (ctx) =>
      getAll(
        ctx.http,
        { url: url(ctx.props.repo, '/issues'), query: { state: ctx.props.state, per_page: 100 }, signal: ctx.signal },
        ctx.props.limit,
      ),
  });

  const newIssue = defineTrigger({
    kind: 'polling',
    name: 'newIssue',
    displayName: 'New issue',
    description: 'Fires for each newly opened issue',
    props: { repo },
    dedupe: { by: 'id', field: 'number' },
    intervalMs: 60_000,
    poll: async (ctx) =>
      (
        await ctx.http.request<JsonObject[]>({
          url: url(ctx.props.repo, '/issues'),
          query: { state: 'all', sort: 'created', direction: 'desc', per_page: 50 },
          headers: HEADERS,
          signal: ctx.signal,
        })
      ).body,
  });

  const webhook = defineTrigger({
    kind: 'webhook',
    name: 'webhook',
    displayName: 'Webhook event',
    description: 'Fires for each webhook delivery (push, issues, pull_request, ...)',
    props: {
      events: Property.ShortText({
        label: 'Events',
        description: 'Comma-separated X-GitHub-Event names; empty for all',
      }),
    },
    docs: "Deliveries are verified with the credential's webhook secret (`X-Hub-Signature-256`). `ping` deliveries are answered and start nothing.",
    verification: (_p, credential) => ({
      type: 'hmac',
      header: 'x-hub-signature-256',
      prefix: 'sha256=',
      secret: String(credential?.data.webhookSecret ?? ''),
    }),
    handle: (request, ctx) => {
      const event = request.headers['x-github-event'] ?? '';
      if (event === 'ping') return { items: [], response: { status: 200, headers: {}, body: 'pong' } };
      const wanted = (ctx.props.events ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (wanted.length && !wanted.includes(event)) return [];
      const payload = JSON.parse(new TextDecoder().decode(request.rawBody)) as JsonObject;
      return [{ event, delivery: request.headers['x-github-delivery'] ?? null, payload }];
    },
  });

  return defineConnector({
    name: 'github',
    displayName: 'GitHub',
    description: 'Repositories, issues and comments on GitHub.',
    version: '1.0.0',
    icon: svgIcon(
      '#24292F',
      '<circle cx="7" cy="6" r="2"/><circle cx="7" cy="18" r="2"/><circle cx="17" cy="8" r="2"/><path d="M7 8v8M17 10c0 4-10 2-10 6"/>',
    ),
    auth: token,
    actions: [getRepository, createIssue, createComment, listIssues],
    triggers: [newIssue, webhook],
    optionLoaders: {
      listRepos: async (ctx) => {
        const repos = await getAll(
          ctx.http,
          { url: `${base}/user/repos`, query: { per_page: 100, sort: 'updated' }, signal: ctx.signal },
          500,
        );
        return repos.map((r) => ({ value: String(r.full_name), label: String(r.full_name) }));
      },
    },
  });
}

/**
 * The GitHub connector against api.github.com.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(githubConnector, runtime));
 * ```
 */
export const githubConnector = createGithubConnector();
