/**
 * JavaScript evaluated inside a sandbox, once per context, before any program. It defines the
 * global `__weft` with the expression scope (`$json`, `$input`, `$("Node")`, ...) and the helper
 * library (`$date`, `$str`, `$arr`, `$obj`). It is text to the engine: only sandboxes run it.
 *
 * `__weft.harden()` freezes the built-in prototypes and the global object; sandboxes that reuse a
 * context across executions (isolate pools) call it so one run cannot leave traps for the next.
 */
export const EXPRESSION_RUNTIME_SOURCE = String.raw`
var __weft = (function () {
  'use strict';
  function fail(msg) { throw new Error(msg); }
  function toDate(v) {
    if (v instanceof Date) return new Date(v.getTime());
    if (typeof v === 'number') return new Date(v);
    if (typeof v === 'string') {
      var d = new Date(v);
      if (isNaN(d.getTime())) fail('Not a date: ' + JSON.stringify(v));
      return d;
    }
    fail('Not a date: ' + String(v));
  }
  var UNIT_MS = { millisecond: 1, second: 1000, minute: 60000, hour: 3600000, day: 86400000, week: 604800000 };
  function unitKey(u) {
    var k = String(u).toLowerCase().replace(/s$/, '');
    return k;
  }
  function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }
  var $date = {
    now: function () { return new Date(__weft.current.now); },
    parse: toDate,
    iso: function (d) { return toDate(d).toISOString(); },
    add: function (d, n, unit) {
      var t = toDate(d); var k = unitKey(unit || 'day');
      if (k === 'month' || k === 'year') {
        var m = k === 'year' ? n * 12 : n;
        t.setUTCMonth(t.getUTCMonth() + m); return t;
      }
      if (!UNIT_MS[k]) fail('Unknown date unit: ' + unit);
      return new Date(t.getTime() + n * UNIT_MS[k]);
    },
    diff: function (a, b, unit) {
      var k = unitKey(unit || 'millisecond');
      if (!UNIT_MS[k]) fail('Unknown date unit: ' + unit);
      return (toDate(a).getTime() - toDate(b).getTime()) / UNIT_MS[k];
    },
    startOf: function (d, unit) {
      var t = toDate(d); var k = unitKey(unit || 'day');
      if (k === 'year') return new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
      if (k === 'month') return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
      if (k === 'day') return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
      if (k === 'hour') return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours()));
      fail('Unknown date unit: ' + unit);
    },
    format: function (d, fmt) {
      var t = toDate(d);
      var map = {
        yyyy: pad(t.getUTCFullYear(), 4), MM: pad(t.getUTCMonth() + 1, 2), dd: pad(t.getUTCDate(), 2),
        HH: pad(t.getUTCHours(), 2), mm: pad(t.getUTCMinutes(), 2), ss: pad(t.getUTCSeconds(), 2),
        SSS: pad(t.getUTCMilliseconds(), 3),
      };
      return String(fmt || 'yyyy-MM-dd').replace(/yyyy|MM|dd|HH|mm|ss|SSS/g, function (m) { return map[m]; });
    },
    isWeekend: function (d) { var w = toDate(d).getUTCDay(); return w === 0 || w === 6; },
  };
  var $str = {
    capitalize: function (s) { s = String(s); return s.charAt(0).toUpperCase() + s.slice(1); },
    slug: function (s) { return String(s).toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''); },
    truncate: function (s, n, tail) { s = String(s); tail = tail === undefined ? '…' : tail; return s.length <= n ? s : s.slice(0, Math.max(0, n - tail.length)) + tail; },
    words: function (s) { return String(s).trim().split(/\s+/).filter(Boolean); },
    isEmail: function (s) { return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(s)); },
    padStart: function (s, n, c) { return String(s).padStart(n, c === undefined ? ' ' : c); },
    stripHtml: function (s) { return String(s).replace(/<[^>]*>/g, ''); },
  };
  function keyFn(k) { return typeof k === 'function' ? k : function (x) { return $obj.get(x, k); }; }
  var $arr = {
    sum: function (a) { var t = 0; for (var i = 0; i < a.length; i++) t += Number(a[i]) || 0; return t; },
    avg: function (a) { return a.length ? $arr.sum(a) / a.length : 0; },
    min: function (a) { return a.length ? Math.min.apply(null, a) : undefined; },
    max: function (a) { return a.length ? Math.max.apply(null, a) : undefined; },
    unique: function (a, k) { var f = k === undefined ? function (x) { return x; } : keyFn(k); var seen = new Set(); return a.filter(function (x) { var v = f(x); var s = typeof v === 'object' ? JSON.stringify(v) : v; if (seen.has(s)) return false; seen.add(s); return true; }); },
    chunk: function (a, n) { var out = []; for (var i = 0; i < a.length; i += n) out.push(a.slice(i, i + n)); return out; },
    pluck: function (a, k) { var f = keyFn(k); return a.map(function (x) { return f(x); }); },
    groupBy: function (a, k) { var f = keyFn(k); var out = {}; a.forEach(function (x) { var g = String(f(x)); (out[g] = out[g] || []).push(x); }); return out; },
    sortBy: function (a, k, dir) { var f = keyFn(k); var s = dir === 'desc' ? -1 : 1; return a.slice().sort(function (x, y) { var u = f(x), v = f(y); return u < v ? -s : u > v ? s : 0; }); },
    compact: function (a) { return a.filter(Boolean); },
    flatten: function (a) { return a.reduce(function (acc, x) { return acc.concat(x); }, []); },
    first: function (a) { return a[0]; },
    last: function (a) { return a[a.length - 1]; },
  };
  var $obj = {
    get: function (o, path, dflt) {
      var parts = Array.isArray(path) ? path : String(path).split('.');
      var cur = o;
      for (var i = 0; i < parts.length; i++) { if (cur == null) return dflt; cur = cur[parts[i]]; }
      return cur === undefined ? dflt : cur;
    },
    pick: function (o, keys) { var out = {}; keys.forEach(function (k) { if (o && k in o) out[k] = o[k]; }); return out; },
    omit: function (o, keys) { var out = {}; Object.keys(o || {}).forEach(function (k) { if (keys.indexOf(k) < 0) out[k] = o[k]; }); return out; },
    keys: function (o) { return Object.keys(o || {}); },
    values: function (o) { return Object.keys(o || {}).map(function (k) { return o[k]; }); },
    entries: function (o) { return Object.keys(o || {}).map(function (k) { return [k, o[k]]; }); },
    merge: function (...objs) { var out = {}; objs.forEach(function (o) { Object.assign(out, o); }); return out; },
    isEmpty: function (o) { return o == null || (typeof o === 'object' && Object.keys(o).length === 0) || o === ''; },
  };
  function accessor(items, index) {
    var it = items[index] !== undefined ? items[index] : items[0];
    return {
      all: function () { return items; },
      first: function () { return items[0]; },
      last: function () { return items[items.length - 1]; },
      item: it,
      json: it ? it.json : undefined,
      isExecuted: true,
    };
  }
  function str(v) {
    if (v === undefined || v === null) return '';
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  function itemJson(data, i) { var it = data.items[i]; return it ? it.json : {}; }
  function itemBinary(data, i) { var it = data.items[i]; return it && it.binary ? it.binary : {}; }
  function input(data, i) { return accessor(data.items, i); }
  function nodeFn(data, i) {
    return function (name) {
      var out = data.nodes[name];
      if (!out) fail('$("' + name + '"): no node of that name has run before this one');
      return accessor(out, i);
    };
  }
  function today(data) { return $date.startOf(new Date(data.now), 'day'); }
  function scope(data, i) {
    var items = data.items;
    var it = items[i];
    var nodes = data.nodes;
    var fn = function (name) {
      var out = nodes[name];
      if (!out) fail('$("' + name + '"): no node of that name has run before this one');
      return accessor(out, i);
    };
    return {
      $json: it ? it.json : {},
      $binary: it && it.binary ? it.binary : {},
      $input: accessor(items, i),
      $: fn,
      $execution: data.execution,
      $workflow: data.workflow,
      $env: data.env,
      $vars: data.vars || {},
      $now: new Date(data.now),
      $today: $date.startOf(new Date(data.now), 'day'),
      $itemIndex: i,
      $runIndex: data.runIndex,
      $date: $date, $str: $str, $arr: $arr, $obj: $obj,
    };
  }
  function errorOf(e) {
    if (e && typeof e === 'object' && typeof e.message === 'string') {
      var n = e instanceof TypeError ? 'TypeError: ' : e instanceof ReferenceError ? 'ReferenceError: '
        : e instanceof RangeError ? 'RangeError: ' : e instanceof SyntaxError ? 'SyntaxError: ' : '';
      return n + e.message;
    }
    return String(e);
  }
  function json(v) {
    if (v === undefined) return null;
    return JSON.parse(JSON.stringify(v, function (k, x) { return typeof x === 'bigint' ? String(x) : x; }));
  }
  function toItems(result, label) {
    if (result === undefined || result === null) return [];
    var list = Array.isArray(result) ? result : [result];
    return list.map(function (x, i) {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) fail(label + ' returned item ' + i + ' that is not an object');
      if (x.json !== undefined && typeof x.json === 'object' && x.json !== null && !Array.isArray(x.json)) {
        var item = { json: json(x.json) };
        if (x.binary) item.binary = json(x.binary);
        return item;
      }
      return { json: json(x) };
    });
  }
  function harden() {
    var names = ['Object', 'Array', 'Function', 'String', 'Number', 'Boolean', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError',
      'SyntaxError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'Symbol', 'JSON', 'Math', 'Reflect', 'BigInt', 'Intl'];
    names.forEach(function (n) {
      var c = globalThis[n];
      if (!c) return;
      Object.freeze(c);
      if (c.prototype) Object.freeze(c.prototype);
    });
    Object.freeze(Object.getPrototypeOf(function* () {}));
    Object.freeze(Object.getPrototypeOf(async function () {}));
    Object.freeze(__weftApi);
    Object.freeze(globalThis);
  }
  var __weftApi = { scope: scope, str: str, errorOf: errorOf, json: json, toItems: toItems, harden: harden,
    itemJson: itemJson, itemBinary: itemBinary, input: input, nodeFn: nodeFn, today: today,
    date: $date, strings: $str, arrays: $arr, objects: $obj, current: { now: 0 } };
  return __weftApi;
})();
`;
