import { templateToExpression } from '@weft/engine';
import { translateCode, translateTemplate } from './translate-expression.js';

/** An n8n expression parameter (`=…`), translated when the workflow is assembled. */
export class N8nExpression {
  constructor(readonly template: string) {}
}

/** A Weft expression built from n8n values (literals or expressions), e.g. an operator Weft lacks. */
export class ComposedExpression {
  constructor(
    readonly build: (...js: string[]) => string,
    readonly values: unknown[],
    /** false: the result is code (no `{{ }}` around it). */
    readonly braces = true,
  ) {}
}

/** An n8n code node's body, translated and prefixed with a compatibility layer. */
export class N8nCode {
  constructor(
    readonly code: string,
    readonly prefix: string,
    readonly suffix = '',
  ) {}
}

/** Code written by the importer (or carried over verbatim): kept as it is, `{{` included. */
export class LiteralCode {
  constructor(readonly code: string) {}
}

/** A Weft template the importer wrote on purpose (not user text that happens to hold `{{`). */
export class WeftTemplate {
  constructor(readonly text: string) {}
}

/** Marks text as a Weft template written by the importer, e.g. `weft('{{ $json.body }}')`. */
export const weft = (text: string): WeftTemplate => new WeftTemplate(text);

/** An issue found while resolving values, with its JSON pointer relative to the parameters. */
export interface ValueIssue {
  pointer: string;
  expression: string;
  reason: string;
}

/** What resolving a node's parameters found. */
export interface Resolved {
  value: unknown;
  issues: ValueIssue[];
  differences: string[];
}

/**
 * An n8n parameter value as a Weft value: `=…` strings become {@link N8nExpression}, resource
 * locators their value, lists and objects element by element.
 *
 * @example
 * ```ts
 * n8nValue('={{ $json.id }}') instanceof N8nExpression; // true
 * n8nValue({ __rl: true, value: 'C123', mode: 'id' }); // 'C123'
 * ```
 */
export function n8nValue(v: unknown): unknown {
  if (
    v instanceof N8nExpression ||
    v instanceof ComposedExpression ||
    v instanceof N8nCode ||
    v instanceof LiteralCode ||
    v instanceof WeftTemplate
  )
    return v;
  if (typeof v === 'string') return v.startsWith('=') ? new N8nExpression(v.slice(1)) : v;
  if (Array.isArray(v)) return v.map(n8nValue);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.__rl === true) return n8nValue(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, n8nValue(x)]));
  }
  return v;
}

/** A Weft expression over n8n values, e.g. `composed((a, b) => \`!${a}.startsWith(${b})\`, left, right)`. */
export function composed(build: (...js: string[]) => string, ...values: unknown[]): ComposedExpression {
  return new ComposedExpression(build, values.map(n8nValue));
}

/** Code built from n8n values: each value becomes a JavaScript expression, the result is not wrapped in `{{ }}`. */
export function composedCode(build: (...js: string[]) => string, ...values: unknown[]): ComposedExpression {
  return new ComposedExpression(build, values.map(n8nValue), false);
}

const pointerEscape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function jsOf(v: unknown, pointer: string, out: Resolved): string {
  if (v instanceof N8nExpression) {
    const t = translateTemplate(v.template);
    note(t, pointer, v.template, out);
    return templateToExpression(t.text);
  }
  if (v instanceof ComposedExpression) return `(${composeJs(v, pointer, out)})`;
  return JSON.stringify(v ?? null);
}

function composeJs(v: ComposedExpression, pointer: string, out: Resolved): string {
  return v.build(...v.values.map((x) => jsOf(x, pointer, out)));
}

function note(t: { untranslated: string[]; differences: string[] }, pointer: string, src: string, out: Resolved) {
  for (const reason of t.untranslated) out.issues.push({ pointer, expression: src, reason });
  for (const d of t.differences) if (!out.differences.includes(d)) out.differences.push(d);
}

function walk(v: unknown, pointer: string, out: Resolved): unknown {
  if (v instanceof N8nExpression) {
    const t = translateTemplate(v.template);
    note(t, pointer, v.template, out);
    return t.text;
  }
  if (v instanceof ComposedExpression) {
    const js = composeJs(v, pointer, out);
    return v.braces ? `{{ ${js} }}` : js;
  }
  if (v instanceof N8nCode) {
    const t = translateCode(v.code);
    note(t, pointer, v.code, out);
    return `${v.prefix}${t.text}${v.suffix}`;
  }
  if (v instanceof LiteralCode) return v.code;
  if (v instanceof WeftTemplate) return v.text;
  if (typeof v === 'string' && v.includes('{{')) {
    out.issues.push({
      pointer,
      expression: v,
      reason: 'literal text holding {{ … }}: Weft evaluates it as an expression',
    });
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => walk(x, `${pointer}/${i}`, out));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${pointer}/${pointerEscape(k)}`, out)]));
  }
  return v;
}

/**
 * Replaces every n8n expression, composed expression and code body in `params` by its Weft
 * translation, collecting what could not be translated with JSON pointers under `base`.
 *
 * @example
 * ```ts
 * resolveValues({ url: n8nValue('=https://x/{{ $json.id }}') }, '/nodes/0/parameters').value; // { url: 'https://x/{{ $json.id }}' }
 * ```
 */
export function resolveValues(params: unknown, base: string): Resolved {
  const out: Resolved = { value: undefined, issues: [], differences: [] };
  out.value = walk(params, base, out);
  return out;
}

/** True when an n8n value is an expression (so its value is only known at run time). */
export function isN8nExpression(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith('=');
}
