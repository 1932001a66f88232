import type { TObject } from '@sinclair/typebox';
import { OpenApiSchemas } from './openapi-schemas.js';
import type { AnyRoute } from './route.js';
import { ProblemSchema } from './schemas.js';

/**
 * Builds the OpenAPI 3.1 document from the same route schemas that validate requests.
 *
 * @example
 * ```ts
 * app.get('/api/openapi.json', (_req, res) => res.json(openApiDocument(routes, { title: 'Weft' })));
 * ```
 */
export function openApiDocument(
  routes: AnyRoute[],
  info: { title: string; version: string; serverUrl: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas = new OpenApiSchemas();
  const plain = (s: unknown) => schemas.of(s);
  const problem = {
    description: 'Problem (RFC 9457)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    for (const [name, s] of Object.entries((r.params as TObject | undefined)?.properties ?? {})) {
      parameters.push({ name, in: 'path', required: true, schema: plain(s) });
    }
    const q = r.query as TObject | undefined;
    for (const [name, s] of Object.entries(q?.properties ?? {})) {
      parameters.push({ name, in: 'query', required: (q?.required ?? []).includes(name), schema: plain(s) });
    }
    if (r.stream)
      parameters.push({
        name: 'access_token',
        in: 'query',
        required: false,
        schema: { type: 'string' },
        description: 'Token for clients that cannot set headers',
      });
    const ok = String(r.status ?? 200);
    const op: Record<string, unknown> = {
      operationId: `${r.method}${r.path.replace(/[/:{}-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: r.summary,
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              // An absent body is validated as {}: optional exactly when the schema accepts an empty object.
              required: !(r.body.type === 'object' && !(r.body.required as unknown[] | undefined)?.length),
              content: { 'application/json': { schema: plain(r.body) } },
            },
          }
        : {}),
      responses: {
        [ok]: r.stream
          ? { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }
          : ok.startsWith('3')
            ? { description: 'Redirect', headers: { Location: { schema: { type: 'string', format: 'uri' } } } }
            : r.produces
              ? { description: 'Success', content: { [r.produces]: { schema: { type: 'string' } } } }
              : {
                  description: 'Success',
                  content: { 'application/json': { schema: r.response ? plain(r.response) : {} } },
                },
        '204': { description: 'Done, no content' },
        '400': problem,
        ...(r.auth !== 'none' ? { '401': problem, '403': problem, '429': problem } : {}),
        '404': problem,
      },
      ...(r.auth === 'none' ? { security: [] } : {}),
      ...(r.auth !== 'none' && r.auth !== 'user' ? { 'x-weft-permission': r.auth } : {}),
      ...(r.scope ? { 'x-weft-scope': r.scope } : {}),
    };
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[r.method] = op;
  }
  paths['/hooks/{path}'] = {
    post: {
      operationId: 'webhook',
      summary: 'Webhook ingress of active workflows (any method the trigger allows)',
      tags: ['webhooks'],
      security: [],
      parameters: [
        { name: 'path', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
      ],
      requestBody: { content: { '*/*': { schema: {} } } },
      responses: {
        '200': { description: 'Last node output or Respond-to-Webhook response' },
        '202': { description: '{ executionId }' },
        '404': problem,
        '405': problem,
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Weft reference host API. Errors are application/problem+json with a stable `code`. ' +
        "An operation's `x-weft-permission` is what the caller's workspace role must grant: `read` (viewer), " +
        '`execute` (operator), `write` (editor), `admin`, `owner`; its `x-weft-scope` is the API-key scope ' +
        'resource (`<scope>:read` for GET, `<scope>:write` otherwise).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: { Problem: plain(ProblemSchema), ...schemas.components },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Session access token (JWT) or API key (weft_...)' },
      },
    },
  };
}

/** A self-contained HTML page rendering the OpenAPI document (no CDN needed). */
export function apiDocsPage(title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title.replace(/[<>&"]/g, '')} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2937}
h2{border-bottom:1px solid #e5e7eb;margin-top:2rem}details{border:1px solid #e5e7eb;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer}code{background:#f3f4f6;padding:0 .25rem;border-radius:3px}.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
.get{color:#059669}.post{color:#2563eb}.put{color:#d97706}.patch{color:#7c3aed}.delete{color:#dc2626}pre{background:#f9fafb;padding:.5rem;overflow:auto;font-size:12px}</style></head>
<body><h1>${title.replace(/[<>&"]/g, '')} API</h1><p>OpenAPI 3.1: <a href="openapi.json">openapi.json</a>. Authenticate with <code>Authorization: Bearer &lt;token or API key&gt;</code>.</p><div id="root">Loading…</div>
<script type="module">
const doc = await (await fetch('openapi.json')).json();
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const byTag = {};
for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags?.[0] ?? 'other'] ??= []).push({ path, method, op });
document.getElementById('root').innerHTML = Object.entries(byTag).map(([tag, ops]) => '<h2>' + esc(tag) + '</h2>' + ops.map(({ path, method, op }) =>
  '<details><summary><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary) + (op['x-weft-permission'] ? ' <small>(' + esc(op['x-weft-permission']) + ')</small>' : '') + '</summary>' +
  (op.parameters ? '<h4>Parameters</h4><pre>' + esc(JSON.stringify(op.parameters, null, 2)) + '</pre>' : '') +
  (op.requestBody ? '<h4>Body</h4><pre>' + esc(JSON.stringify(op.requestBody.content, null, 2)) + '</pre>' : '') + '</details>').join('')).join('');
</script></body></html>`;
}
