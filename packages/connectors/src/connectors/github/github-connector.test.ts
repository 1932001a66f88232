import { MemoryTriggerStateStore, NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { loadOptions } from '../../kit/load-options.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { handleTriggerWebhook, pollTrigger } from '../../triggers/trigger-runners.js';
import { signWebhookPayload } from '../../triggers/webhook-verification.js';
import { createGithubConnector } from './github-connector.js';

let gh: LocalServer;
const issues = Array.from({ length: 5 }, (_, i) => ({
  id: 100 + i,
  number: i + 1,
  title: `Issue ${i + 1}`,
  state: 'open',
}));
beforeAll(async () => {
  gh = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.headers.authorization !== 'Bearer ghp_good') return sendJson(res, 401, { message: 'Bad credentials' });
    if (req.headers['x-github-api-version'] !== '2022-11-28')
      return sendJson(res, 400, { message: 'missing version header' });
    const page = Number(url.searchParams.get('page') ?? 1);
    const paged = (all: object[], per: number) => {
      const last = Math.ceil(all.length / per);
      const link =
        page < last ? { link: `<${gh.url}${url.pathname}?per_page=${per}&page=${page + 1}>; rel="next"` } : undefined;
      return sendJson(res, 200, all.slice((page - 1) * per, page * per), link);
    };
    if (url.pathname === '/user') return sendJson(res, 200, { login: 'octo' });
    if (url.pathname === '/user/repos')
      return paged([{ full_name: 'octo/hello' }, { full_name: 'octo/world' }, { full_name: 'acme/hello-x' }], 2);
    if (url.pathname === '/repos/octo/missing') return sendJson(res, 404, { message: 'Not Found' });
    if (url.pathname === '/repos/octo/hello') return sendJson(res, 200, { full_name: 'octo/hello', private: false });
    if (url.pathname === '/repos/octo/hello/issues' && req.method === 'POST') {
      const body = JSON.parse(req.body.toString());
      if (!body.title.trim())
        return sendJson(res, 422, {
          message: 'Validation Failed',
          errors: [{ field: 'title', code: 'missing_field' }],
        });
      return sendJson(res, 201, { number: 6, title: body.title, labels: body.labels ?? [] });
    }
    if (url.pathname === '/repos/octo/hello/issues') {
      if (url.searchParams.get('sort') === 'created') return sendJson(res, 200, [...issues].reverse());
      return paged(issues, 2);
    }
    if (url.pathname === '/repos/octo/hello/issues/1/comments')
      return sendJson(res, 201, { id: 9, body: JSON.parse(req.body.toString()).body });
    return sendJson(res, 404, { message: 'Not Found' });
  });
});
afterAll(() => gh.close());

const github = () => createGithubConnector({ baseUrl: gh.url });
const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
const credential = { id: 'g', type: 'github.token', data: { token: 'ghp_good', webhookSecret: 'hook-secret' } };
const node = (type: string) => new NodeRegistry().register(...connectorNodeTypes(github(), runtime)).get(type)!;

describe('GitHub', () => {
  it('gets a repository and reports 404s with the API message', async () => {
    expect(
      (await runNode(node('github.getRepository'), { params: { repo: 'octo/hello' }, credential }))[0]?.json.full_name,
    ).toBe('octo/hello');
    await expect(
      runNode(node('github.getRepository'), { params: { repo: 'octo/missing' }, credential }),
    ).rejects.toThrow(/HTTP 404: .*Not Found/);
    await expect(runNode(node('github.getRepository'), { params: { repo: 'not a repo' }, credential })).rejects.toThrow(
      'Repository "not a repo" must look like "owner/name"',
    );
  });

  it('creates issues and comments; surfaces validation errors', async () => {
    const [issue] = await runNode(node('github.createIssue'), {
      params: { repo: 'octo/hello', title: 'Bug', labels: 'bug, p1' },
      credential,
    });
    expect(issue?.json).toEqual({ number: 6, title: 'Bug', labels: ['bug', 'p1'] });
    await expect(
      runNode(node('github.createIssue'), { params: { repo: 'octo/hello', title: ' ' }, credential }),
    ).rejects.toThrow(/HTTP 422: .*Validation Failed/);
    const [comment] = await runNode(node('github.createComment'), {
      params: { repo: 'octo/hello', issue: 1, body: 'thanks' },
      credential,
    });
    expect(comment?.json).toEqual({ id: 9, body: 'thanks' });
  });

  it('lists issues across Link-header pages, up to the limit', async () => {
    const all = await runNode(node('github.listIssues'), {
      params: { repo: 'octo/hello', state: 'open', limit: 100 },
      credential,
    });
    expect(all.map((i) => i.json.number)).toEqual([1, 2, 3, 4, 5]);
    const some = await runNode(node('github.listIssues'), {
      params: { repo: 'octo/hello', state: 'open', limit: 3 },
      credential,
    });
    expect(some).toHaveLength(3);
  });

  it('loads repositories for the dropdown across pages, with search', async () => {
    expect(await loadOptions(github(), 'listRepos', { search: 'hello', credential }, runtime)).toEqual([
      { value: 'octo/hello', label: 'octo/hello' },
      { value: 'acme/hello-x', label: 'acme/hello-x' },
    ]);
  });

  it('rejects a bad token with a 401', async () => {
    const bad = { ...credential, data: { token: 'nope' } };
    await expect(
      runNode(node('github.getRepository'), { params: { repo: 'octo/hello' }, credential: bad }),
    ).rejects.toThrow(/HTTP 401: .*Bad credentials/);
  });

  it('polls new issues: the first poll records, later polls emit only new ones', async () => {
    const c = github();
    const trigger = c.triggers[0]!;
    if (trigger.kind !== 'polling') throw new Error('expected polling');
    const rt = { ...runtime, state: new MemoryTriggerStateStore() };
    const site = { workspaceId: 'w', workflowId: 'f', nodeId: 'n', props: { repo: 'octo/hello' }, credential };
    expect(await pollTrigger(c, trigger, site, rt)).toEqual([]);
    issues.push(
      { id: 106, number: 6, title: 'Issue 6', state: 'open' },
      { id: 107, number: 7, title: 'Issue 7', state: 'open' },
    );
    expect((await pollTrigger(c, trigger, site, rt)).map((i) => i.json.number)).toEqual([6, 7]);
    expect(await pollTrigger(c, trigger, site, rt)).toEqual([]);
    expect((await pollTrigger(c, trigger, site, rt, { test: true })).map((i) => i.json.number)).toEqual([7, 6, 5]);
  });

  it('verifies webhook deliveries and answers ping', async () => {
    const c = github();
    const trigger = c.triggers[1]!;
    if (trigger.kind !== 'webhook') throw new Error('expected webhook');
    const deliver = (event: string, payload: object, secret = 'hook-secret') => {
      const raw = new TextEncoder().encode(JSON.stringify(payload));
      return handleTriggerWebhook(
        c,
        trigger,
        { workspaceId: 'w', workflowId: 'f', nodeId: 'n', props: { events: 'push' }, credential },
        {
          method: 'POST',
          path: 'gh',
          headers: {
            'content-type': 'application/json',
            'x-github-event': event,
            'x-hub-signature-256': `sha256=${signWebhookPayload(secret, raw)}`,
          },
          query: {},
          rawBody: raw,
        },
        runtime,
      );
    };
    expect(await deliver('ping', { zen: 'hi' })).toMatchObject({
      accepted: true,
      items: [],
      response: { body: 'pong' },
    });
    expect(await deliver('push', { ref: 'refs/heads/main' })).toMatchObject({
      items: [{ json: { event: 'push', payload: { ref: 'refs/heads/main' } } }],
    });
    expect(await deliver('issues', {})).toMatchObject({ accepted: true, items: [] });
    expect(await deliver('push', {}, 'forged')).toMatchObject({ accepted: false, response: { status: 403 } });
  });
});
