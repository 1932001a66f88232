import { chain, type Mapping, type PlannedNode, single, unsupported } from '../mapped-node.js';
import { LiteralCode, type WeftTemplate, weft } from '../n8n/n8n-values.js';
import {
  type ChangeRule,
  changeCode,
  dottedPath,
  functionCode,
  joinCode,
  msgAccessor,
  splitCode,
} from './node-red-code.js';
import type { NodeRedContext, NodeRedNode } from './node-red-node.js';
import { nrSwitch } from './node-red-switch.js';
import { valueJs, valueParam } from './node-red-values.js';

type Mapper = (n: NodeRedNode, ctx: NodeRedContext) => Mapping;

const SET_TYPES: Record<string, string> = {
  str: 'string',
  num: 'number',
  bool: 'boolean',
  json: 'json',
  date: 'auto',
  msg: 'auto',
  env: 'auto',
};

const inject: Mapper = (n) => {
  const props = (n.props as Record<string, unknown>[] | undefined) ?? [
    { p: 'payload', v: n.payload, vt: n.payloadType },
    { p: 'topic', v: n.topic, vt: 'str' },
  ];
  const fields: Record<string, unknown>[] = [];
  for (const p of props) {
    const name = String(p.p ?? 'payload');
    const v =
      name === 'payload' && p.v === undefined ? n.payload : name === 'topic' && p.v === undefined ? n.topic : p.v;
    const vt = name === 'payload' && p.vt === undefined ? n.payloadType : p.vt;
    const value = valueParam(v, vt ?? 'str');
    if (value === undefined) return unsupported(`inject value of type "${vt}" (flow/global context, JSONata)`);
    fields.push({ name: dottedPath(name), value, type: SET_TYPES[String(vt ?? 'str')] ?? 'auto' });
  }
  const diffs: string[] = [];
  const repeat = Number(n.repeat || 0);
  const crontab = String(n.crontab ?? '');
  let trigger: PlannedNode;
  if (crontab) {
    trigger = {
      key: '',
      type: 'weft.schedule',
      parameters: { mode: 'cron', cron: crontab, timezone: 'UTC', missedTicks: 'skip' },
    };
  } else if (repeat > 0) {
    const minutes = Math.max(1, Math.round(repeat / 60));
    if (repeat % 60 !== 0)
      diffs.push(`every ${repeat} s became every ${minutes} min (Weft's finest interval is a minute)`);
    trigger = {
      key: '',
      type: 'weft.schedule',
      parameters: { mode: 'interval', everyMinutes: minutes, missedTicks: 'skip' },
    };
  } else {
    trigger = { key: '', type: 'weft.manualTrigger', parameters: {} };
  }
  if (n.once) diffs.push('"inject once at start" is not available: run the workflow by hand');
  return chain([trigger, { key: 'message', type: 'weft.set', parameters: { mode: 'replace', fields } }], diffs);
};

const httpIn: Mapper = (n, ctx) => {
  const raw = String(n.url ?? '');
  const path = raw.replace(/[^a-zA-Z0-9/_-]/g, '-').replace(/^\/+/, '') || 'imported';
  const diffs = ['msg.req holds method, headers and query only; msg.res is not available'];
  if (path !== raw.replace(/^\/+/, '')) diffs.push(`path "${raw}" became "${path}" (no :params in Weft paths)`);
  const method = String(n.method ?? 'get').toUpperCase();
  const fields = [
    { name: 'payload', value: weft(method === 'GET' ? '{{ $json.query }}' : '{{ $json.body }}'), type: 'auto' },
    {
      name: 'req',
      value: weft('{{ { method: $json.method, headers: $json.headers, query: $json.query } }}'),
      type: 'auto',
    },
  ];
  return chain(
    [
      {
        key: '',
        type: 'weft.webhook',
        parameters: { path, methods: [method], responseMode: ctx.respondsFromNode ? 'respondNode' : 'immediately' },
      },
      { key: 'message', type: 'weft.set', parameters: { mode: 'replace', fields } },
    ],
    diffs,
  );
};

const httpResponse: Mapper = (n) => {
  const headers = Object.entries((n.headers as Record<string, string> | undefined) ?? {}).map(([name, value]) => ({
    name,
    value,
  }));
  return single(
    'weft.respondToWebhook',
    {
      respondWith: 'json',
      body: weft('{{ JSON.stringify($json.payload ?? null) }}'),
      statusCode: Number(n.statusCode || 200),
      headers,
    },
    {
      differences: [
        'msg.statusCode and msg.headers do not override the node settings; text payloads are sent as JSON strings',
      ],
    },
  );
};

const fn: Mapper = (n) => {
  const outputs = Math.max(1, Number(n.outputs ?? 1));
  const diffs: string[] = [];
  if (n.initialize || n.finalize) diffs.push('"On Start" and "On Stop" code is not run');
  if (Array.isArray(n.libs) && n.libs.length) diffs.push('modules (libs) are not available');
  if (/\b(context|flow|global)\.(get|set)\b/.test(String(n.func ?? '')))
    diffs.push('context, flow and global stores last one run only');
  const code = new LiteralCode(functionCode(String(n.func ?? 'return msg;'), outputs));
  if (outputs === 1) return single('weft.code', { mode: 'allItems', code }, { differences: diffs });
  const nodes: PlannedNode[] = [
    { key: '', type: 'weft.code', parameters: { mode: 'allItems', code } },
    {
      key: 'route',
      type: 'weft.switch',
      parameters: { mode: 'expression', output: weft('{{ $json._weftOutput }}'), outputs },
    },
    ...Array.from({ length: outputs }, (_, k) => ({
      key: `output ${k + 1}`,
      type: 'weft.removeFields',
      parameters: { mode: 'remove', fields: [{ name: '_weftOutput' }] },
    })),
  ];
  return {
    nodes,
    edges: [
      { from: '', to: 'route' },
      ...Array.from({ length: outputs }, (_, k) => ({ from: 'route', fromPort: `route${k}`, to: `output ${k + 1}` })),
    ],
    inputs: [{ key: '', port: 'main' }],
    outputs: Array.from({ length: outputs }, (_, k) => ({ key: `output ${k + 1}`, port: 'main' })),
    status: 'differences',
    differences: [...diffs, `${outputs} outputs are routed by a Switch on _weftOutput, removed after it`],
  };
};

const change: Mapper = (n) => {
  const rules: ChangeRule[] = [];
  for (const r of (n.rules as Record<string, unknown>[] | undefined) ?? []) {
    if ((r.pt ?? 'msg') !== 'msg') return unsupported(`change rule on ${r.pt} context`);
    const p = dottedPath(String(r.p ?? 'payload'));
    const t = String(r.t) as ChangeRule['t'];
    if (t === 'delete') rules.push({ t, p });
    else if (t === 'move') {
      if ((r.tot ?? 'msg') !== 'msg') return unsupported(`move to ${r.tot} context`);
      rules.push({ t, p, to: dottedPath(String(r.to ?? '')) });
    } else {
      const to = valueJs(r.to, r.tot);
      if (to === undefined) return unsupported(`change value of type "${r.tot}" (flow/global context, JSONata)`);
      if (t === 'set') rules.push({ t, p, to });
      else {
        const from = r.fromt === 're' ? JSON.stringify(String(r.from ?? '')) : valueJs(r.from, r.fromt);
        if (from === undefined) return unsupported(`change "from" of type "${r.fromt}"`);
        rules.push({ t: 'change', p, to, from, fromRegex: r.fromt === 're' });
      }
    }
  }
  return single(
    'weft.code',
    { mode: 'allItems', code: new LiteralCode(changeCode(rules)) },
    { differences: ['runs as a Code node'] },
  );
};

const MUSTACHE_SECTION = /\{\{\s*[#^/>!&=]/;

const template: Mapper = (n) => {
  if ((n.fieldType ?? 'msg') !== 'msg') return unsupported(`template output to ${n.fieldType} context`);
  const field = dottedPath(String(n.field || 'payload'));
  const text = String(n.template ?? '');
  const output = String(n.output ?? 'str');
  if (output === 'yaml') return unsupported('YAML template output');
  let value: string | WeftTemplate = text;
  const diffs: string[] = [];
  if ((n.syntax ?? 'mustache') === 'mustache') {
    if (MUSTACHE_SECTION.test(text)) return unsupported('mustache sections, partials and comments in a template');
    const escapeJs = (js: string) =>
      `String(${js} ?? '').replace(/[&<>\\x22\\x27\\/\\x60=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\\x22': '&quot;', '\\x27': '&#39;', '/': '&#x2F;', '\\x60': '&#x60;', '=': '&#x3D;' })[c])`;
    value = weft(
      text.replace(/\{\{\{\s*([^}]+?)\s*\}\}\}|\{\{\s*([^}]+?)\s*\}\}/g, (_m, raw?: string, esc?: string) => {
        const path = (raw ?? esc ?? '').trim();
        const acc = path.startsWith('env.') ? `$env[${JSON.stringify(path.slice(4))}]` : msgAccessor(path);
        if (path.startsWith('flow.') || path.startsWith('global.'))
          diffs.push(`${path} reads nothing (no flow/global context)`);
        return raw !== undefined ? `{{ String(${acc} ?? '') }}` : `{{ ${escapeJs(acc)} }}`;
      }),
    );
  } else if (text.includes('{{')) {
    diffs.push('the plain template holds {{ }}, which Weft evaluates as an expression');
  }
  return single(
    'weft.set',
    { mode: 'merge', fields: [{ name: field, value, type: output === 'json' ? 'json' : 'string' }] },
    { differences: diffs },
  );
};

const MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

const delay: Mapper = (n) => {
  const type = String(n.pauseType ?? 'delay');
  if (type === 'delay' || type === 'random') {
    const ms =
      Number(type === 'random' ? (n.randomLast ?? 5) : (n.timeout ?? 5)) *
      (MS[String(n.timeoutUnits ?? n.randomUnits ?? 'seconds')] ?? 1000);
    return single(
      'weft.wait',
      { mode: 'duration', amount: ms / 1000, unit: 'seconds' },
      { differences: type === 'random' ? ['waits the longest random delay'] : [] },
    );
  }
  if (type === 'delayv') return unsupported('a delay set by msg.delay (Weft waits one time for all items)');
  return single('weft.noOp', {}, { differences: [`rate limiting ("${type}") is not applied: messages pass at once`] });
};

const split: Mapper = (n) => {
  const prop = dottedPath(String(n.property ?? 'payload'));
  const sep = n.spltType === 'str' || n.spltType === undefined ? String(n.splt ?? '\\n').replace(/\\n/g, '\n') : '\n';
  if (n.spltType && n.spltType !== 'str') return unsupported(`split by ${n.spltType}`);
  const code = splitCode(prop, sep, Math.max(1, Number(n.arraySplt ?? 1)), n.addname ? String(n.addname) : '');
  return single(
    'weft.code',
    { mode: 'allItems', code: new LiteralCode(code) },
    { differences: ['runs as a Code node'] },
  );
};

const join: Mapper = (n) => {
  const mode = String(n.mode ?? 'auto');
  if (mode === 'reduce') return unsupported('join in reduce mode (JSONata)');
  const prop = n.propertyType === 'full' ? '' : dottedPath(String(n.property ?? 'payload'));
  const code = joinCode(
    mode === 'custom' ? 'custom' : 'auto',
    String(n.build ?? 'array'),
    prop,
    String(n.joiner ?? '\\n').replace(/\\n/g, '\n'),
    Number(n.count || 0),
    dottedPath(String(n.key ?? 'topic')),
  );
  const diffs = ['runs as a Code node; every message of the run is joined at once (no timeout or msg.complete)'];
  return single('weft.code', { mode: 'allItems', code: new LiteralCode(code) }, { differences: diffs });
};

/** Mappers of Node-RED's core nodes, by type (link nodes and comments are handled by the importer). */
export const nodeRedMappers: Record<string, Mapper> = {
  inject,
  'http in': httpIn,
  'http response': httpResponse,
  function: fn,
  switch: nrSwitch,
  change,
  template,
  delay,
  split,
  join,
  debug: () =>
    single(
      'weft.noOp',
      {},
      { outputs: [], differences: ['messages show in the execution view, not the debug sidebar'] },
    ),
  'link in': () => single('weft.noOp', {}),
  'link out': () => single('weft.noOp', {}),
};
