import { parseTemplate } from '@weft/engine';
import { type Node as AcornNode, parse, parseExpressionAt } from 'acorn';
import { luxonRewrite } from './luxon-rewrite.js';

/** The outcome of translating n8n JavaScript (an expression or a code node's body) to Weft. */
export interface Translation {
  text: string;
  /** Reasons parts could not be translated; the text keeps them as they were. */
  untranslated: string[];
  /** Translated, but behaving differently in Weft. */
  differences: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: acorn's ESTree nodes are walked generically.
export type AnyNode = AcornNode & Record<string, any>;

/** What a rewrite rule sees: the source, and how to emit a child node. */
export interface Emitter {
  emit(node: AnyNode): string;
  fail(reason: string): void;
  differ(difference: string): void;
  /** True inside an expression (`{{ }}`), false in a code node. */
  expression: boolean;
}

const WEFT_SCOPE = new Set([
  '$json',
  '$binary',
  '$input',
  '$',
  '$execution',
  '$workflow',
  '$env',
  '$vars',
  '$now',
  '$today',
  '$itemIndex',
  '$runIndex',
  '$date',
  '$str',
  '$arr',
  '$obj',
]);

const NODE_ACCESSOR_PROPS = new Set(['item', 'all', 'first', 'last', 'isExecuted']);
const PAIRED_ITEM = '$("…").item picks the item at the same index in Weft; n8n follows paired items';

const own = <T>(table: Record<string, T>, key: string | undefined): T | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

const str = (n: AnyNode | undefined): string | undefined =>
  n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : undefined;

const propName = (m: AnyNode): string | undefined =>
  m.computed ? str(m.property) : m.property.type === 'Identifier' ? m.property.name : undefined;

function isNodeAccessor(n: AnyNode): boolean {
  return (
    (n.type === 'Identifier' && n.name === '$input') ||
    (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === '$')
  );
}

/** n8n's data transformation functions (expressions only), as Weft helpers. */
const EXTENSIONS: Record<string, (recv: string, args: string[]) => string> = {
  isEmpty: (r) => `$obj.isEmpty(${r})`,
  isNotEmpty: (r) => `!$obj.isEmpty(${r})`,
  toNumber: (r) => `Number(${r})`,
  toInt: (r) => `parseInt(${r}, 10)`,
  toFloat: (r) => `parseFloat(${r})`,
  sum: (r) => `$arr.sum(${r})`,
  average: (r) => `$arr.avg(${r})`,
  min: (r) => `$arr.min(${r})`,
  max: (r) => `$arr.max(${r})`,
  unique: (r) => `$arr.unique(${r})`,
  removeDuplicates: (r) => `$arr.unique(${r})`,
  first: (r) => `$arr.first(${r})`,
  last: (r) => `$arr.last(${r})`,
  compact: (r) => `$arr.compact(${r})`,
  chunk: (r, a) => `$arr.chunk(${r}, ${a[0] ?? 1})`,
  pluck: (r, a) => `$arr.pluck(${r}, ${a[0] ?? '""'})`,
  isEmail: (r) => `$str.isEmail(${r})`,
  urlEncode: (r) => `encodeURIComponent(${r})`,
  urlDecode: (r) => `decodeURIComponent(${r})`,
  toJsonString: (r) => `JSON.stringify(${r})`,
  parseJson: (r) => `JSON.parse(${r})`,
  removeTags: (r) => `$str.stripHtml(${r})`,
  round: (r, a) => (a[0] ? `(Math.round(${r} * 10 ** ${a[0]}) / 10 ** ${a[0]})` : `Math.round(${r})`),
  floor: (r) => `Math.floor(${r})`,
  ceil: (r) => `Math.ceil(${r})`,
  abs: (r) => `Math.abs(${r})`,
};

const UNSUPPORTED_GLOBALS: Record<string, string> = {
  $position: 'n8n $position (item position) has no Weft equivalent',
  $prevNode: 'n8n $prevNode has no Weft equivalent',
  $parameter: "n8n $parameter (the node's own parameters) has no Weft equivalent",
  $jmespath: 'JMESPath queries ($jmespath) have no Weft equivalent',
  $evaluateExpression: '$evaluateExpression has no Weft equivalent',
  $secrets: 'external secrets ($secrets) have no Weft equivalent: use a credential',
  $fromAI: '$fromAI (AI agent tools) has no Weft equivalent',
  $getWorkflowStaticData: 'workflow static data has no Weft equivalent',
  getWorkflowStaticData: 'workflow static data has no Weft equivalent',
  $node: '$node[…] is only translated when followed by .json, .data or .binary',
  $items: '$items() with these arguments has no Weft equivalent',
  $item: '$item(index) has no Weft equivalent: use $("Node").all()[index]',
  $response: 'pagination variables ($response) have no Weft equivalent',
  $request: 'pagination variables ($request) have no Weft equivalent',
  $pageCount: 'pagination variables ($pageCount) have no Weft equivalent',
  DateTime: 'this Luxon call has no Weft equivalent',
  Duration: 'Luxon Duration has no Weft equivalent',
  Interval: 'Luxon Interval has no Weft equivalent',
};

function rewrite(node: AnyNode, parent: AnyNode | undefined, e: Emitter): string | undefined {
  const lux = luxonRewrite(node, e);
  if (lux !== undefined) return lux;
  if (node.type === 'MemberExpression') {
    const obj = node.object as AnyNode;
    // $node["X"].json / $node.X.json
    if (obj.type === 'MemberExpression' && obj.object.type === 'Identifier' && obj.object.name === '$node') {
      const name = propName(obj);
      const prop = propName(node);
      if (name !== undefined && (prop === 'json' || prop === 'data' || prop === 'binary')) {
        e.differ(PAIRED_ITEM.replace('$("…").item', '$node["…"].json'));
        return `$(${JSON.stringify(name)}).item.${prop === 'binary' ? 'binary' : 'json'}`;
      }
      e.fail(`$node[…].${prop ?? '?'} has no Weft equivalent`);
      return undefined;
    }
    const prop = propName(node);
    if (isNodeAccessor(obj) && prop !== undefined) {
      if (prop === 'item' && obj.type === 'CallExpression') e.differ(PAIRED_ITEM);
      if (prop === 'isExecuted') e.differ('$("…").isExecuted: Weft fails the expression when the node has not run');
      if (prop === 'itemMatching' || prop === 'pairedItem') {
        e.fail(`${prop}() has no Weft equivalent: use .all()[index]`);
        return undefined;
      }
      if (!NODE_ACCESSOR_PROPS.has(prop)) e.fail(`.${prop} of $input / $("…") has no Weft equivalent`);
      return undefined;
    }
    if (obj.type === 'Identifier' && obj.name === '$execution' && (prop === 'resumeUrl' || prop === 'customData')) {
      e.fail(`$execution.${prop} has no Weft equivalent`);
    }
    if (obj.type === 'Identifier' && obj.name === '$workflow' && prop === 'active') {
      e.fail('$workflow.active has no Weft equivalent');
    }
    return undefined;
  }
  if (node.type === 'CallExpression') {
    const callee = node.callee as AnyNode;
    let emitted: string[] | undefined;
    // Emitted on first use only: emitting eagerly would re-walk nested calls once per level.
    const args = () => {
      emitted ??= (node.arguments as AnyNode[]).map((a) => e.emit(a));
      return emitted;
    };
    if (callee.type === 'Identifier') {
      switch (callee.name) {
        case '$items': {
          const [nameNode, out, run] = node.arguments as AnyNode[];
          if ((out && out.value !== 0) || (run && run.value !== undefined && run.value !== -1)) {
            e.fail('$items() with an output or run index has no Weft equivalent');
            return undefined;
          }
          return nameNode ? `$(${args()[0]}).all()` : '$input.all()';
        }
        case '$if':
          return `((${args()[0]}) ? (${args()[1]}) : (${args()[2] ?? 'undefined'}))`;
        case '$ifEmpty':
          return `($obj.isEmpty(${args()[0]}) ? (${args()[1]}) : (${args()[0]}))`;
        case '$max':
          return `Math.max(${args().join(', ')})`;
        case '$min':
          return `Math.min(${args().join(', ')})`;
      }
      return undefined;
    }
    if (callee.type === 'MemberExpression' && !callee.computed && e.expression) {
      const method = propName(callee);
      const recv = callee.object as AnyNode;
      const ext = own(EXTENSIONS, method);
      if (
        ext &&
        !isNodeAccessor(recv) &&
        !(recv.type === 'Identifier' && /^(Math|JSON|Object|Array)$/.test(recv.name))
      ) {
        return ext(e.emit(recv), args());
      }
    }
    if (callee.type === 'MemberExpression' && isNodeAccessor(callee.object) && node.arguments.length > 0) {
      const method = propName(callee);
      if (method === 'all' || method === 'first' || method === 'last') {
        e.fail(`$("…").${method}() with a branch or run index has no Weft equivalent`);
      }
    }
    return undefined;
  }
  if (node.type === 'Identifier' && node.name.startsWith('$') && !WEFT_SCOPE.has(node.name)) {
    const isKey =
      (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) ||
      (parent?.type === 'Property' && parent.key === node && !parent.computed);
    if (!isKey) {
      e.fail(own(UNSUPPORTED_GLOBALS, node.name) ?? `${node.name} has no Weft equivalent`);
    }
    return undefined;
  }
  if (node.type === 'Identifier' && own(UNSUPPORTED_GLOBALS, node.name)) {
    const isKey =
      (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) ||
      (parent?.type === 'Property' && parent.key === node && !parent.computed);
    if (!isKey) e.fail(own(UNSUPPORTED_GLOBALS, node.name) as string);
  }
  return undefined;
}

function childNodes(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'type' || k === 'start' || k === 'end' || k === 'loc' || k === 'range') continue;
    for (const c of Array.isArray(v) ? v : [v]) {
      if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string' && !out.includes(c)) out.push(c);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function translateAst(source: string, root: AnyNode, expression: boolean): Translation {
  const untranslated: string[] = [];
  const differences: string[] = [];
  const emitter: Emitter = {
    expression,
    emit: (n) => emitNode(n, undefined),
    fail: (r) => {
      if (!untranslated.includes(r)) untranslated.push(r);
    },
    differ: (d) => {
      if (!differences.includes(d)) differences.push(d);
    },
  };
  function emitNode(node: AnyNode, parent: AnyNode | undefined): string {
    const r = rewrite(node, parent, emitter);
    if (r !== undefined) return r;
    let out = '';
    let pos = node.start;
    for (const child of childNodes(node)) {
      if (child.start < pos) continue;
      out += source.slice(pos, child.start) + emitNode(child, node);
      pos = child.end;
    }
    return out + source.slice(pos, node.end);
  }
  const text = emitNode(root, undefined);
  return { text: source.slice(0, root.start) + text + source.slice(root.end), untranslated, differences };
}

/**
 * Translates one n8n expression (the JavaScript between `{{` and `}}`) to Weft's expression
 * scope: `$node["X"].json` and `$items("X")` become `$("X")`, Luxon calls on `$now` become
 * `$date` helpers, n8n's data transformation functions become `$str` / `$arr` / `$obj` calls.
 *
 * @example
 * ```ts
 * translateJsExpression('$node["Get user"].json.email.isEmpty()').text; // '$obj.isEmpty($("Get user").item.json.email)'
 * ```
 */
export function translateJsExpression(source: string): Translation {
  let root: AnyNode;
  try {
    root = parseExpressionAt(source, 0, { ecmaVersion: 'latest' }) as AnyNode;
  } catch (err) {
    return { text: source, untranslated: [`not valid JavaScript: ${(err as Error).message}`], differences: [] };
  }
  if (source.slice(root.end).trim() !== '') {
    return { text: source, untranslated: ['more than one expression between {{ and }}'], differences: [] };
  }
  return translateAst(source, root, true);
}

/**
 * Translates an n8n parameter template (the text after the leading `=`): each `{{ … }}` with
 * {@link translateJsExpression}, literal text unchanged.
 *
 * @example
 * ```ts
 * translateTemplate('Hi {{ $json.name }}, it is {{ $now.toFormat("yyyy") }}').text;
 * // 'Hi {{ $json.name }}, it is {{ $date.format($now, "yyyy") }}'
 * ```
 */
export function translateTemplate(template: string): Translation {
  const untranslated: string[] = [];
  const differences: string[] = [];
  let text = '';
  for (const part of parseTemplate(template)) {
    if ('text' in part) {
      if (part.text === '\u0000unclosed') untranslated.push('an expression is missing its closing }}');
      else text += part.text;
      continue;
    }
    const t = translateJsExpression(part.expression.trim());
    untranslated.push(...t.untranslated.filter((u) => !untranslated.includes(u)));
    differences.push(...t.differences.filter((d) => !differences.includes(d)));
    text += `{{ ${t.text} }}`;
  }
  return { text, untranslated, differences };
}

/**
 * Translates the body of an n8n Code / Function node the same way (n8n's data transformation
 * functions are left alone: n8n only has them in expressions).
 *
 * @example
 * ```ts
 * translateCode('return $items("A").map(i => i.json)').text; // 'return $("A").all().map(i => i.json)'
 * ```
 */
export function translateCode(code: string): Translation {
  let root: AnyNode;
  try {
    root = parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
    }) as AnyNode;
  } catch (err) {
    return { text: code, untranslated: [`not valid JavaScript: ${(err as Error).message}`], differences: [] };
  }
  const t = translateAst(code, root, false);
  if (/\bthis\.helpers\b|\brequire\s*\(/.test(code))
    t.untranslated.push('this.helpers and require() are not available in Weft code');
  return t;
}
