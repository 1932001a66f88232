import { SandboxError } from '../ports/code-sandbox.js';

/**
 * Builders for the programs the engine hands to its sandbox. They only assemble text: the engine
 * never runs it. A program is a function expression; the sandbox calls it with the
 * {@link ExpressionData} as a JSON string and gets a JSON string back:
 * `{"v": values}` on success or `{"e": {"message", "item", "slot"}}` when user code threw.
 */

/** A program and the key a sandbox may cache its compiled form under. */
export interface SandboxProgram {
  key: string;
  source: string;
}

function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}${text.length.toString(36)}`;
}

/** How each scope name is computed inside a program, from `__data` and item index `__i`. */
const SCOPE: [name: string, pattern: RegExp, init: string][] = [
  ['$json', /\$json\b/, '__weft.itemJson(__data, __i)'],
  ['$binary', /\$binary\b/, '__weft.itemBinary(__data, __i)'],
  ['$input', /\$input\b/, '__weft.input(__data, __i)'],
  ['$', /\$\s*\(/, '__weft.nodeFn(__data, __i)'],
  ['$execution', /\$execution\b/, '__data.execution'],
  ['$workflow', /\$workflow\b/, '__data.workflow'],
  ['$env', /\$env\b/, '__data.env'],
  ['$vars', /\$vars\b/, '(__data.vars || {})'],
  ['$now', /\$now\b/, 'new Date(__data.now)'],
  ['$today', /\$today\b/, '__weft.today(__data)'],
  ['$itemIndex', /\$itemIndex\b/, '__i'],
  ['$runIndex', /\$runIndex\b/, '__data.runIndex'],
  ['$date', /\$date\b/, '__weft.date'],
  ['$str', /\$str\b/, '__weft.strings'],
  ['$arr', /\$arr\b/, '__weft.arrays'],
  ['$obj', /\$obj\b/, '__weft.objects'],
];

/** `var` declarations of the scope names `source` uses (all of them when `all`). */
function scopeDeclarations(source: string, all = false): string {
  const used = SCOPE.filter(([, pattern]) => all || pattern.test(source));
  return used.length ? `var ${used.map(([name, , init]) => `${name} = ${init}`).join(', ')};` : '';
}

/**
 * A program evaluating `expressions` (JavaScript expression sources) for each item: called as
 * `program(dataJson, itemCount)`, it returns `{"v": values[item][slot]}`.
 *
 * @example
 * ```ts
 * const program = buildExpressionProgram(['$json.price * $json.qty', '$str.slug($json.title)']);
 * ```
 */
export function buildExpressionProgram(expressions: readonly string[]): SandboxProgram {
  const slots = expressions.map((e, k) => `__k = ${k}; __row[${k}] = (${e}\n);`).join('\n');
  const source = `(function (__dataJson, __count) {
  'use strict';
  var __data = JSON.parse(__dataJson);
  __weft.current.now = __data.now;
  var __n = __count > 0 ? __count : 1;
  var __out = new Array(__n);
  var __k = 0;
  for (var __i = 0; __i < __n; __i++) {
    var __row = new Array(${expressions.length});
    try {
      ${scopeDeclarations(expressions.join('\n'))}
      ${slots}
    } catch (__e) {
      return JSON.stringify({ e: { message: __weft.errorOf(__e), item: __i, slot: __k } });
    }
    __out[__i] = __row;
  }
  return JSON.stringify({ v: __out }, function (k, x) { return x === undefined ? null : typeof x === 'bigint' ? String(x) : x; });
})`;
  return { key: hash(source), source };
}

/** How a code node runs its code. */
export type CodeMode = 'allItems' | 'eachItem';

/**
 * A program running a code node's `code` (an async function body). In `allItems` mode the code
 * runs once and returns items (or plain objects); in `eachItem` mode it runs per item with
 * `$json` bound and returns one item. `console.log` output is collected.
 *
 * Called as `program(dataJson)`, it resolves to `{"v": {"items", "logs"}}`.
 *
 * @example
 * ```ts
 * const program = buildCodeProgram('return $input.all().map(i => ({ total: i.json.a + i.json.b }))', 'allItems');
 * ```
 */
export function buildCodeProgram(code: string, mode: CodeMode): SandboxProgram {
  const source = `(async function (__dataJson) {
  var __data = JSON.parse(__dataJson);
  __weft.current.now = __data.now;
  var __logs = [];
  var console = {
    log: function (...__a) { var __p = __a.map(__weft.str); if (__logs.length < 200) __logs.push(__p.join(' ').slice(0, 2000)); },
  };
  console.info = console.log; console.warn = console.log; console.error = console.log; console.debug = console.log;
  var __user = async function (__i, items) {
    ${scopeDeclarations(code)}
    ${code}
  };
  var __i = 0;
  try {
    var __result;
    ${
      mode === 'eachItem'
        ? `__result = [];
    for (__i = 0; __i < __data.items.length; __i++) {
      var __r = await __user(__i, __data.items);
      if (__r !== undefined && __r !== null) __result.push(__r);
    }`
        : '__result = await __user(0, __data.items);'
    }
    return JSON.stringify({ v: { items: __weft.toItems(__result, 'Code'), logs: __logs } });
  } catch (__e) {
    return JSON.stringify({ e: { message: __weft.errorOf(__e), item: ${mode === 'eachItem' ? '__i' : 'undefined'} }, logs: __logs });
  }
})`;
  return { key: hash(source), source };
}

/**
 * Decodes what a program returned. Throws {@link SandboxError} (kind `error`) naming `label` when
 * user code threw; a sandbox implementation calls this on the program's JSON result.
 */
export function decodeProgramResult<T>(resultJson: unknown, label: string): T {
  if (typeof resultJson !== 'string') {
    throw new SandboxError('output', `${label}: the sandbox returned no result`);
  }
  const parsed = JSON.parse(resultJson) as { v?: T; e?: { message: string; item?: number; slot?: number } };
  if (parsed.e) {
    const where = parsed.e.item === undefined ? '' : ` (item ${parsed.e.item})`;
    throw new SandboxError('error', `${label}${where}: ${parsed.e.message}`, {
      ...(parsed.e.item === undefined ? {} : { itemIndex: parsed.e.item }),
      ...(parsed.e.slot === undefined ? {} : { slot: parsed.e.slot }),
    });
  }
  return parsed.v as T;
}
