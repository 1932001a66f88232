/**
 * The text a field shows when switched to expression mode: its text as it is (templates mix text
 * and `{{ }}`), a non-text value as a `{{ literal }}`, and `{{ $json }}` (the input item, a start
 * to edit) when it is empty.
 *
 * @example
 * ```ts
 * toExpression('Hello'); // 'Hello'
 * toExpression(42); // '{{ 42 }}'
 * ```
 */
export function toExpression(value: unknown): string {
  if (value === undefined || value === null || value === '') return '{{ $json }}';
  return typeof value === 'string' ? value : `{{ ${JSON.stringify(value)} }}`;
}

/**
 * The fixed value a field keeps when switched back from expression mode: a `{{ literal }}` becomes
 * the literal, other text stays with its `{{ }}` markers removed, so nothing typed is lost.
 *
 * @example
 * ```ts
 * fromExpression('{{ 42 }}'); // 42
 * fromExpression('Hi {{ $json.name }}'); // 'Hi $json.name'
 * ```
 */
export function fromExpression(text: string): unknown {
  const single = /^\{\{\s*([\s\S]*?)\s*\}\}$/.exec(text.trim());
  if (single) {
    try {
      const v: unknown = JSON.parse(single[1] as string);
      if (v === null || typeof v !== 'object') return v;
    } catch {
      // not a literal: keep the text below
    }
  }
  return text.replace(/\{\{\s?|\s?\}\}/g, '');
}
