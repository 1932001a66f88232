/**
 * JavaScript for the Code nodes that carry Node-RED semantics over: items are messages (`msg` is
 * the item's json), as in a flow where every message of a run arrives at once.
 */

const PATH_HELPERS = `const __get = (o, p) => p.split('.').reduce((x, k) => (x == null ? undefined : x[k]), o);
const __set = (o, p, v) => { const ks = p.split('.'); let c = o; for (const k of ks.slice(0, -1)) { if (c[k] == null || typeof c[k] !== 'object') c[k] = {}; c = c[k]; } c[ks[ks.length - 1]] = v; };
const __del = (o, p) => { const ks = p.split('.'); const parent = ks.length > 1 ? __get(o, ks.slice(0, -1).join('.')) : o; if (parent && typeof parent === 'object') delete parent[ks[ks.length - 1]]; };
`;

/** Node-RED paths (`payload["a"].b[0]`) as dotted paths (`payload.a.b.0`). */
export function dottedPath(path: string): string {
  return path
    .replace(/\[\s*(\d+)\s*\]/g, '.$1')
    .replace(/\[\s*(['"])(.*?)\1\s*\]/g, '.$2')
    .replace(/^\./, '');
}

/** A JavaScript expression reading a msg property inside a Weft expression (`$json.payload`). */
export function msgAccessor(path: string): string {
  const dotted = dottedPath(path || 'payload');
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(dotted)
    ? `$json.${dotted}`
    : `$obj.get($json, ${JSON.stringify(dotted)})`;
}

/**
 * A Node-RED function node: runs `func` once per message with `msg`, `node` and a per-run
 * `context`, and turns what it returns (a message, an array per output, arrays of messages, null)
 * into items; with several outputs each item carries `_weftOutput`.
 */
export function functionCode(func: string, outputs: number): string {
  const tag = outputs > 1 ? ', _weftOutput: __k' : '';
  return `const __out = [];
const __store = () => { const s = {}; return { get: (k) => s[k], set: (k, v) => { s[k] = v; }, keys: () => Object.keys(s) }; };
const context = __store();
const flow = __store();
const global = __store();
const __emit = (r) => {
  if (r === null || r === undefined) return;
  const perOutput = Array.isArray(r) ? r : [r];
  perOutput.forEach((m, __k) => {
    if (__k >= ${outputs}) return;
    for (const one of Array.isArray(m) ? m : [m]) if (one !== null && one !== undefined) __out.push({ json: { ...one${tag} } });
  });
};
const node = {
  id: '', name: '',
  log: (...a) => console.log(...a), warn: (...a) => console.log('[warn]', ...a), error: (...a) => console.log('[error]', ...a),
  debug: (...a) => console.log('[debug]', ...a), trace: () => {}, status: () => {}, done: () => {},
  send: (m) => __emit(m),
};
for (const __item of items) {
  const __r = await (async (msg) => {
${func}
  })(JSON.parse(JSON.stringify(__item.json)));
  __emit(__r);
}
return __out;`;
}

/** A rule of a Node-RED change node, with its value already as a JavaScript expression. */
export interface ChangeRule {
  t: 'set' | 'change' | 'delete' | 'move';
  p: string;
  to?: string;
  from?: string;
  fromRegex?: boolean;
}

/** A Node-RED change node: its rules applied in order to every message. */
export function changeCode(rules: ChangeRule[]): string {
  const steps = rules.map((r) => {
    const p = JSON.stringify(r.p);
    switch (r.t) {
      case 'set':
        return `__set(msg, ${p}, ${r.to});`;
      case 'delete':
        return `__del(msg, ${p});`;
      case 'move':
        return `{ const v = __get(msg, ${p}); __del(msg, ${p}); __set(msg, ${JSON.stringify(r.to)}, v); }`;
      default: {
        const from = r.fromRegex ? `new RegExp(${r.from}, 'g')` : r.from;
        return `{ const v = __get(msg, ${p}); const f = ${from}; const t = ${r.to};
  if (typeof v === 'string') __set(msg, ${p}, f instanceof RegExp ? v.replace(f, t) : v.split(String(f)).join(String(t)));
  else if (v === f) __set(msg, ${p}, t); }`;
      }
    }
  });
  return `${PATH_HELPERS}return items.map((__item) => {
  const msg = JSON.parse(JSON.stringify(__item.json));
  ${steps.join('\n  ')}
  return { json: msg };
});`;
}

/** A Node-RED split node: arrays by `arrayLength`, strings by `separator`, objects by key. */
export function splitCode(property: string, separator: string, arrayLength: number, keyName: string): string {
  return `${PATH_HELPERS}const __out = [];
for (const __item of items) {
  const msg = __item.json;
  const v = __get(msg, ${JSON.stringify(property)});
  const id = Math.random().toString(16).slice(2);
  const emit = (value, index, count, extra) => { const m = JSON.parse(JSON.stringify(msg)); __set(m, ${JSON.stringify(property)}, value); m.parts = { id, index, count, ...extra }; __out.push({ json: m }); };
  if (Array.isArray(v)) {
    const n = ${arrayLength};
    const count = Math.ceil(v.length / n);
    for (let i = 0; i < count; i++) emit(n === 1 ? v[i] : v.slice(i * n, i * n + n), i, count, { type: 'array', len: n });
  } else if (typeof v === 'string') {
    const parts = v.split(${JSON.stringify(separator)});
    parts.forEach((s, i) => emit(s, i, parts.length, { type: 'string', ch: ${JSON.stringify(separator)} }));
  } else if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    keys.forEach((k, i) => { emit(v[k], i, keys.length, { type: 'object', key: k }); ${keyName ? `__set(__out[__out.length - 1].json, ${JSON.stringify(keyName)}, k);` : ''} });
  } else __out.push({ json: msg });
}
return __out;`;
}

/**
 * A Node-RED join node. **auto** reassembles what a split node made (by `parts`); **custom**
 * builds an array, string, object (by `key`) or merged object from every message of the run, in
 * groups of `count` when given.
 */
export function joinCode(
  mode: 'auto' | 'custom',
  build: string,
  property: string,
  joiner: string,
  count: number,
  key: string,
): string {
  return `${PATH_HELPERS}const __out = [];
const mode = ${JSON.stringify(mode)};
const build = ${JSON.stringify(build)};
const prop = ${JSON.stringify(property)};
const joiner = ${JSON.stringify(joiner)};
const count = ${count};
const groups = [];
if (mode === 'auto') {
  const byId = new Map();
  for (const it of items) { const id = it.json.parts ? it.json.parts.id : ''; if (!byId.has(id)) byId.set(id, []); byId.get(id).push(it.json); }
  for (const msgs of byId.values()) groups.push(msgs);
} else if (count > 0) {
  for (let i = 0; i < items.length; i += count) groups.push(items.slice(i, i + count).map((it) => it.json));
} else groups.push(items.map((it) => it.json));
for (const msgs of groups) {
  const sorted = mode === 'auto' ? msgs.slice().sort((a, b) => ((a.parts || {}).index || 0) - ((b.parts || {}).index || 0)) : msgs;
  const last = JSON.parse(JSON.stringify(sorted[sorted.length - 1] || {}));
  const parts = (sorted[0] && sorted[0].parts) || {};
  const kind = mode === 'auto' ? parts.type : build;
  const values = sorted.map((m) => (prop === '' ? m : __get(m, prop)));
  let joined;
  if (kind === 'string') joined = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(mode === 'auto' ? (parts.ch || '') : joiner);
  else if (kind === 'object') { joined = {}; sorted.forEach((m, i) => { joined[mode === 'auto' ? (m.parts || {}).key : __get(m, ${JSON.stringify(key)})] = values[i]; }); }
  else if (kind === 'merged') joined = Object.assign({}, ...values);
  else joined = mode === 'auto' && parts.len > 1 ? values.flat() : values;
  delete last.parts;
  __set(last, prop || 'payload', joined);
  __out.push({ json: last });
}
return __out;`;
}
