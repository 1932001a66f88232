import type { Item, JsonObject, JsonValue, ParameterValues } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import type { HttpRequest, HttpResponse, MultipartPart } from '../../http/http-types.js';
import type { ActionContext } from '../../kit/connector-context.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';
import { getPath, type Pagination, paginate } from './pagination.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const pair = () => ({
  name: Property.ShortText({ label: 'Name', required: true }),
  value: Property.ShortText({ label: 'Value' }),
});
const show = (key: string, values: string[]) => ({ displayOptions: { show: { [key]: values } } });

const props = {
  method: Property.StaticDropdown({
    label: 'Method',
    options: METHODS.map((m) => ({ value: m, label: m })),
    default: 'GET',
  }),
  url: Property.ShortText({ label: 'URL', required: true, placeholder: 'https://api.example.com/items' }),
  query: Property.Array({ label: 'Query parameters', fields: pair() }),
  headers: Property.Array({ label: 'Headers', fields: pair() }),
  bodyType: Property.StaticDropdown({
    label: 'Body',
    options: [
      { value: 'none', label: 'None' },
      { value: 'json', label: 'JSON' },
      { value: 'form', label: 'Form (URL-encoded)' },
      { value: 'multipart', label: 'Multipart form' },
      { value: 'raw', label: 'Raw' },
      { value: 'binary', label: 'File (binary)' },
    ],
    default: 'none',
  }),
  bodyBinaryProperty: Property.ShortText({
    label: 'File from binary property',
    description: 'Sends this binary property of the input item as the body, with its MIME type',
    default: 'data',
    ...show('bodyType', ['binary']),
  }),
  jsonBody: Property.Json({ label: 'JSON body', ...show('bodyType', ['json']) }),
  formFields: Property.Array({ label: 'Form fields', fields: pair(), ...show('bodyType', ['form']) }),
  multipartFields: Property.Array({
    label: 'Multipart fields',
    fields: {
      ...pair(),
      binaryProperty: Property.ShortText({
        label: 'File from binary property',
        description: "Sends the input item's binary data instead of the value",
      }),
      fileName: Property.ShortText({ label: 'File name' }),
    },
    ...show('bodyType', ['multipart']),
  }),
  rawBody: Property.LongText({ label: 'Raw body', ...show('bodyType', ['raw']) }),
  rawContentType: Property.ShortText({ label: 'Content type', default: 'text/plain', ...show('bodyType', ['raw']) }),
  responseFormat: Property.StaticDropdown({
    label: 'Response format',
    options: [
      { value: 'auto', label: 'Auto-detect' },
      { value: 'json', label: 'JSON' },
      { value: 'text', label: 'Text' },
      { value: 'binary', label: 'File (binary)' },
    ],
    default: 'auto',
  }),
  itemsPath: Property.ShortText({
    label: 'Split items at',
    description: 'Dotted path of an array in the response, e.g. data.items',
  }),
  fullResponse: Property.Checkbox({ label: 'Include status and headers', default: false }),
  ignoreHttpErrors: Property.Checkbox({ label: 'Succeed on HTTP errors', default: false }),
  pagination: Property.StaticDropdown({
    label: 'Pagination',
    options: [
      { value: 'none', label: 'None' },
      { value: 'nextUrl', label: 'Next URL in the body' },
      { value: 'linkHeader', label: 'Link header (rel="next")' },
      { value: 'offset', label: 'Offset parameter' },
      { value: 'page', label: 'Page-number parameter' },
      { value: 'cursor', label: 'Cursor from the body' },
    ],
    default: 'none',
  }),
  paginationPath: Property.ShortText({ label: 'Next URL / cursor path', ...show('pagination', ['nextUrl', 'cursor']) }),
  paginationParam: Property.ShortText({ label: 'Page parameter', ...show('pagination', ['offset', 'page', 'cursor']) }),
  pageSize: Property.Number({ label: 'Page size', integer: true, min: 1, ...show('pagination', ['offset']) }),
  pageSizeParam: Property.ShortText({ label: 'Page-size parameter', ...show('pagination', ['offset']) }),
  maxPages: Property.Number({ label: 'Most pages', default: 10, integer: true, min: 1, max: 1000 }),
  timeoutMs: Property.Number({ label: 'Timeout (ms)', default: 30_000, integer: true, min: 1 }),
  retries: Property.Number({ label: 'Retries', default: 2, integer: true, min: 0, max: 10 }),
};

type Values = ActionContext<ParameterValues<typeof props>>;

function paginationOf(p: Values['props']): Pagination {
  const need = (v: string | number | undefined, label: string) => {
    if (v === undefined || v === '') throw new Error(`Pagination "${p.pagination}" needs "${label}"`);
    return v;
  };
  switch (p.pagination) {
    case 'nextUrl':
      return { type: 'nextUrl', path: String(need(p.paginationPath, 'Next URL / cursor path')) };
    case 'linkHeader':
      return { type: 'linkHeader' };
    case 'offset':
      return {
        type: 'offset',
        param: String(need(p.paginationParam, 'Page parameter')),
        pageSize: Number(need(p.pageSize, 'Page size')),
        ...(p.pageSizeParam ? { sizeParam: p.pageSizeParam } : {}),
      };
    case 'page':
      return { type: 'page', param: String(need(p.paginationParam, 'Page parameter')) };
    case 'cursor':
      return {
        type: 'cursor',
        param: String(need(p.paginationParam, 'Page parameter')),
        path: String(need(p.paginationPath, 'Next URL / cursor path')),
      };
    default:
      return { type: 'none' };
  }
}

async function buildRequest(ctx: Values): Promise<HttpRequest> {
  const p = ctx.props;
  const req: HttpRequest = {
    method: p.method,
    url: p.url,
    query: Object.fromEntries((p.query ?? []).map((q) => [q.name, q.value ?? ''])),
    headers: Object.fromEntries((p.headers ?? []).map((h) => [h.name, h.value ?? ''])),
    timeoutMs: p.timeoutMs,
    retry: { attempts: p.retries + 1 },
    throwHttpErrors: !p.ignoreHttpErrors,
    responseType: p.responseFormat === 'binary' ? 'bytes' : p.responseFormat,
    signal: ctx.signal,
  };
  if (p.bodyType === 'json') req.json = p.jsonBody ?? null;
  if (p.bodyType === 'form') req.form = Object.fromEntries((p.formFields ?? []).map((f) => [f.name, f.value ?? '']));
  if (p.bodyType === 'raw') {
    req.body = p.rawBody ?? '';
    req.headers = { 'content-type': p.rawContentType, ...req.headers };
  }
  if (p.bodyType === 'binary') {
    const name = p.bodyBinaryProperty || 'data';
    const ref = ctx.item?.binary?.[name];
    if (!ref) throw new Error(`Body: the input item has no binary property "${name}" to send`);
    req.body = await ctx.binary.get(ref);
    req.headers = { 'content-type': ref.mimeType, ...req.headers };
  }
  if (p.bodyType === 'multipart') {
    const parts: Record<string, MultipartPart> = {};
    for (const f of p.multipartFields ?? []) {
      if (!f.binaryProperty) {
        parts[f.name] = f.value ?? '';
        continue;
      }
      const ref = ctx.item?.binary?.[f.binaryProperty];
      if (!ref)
        throw new Error(`Multipart field "${f.name}": the input item has no binary property "${f.binaryProperty}"`);
      parts[f.name] = {
        data: await ctx.binary.get(ref),
        contentType: ref.mimeType,
        fileName: f.fileName || ref.fileName || f.name,
      };
    }
    req.multipart = parts;
  }
  return req;
}

async function pageItems(ctx: Values, res: HttpResponse): Promise<Item[]> {
  const p = ctx.props;
  if (p.responseFormat === 'binary' || res.body instanceof Uint8Array) {
    const mimeType = res.headers['content-type']?.split(';')[0] ?? 'application/octet-stream';
    const fileName =
      /filename="?([^";]+)"?/.exec(res.headers['content-disposition'] ?? '')?.[1] ??
      new URL(res.url).pathname.split('/').pop();
    const ref = await ctx.binary.put(res.bytes, { mimeType, ...(fileName ? { fileName } : {}) });
    const json: JsonObject = { mimeType, size: res.bytes.byteLength, ...(fileName ? { fileName } : {}) };
    if (p.fullResponse) Object.assign(json, { status: res.status, headers: res.headers });
    return [{ json, binary: { data: ref } }];
  }
  const body = res.body as JsonValue;
  if (p.fullResponse) return [{ json: { status: res.status, headers: res.headers, body } }];
  const list = p.itemsPath ? getPath(body, p.itemsPath) : body;
  if (p.itemsPath && !Array.isArray(list)) {
    throw new Error(`"Split items at" path "${p.itemsPath}" is not an array in the response`);
  }
  if (Array.isArray(list)) return list.map((v) => ({ json: isObject(v) ? v : { value: v } }));
  return [{ json: isObject(body) ? body : { data: body ?? null } }];
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const request = defineAction({
  name: 'request',
  displayName: 'HTTP Request',
  aliases: ['api', 'rest', 'fetch', 'curl', 'get', 'post'],
  description: 'Sends an HTTP request and outputs the response',
  sideEffects: 'once',
  props,
  docs:
    'Arrays in the response (or at "Split items at") become one item each. Binary responses become an item with ' +
    '`binary.data`. Pagination follows next URLs, Link headers, offsets, page numbers or cursors up to "Most pages". ' +
    'Private and loopback addresses are refused unless the host allow-lists them.',
  sample: { id: 1, name: 'example' },
  async run(ctx) {
    const first = await buildRequest(ctx);
    const pagination = paginationOf(ctx.props);
    const itemsOf = (res: HttpResponse) => {
      const list = ctx.props.itemsPath ? getPath(res.body, ctx.props.itemsPath) : res.body;
      return Array.isArray(list) ? (list as JsonValue[]) : undefined;
    };
    const pages = await paginate((r) => ctx.http.request(r), first, pagination, itemsOf, ctx.props.maxPages);
    const out: Item[] = [];
    for (const page of pages) out.push(...(await pageItems(ctx, page)));
    return out;
  },
});

const headerAuth = Auth.custom({
  type: 'http.headerAuth',
  displayName: 'Header auth',
  fields: {
    name: Property.ShortText({ label: 'Header name', required: true, expressions: false }),
    value: Property.SecretText({ label: 'Header value', required: true, expressions: false }),
  },
  sign: (r, d) => r.headers.set(String(d.name), String(d.value)),
});
const queryAuth = Auth.custom({
  type: 'http.queryAuth',
  displayName: 'Query auth',
  fields: {
    name: Property.ShortText({ label: 'Parameter name', required: true, expressions: false }),
    value: Property.SecretText({ label: 'Parameter value', required: true, expressions: false }),
  },
  sign: (r, d) => r.url.searchParams.set(String(d.name), String(d.value)),
});

const genericOAuth2 = Auth.oauth2({
  type: 'http.oauth2',
  displayName: 'OAuth2 API',
  description:
    'Any OAuth2 provider, authorization code with PKCE: register the redirect URL shown here with the provider, save, then Connect.',
  grant: 'authorizationCode',
  endpointsFromCredential: true,
  tokenUrl: '',
  scopes: [],
  fields: {
    authorizationUrl: Property.ShortText({ label: 'Authorization URL', required: true, expressions: false }),
    tokenUrl: Property.ShortText({ label: 'Access token URL', required: true, expressions: false }),
    scope: Property.ShortText({ label: 'Scope', description: 'Space-separated', expressions: false }),
    clientAuth: Property.StaticDropdown({
      label: 'Client authentication',
      options: [
        { value: 'header', label: 'Send as basic auth header' },
        { value: 'body', label: 'Send client credentials in body' },
      ],
      default: 'header',
    }),
  },
});

/**
 * The HTTP Request connector (`http.request`): any method; query, JSON, form, multipart and raw
 * bodies; pagination; binary responses; optional basic, bearer, header, query or OAuth2 credentials.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(httpRequestConnector, runtime));
 * ```
 */
export const httpRequestConnector = defineConnector({
  name: 'http',
  displayName: 'HTTP Request',
  description: 'Calls any HTTP API.',
  version: '1.0.0',
  icon: svgIcon(
    '#0B7285',
    '<circle cx="12" cy="12" r="8"/><path d="M4 12h16M12 4c2.5 2.2 3.5 5 3.5 8s-1 5.8-3.5 8M12 4c-2.5 2.2-3.5 5-3.5 8s1 5.8 3.5 8"/>',
  ),
  group: 'action',
  auth: [
    Auth.none(),
    Auth.basic({ type: 'http.basic', displayName: 'Basic auth' }),
    Auth.bearer({ type: 'http.bearer', displayName: 'Bearer token' }),
    headerAuth,
    queryAuth,
    genericOAuth2,
  ],
  actions: [request],
});
