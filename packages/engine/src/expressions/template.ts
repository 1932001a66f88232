import { parseExpressionAt } from 'acorn';

/** A piece of a parameter string: literal text or an expression between `{{` and `}}`. */
export type TemplatePart = { text: string } | { expression: string; offset: number };

/** A syntax problem in an expression, with its offset in the parameter string. */
export interface ExpressionSyntaxError {
  message: string;
  offset: number;
}

/** True when the string holds at least one `{{ ... }}`. */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/**
 * Splits a parameter string into literal text and expressions. `}}` inside string literals in an
 * expression does not end it.
 *
 * @example
 * ```ts
 * parseTemplate('Hi {{ $json.name }}!'); // [{ text: 'Hi ' }, { expression: ' $json.name ', offset: 5 }, { text: '!' }]
 * ```
 */
export function parseTemplate(value: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: value.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: value.slice(i, open) });
    const start = open + 2;
    const close = findClose(value, start);
    if (close < 0) {
      parts.push({ expression: value.slice(start), offset: start });
      return parts.concat({ text: '\u0000unclosed' });
    }
    parts.push({ expression: value.slice(start, close), offset: start });
    i = close + 2;
  }
  return parts;
}

function findClose(value: string, from: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && value[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/**
 * Syntax errors of every expression in a parameter string (empty when it is valid).
 *
 * @example
 * ```ts
 * checkTemplate('{{ $json.a + }}'); // [{ message: 'Unexpected token', offset: 13 }]
 * ```
 */
export function checkTemplate(value: string): ExpressionSyntaxError[] {
  // Validating a large workflow parses the same default expressions once per node: parse each once.
  let errors = checked.get(value);
  if (!errors) {
    errors = parseErrors(value);
    if (checked.size >= 1000) checked.clear();
    checked.set(value, errors);
  }
  return errors.map((e) => ({ ...e }));
}

const checked = new Map<string, readonly ExpressionSyntaxError[]>();

function parseErrors(value: string): ExpressionSyntaxError[] {
  const errors: ExpressionSyntaxError[] = [];
  for (const part of parseTemplate(value)) {
    if ('text' in part) {
      if (part.text === '\u0000unclosed')
        errors.push({ message: 'Expression is missing its closing }}', offset: value.length });
      continue;
    }
    if (part.expression.trim() === '') {
      errors.push({ message: 'Empty expression', offset: part.offset });
      continue;
    }
    try {
      // preserveParens: without it a wholly parenthesised expression ends before its closing ")".
      const node = parseExpressionAt(part.expression, 0, {
        ecmaVersion: 'latest',
        sourceType: 'script',
        preserveParens: true,
      });
      const rest = part.expression.slice(node.end).trim();
      if (rest !== '')
        errors.push({
          message: `Unexpected "${rest.slice(0, 20)}" after the expression`,
          offset: part.offset + node.end,
        });
    } catch (e) {
      const err = e as { message: string; pos?: number };
      errors.push({ message: err.message.replace(/ \(\d+:\d+\)$/, ''), offset: part.offset + (err.pos ?? 0) });
    }
  }
  return errors;
}

/**
 * The JavaScript expression that computes a template: a lone `{{ x }}` keeps x's type; mixed text
 * becomes string concatenation.
 */
export function templateToExpression(value: string): string {
  const parts = parseTemplate(value);
  const first = parts[0];
  if (parts.length === 1 && first && 'expression' in first) return `(${first.expression}\n)`;
  return parts.map((p) => ('text' in p ? JSON.stringify(p.text) : `__weft.str((${p.expression}\n))`)).join(' + ');
}

const NODE_REF = /\$\(\s*(['"`])((?:\\.|(?!\1).)*)\1\s*\)/g;

/** Names of the nodes an expression or code refers to with `$("Name")`. */
export function referencedNodes(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(NODE_REF)) {
    const raw = m[2] ?? '';
    names.add(raw.replace(/\\(.)/g, '$1'));
  }
  return [...names];
}
