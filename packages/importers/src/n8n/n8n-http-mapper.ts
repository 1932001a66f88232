import { single, unsupported } from '../mapped-node.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { composed, n8nValue } from './n8n-values.js';

type Params = Record<string, unknown>;

const pairs = (group: unknown, key = 'parameters'): Params[] =>
  (((group as Params | undefined)?.[key] as Params[] | undefined) ?? []).map((r) => ({
    name: r.name,
    value: n8nValue(r.value ?? ''),
  }));

const parsedJson = (v: unknown) => composed((js) => `((v) => (typeof v === 'string' ? JSON.parse(v) : v))(${js})`, v);

const GENERIC_AUTH: Record<string, string> = {
  httpBasicAuth: 'http.basic',
  basicAuth: 'http.basic',
  httpHeaderAuth: 'http.headerAuth',
  headerAuth: 'http.headerAuth',
  httpQueryAuth: 'http.queryAuth',
  queryAuth: 'http.queryAuth',
  httpBearerAuth: 'http.bearer',
};

function authOf(p: Params, v: number): { type?: string; unsupported?: string } {
  const mode = String(p.authentication ?? 'none');
  if (mode === 'none') return {};
  if (v < 2 || (mode !== 'genericCredentialType' && mode !== 'predefinedCredentialType')) {
    const t = GENERIC_AUTH[mode];
    return t ? { type: t } : { unsupported: `authentication "${mode}"` };
  }
  if (mode === 'predefinedCredentialType') {
    return { unsupported: `authentication with n8n's "${p.nodeCredentialType}" credential` };
  }
  const t = GENERIC_AUTH[String(p.genericAuthType ?? '')];
  return t ? { type: t } : { unsupported: `authentication "${p.genericAuthType}"` };
}

const RESPONSE: Record<string, string> = {
  autodetect: 'auto',
  json: 'json',
  text: 'text',
  string: 'text',
  file: 'binary',
};
const CONTENT: Record<string, string> = {
  json: 'json',
  'form-urlencoded': 'form',
  'multipart-form-data': 'multipart',
  raw: 'raw',
};

function bodyV1(p: Params, diffs: string[]): Params {
  const opts = optionsOf(p);
  const contentType = CONTENT[String(opts.bodyContentType ?? 'json')] ?? 'json';
  if (p.jsonParameters) {
    const json = p.bodyParametersJson;
    return json ? { bodyType: 'json', jsonBody: parsedJson(json) } : { bodyType: 'none' };
  }
  const fields = pairs(p.bodyParametersUi, 'parameter');
  if (!fields.length) return { bodyType: 'none' };
  if (contentType === 'json')
    return { bodyType: 'json', jsonBody: Object.fromEntries(fields.map((f) => [f.name, f.value])) };
  if (contentType === 'multipart') diffs.push('multipart fields are sent as text fields');
  return contentType === 'form'
    ? { bodyType: 'form', formFields: fields }
    : { bodyType: 'multipart', multipartFields: fields };
}

function bodyV3(p: Params, diffs: string[]): Params | string {
  if (!p.sendBody) return { bodyType: 'none' };
  const ct = String(p.contentType ?? 'json');
  if (ct === 'binaryData') return 'a binary-file body';
  const bodyType = CONTENT[ct];
  if (!bodyType) return `content type "${ct}"`;
  if (bodyType === 'raw')
    return { bodyType, rawBody: n8nValue(p.body ?? ''), rawContentType: p.rawContentType ?? 'text/plain' };
  if (p.specifyBody === 'json' && bodyType === 'json') return { bodyType, jsonBody: parsedJson(p.jsonBody ?? '{}') };
  if (p.specifyBody === 'string')
    return { bodyType: 'raw', rawBody: n8nValue(p.body ?? ''), rawContentType: 'application/x-www-form-urlencoded' };
  const rows = ((p.bodyParameters as Params | undefined)?.parameters as Params[] | undefined) ?? [];
  const fields = rows.map((r) => ({ name: r.name, value: n8nValue(r.value ?? '') }));
  if (bodyType === 'json') return { bodyType, jsonBody: Object.fromEntries(fields.map((f) => [f.name, f.value])) };
  if (bodyType === 'form') return { bodyType, formFields: fields };
  const multipart = rows.map((r) =>
    r.parameterType === 'formBinaryData'
      ? { name: r.name, value: '', binaryProperty: n8nValue(r.inputDataFieldName ?? 'data') }
      : { name: r.name, value: n8nValue(r.value ?? '') },
  );
  if (multipart.length === 0) diffs.push('an empty multipart body');
  return { bodyType, multipartFields: multipart };
}

function pagination(opts: Params, diffs: string[]): Params | string {
  const pg = ((opts.pagination as Params | undefined)?.pagination as Params | undefined) ?? {};
  const mode = String(pg.paginationMode ?? 'off');
  const maxPages = pg.limitPagesFetched ? Number(pg.maxRequests ?? 100) : 1000;
  if (mode === 'off') return { pagination: 'none' };
  if (mode === 'responseContainsNextURL') {
    const m = /^=?\{\{\s*\$response\.body\.([\w.]+)\s*\}\}$/.exec(String(pg.nextURL ?? ''));
    if (!m) return `next-URL pagination by "${pg.nextURL}"`;
    diffs.push('pagination stops when the next URL is missing (n8n\'s "complete when" setting is not read)');
    return { pagination: 'nextUrl', paginationPath: m[1], maxPages };
  }
  const params = ((pg.parameters as Params | undefined)?.parameters as Params[] | undefined) ?? [];
  const [first] = params;
  if (params.length !== 1 || !first || first.type !== 'qs')
    return 'pagination that updates several or non-query parameters';
  const value = String(first.value ?? '');
  if (/\$pageCount\s*\+\s*1/.test(value)) {
    diffs.push('pagination stops on an empty page (n8n\'s "complete when" setting is not read)');
    return { pagination: 'page', paginationParam: first.name, maxPages };
  }
  const cursor = /^=?\{\{\s*\$response\.body\.([\w.]+)\s*\}\}$/.exec(value);
  if (cursor) {
    diffs.push('pagination stops when the cursor is missing (n8n\'s "complete when" setting is not read)');
    return { pagination: 'cursor', paginationParam: first.name, paginationPath: cursor[1], maxPages };
  }
  return `pagination by "${value}"`;
}

/** HTTP Request v1–v4: method, URL, auth, query/header/body modes, pagination, response format. */
export const httpMapper: N8nMapper = (p, v) => {
  const diffs: string[] = [];
  const auth = authOf(p, v);
  if (auth.unsupported) return unsupported(`HTTP Request ${auth.unsupported}: create a Weft HTTP credential instead`);
  const opts = optionsOf(p);
  let params: Params;
  if (v < 3) {
    const fmt = RESPONSE[String(p.responseFormat ?? 'json')] ?? 'auto';
    params = {
      method: p.requestMethod ?? 'GET',
      url: n8nValue(p.url ?? ''),
      query: p.jsonParameters ? [] : pairs(p.queryParametersUi, 'parameter'),
      headers: p.jsonParameters ? [] : pairs(p.headerParametersUi, 'parameter'),
      ...bodyV1(p, diffs),
      responseFormat: fmt,
      fullResponse: opts.fullResponse === true,
    };
    if (p.jsonParameters && (p.queryParametersJson || p.headerParametersJson)) {
      diffs.push('JSON query and header parameters are not carried over: add them as pairs');
    }
    if (fmt === 'text') diffs.push(`the text response is in "body", not "${p.dataPropertyName ?? 'data'}"`);
  } else {
    const body = bodyV3(p, diffs);
    if (typeof body === 'string') return unsupported(`HTTP Request with ${body}`);
    const response = ((opts.response as Params | undefined)?.response as Params | undefined) ?? {};
    const pages = pagination(opts, diffs);
    if (typeof pages === 'string') return unsupported(`HTTP Request ${pages}`);
    if ((p.sendQuery && p.specifyQuery === 'json') || (p.sendHeaders && p.specifyHeaders === 'json')) {
      diffs.push('JSON query and header parameters are not carried over: add them as pairs');
    }
    params = {
      method: p.method ?? 'GET',
      url: n8nValue(p.url ?? ''),
      query: p.sendQuery && p.specifyQuery !== 'json' ? pairs(p.queryParameters) : [],
      headers: p.sendHeaders && p.specifyHeaders !== 'json' ? pairs(p.headerParameters) : [],
      ...body,
      responseFormat: RESPONSE[String(response.responseFormat ?? 'autodetect')] ?? 'auto',
      fullResponse: response.fullResponse === true,
      ignoreHttpErrors: response.neverError === true,
      ...pages,
    };
    if (opts.batching) diffs.push('request batching is not available');
  }
  if (opts.timeout) params.timeoutMs = Number(opts.timeout);
  if (opts.allowUnauthorizedCerts) diffs.push('invalid TLS certificates are never accepted');
  if (opts.proxy) diffs.push('proxies are not available');
  diffs.push('Weft retries failed requests twice by default and refuses private addresses unless the host allows them');
  return single('http.request', params, { differences: diffs, ...(auth.type ? { credentialType: auth.type } : {}) });
};
