/** One If/Filter condition row, as the engine's `conditions` parameter holds it. */
export interface ConditionRow {
  left: string;
  operator: string;
  right?: string;
}

const OPERATORS: [RegExp, string][] = [
  [/\s+(?:is\s+)?(?:over|above|greater than|more than|larger than|exceeds|>)\s+/i, 'gt'],
  [/\s+(?:is\s+)?(?:under|below|less than|smaller than|<)\s+/i, 'lt'],
  [/\s+(?:is\s+)?(?:at least|>=)\s+/i, 'gte'],
  [/\s+(?:is\s+)?(?:at most|<=)\s+/i, 'lte'],
  [/\s+(?:does not contain|doesn't contain)\s+/i, 'notContains'],
  [/\s+contains?\s+/i, 'contains'],
  [/\s+(?:starts with)\s+/i, 'startsWith'],
  [/\s+(?:ends with)\s+/i, 'endsWith'],
  [/\s+(?:is not|isn't|!=|does not equal)\s+/i, 'notEquals'],
  [/\s+(?:is|equals|==|=)\s+/i, 'equals'],
];

function field(words: string): string {
  const cleaned = words
    .toLowerCase()
    .replace(/^(the|its|their|a|an)\s+/, '')
    .replace(/^(order|payment|item|issue|row|customer|request)'?s?\s+(?=\w)/, '')
    .trim();
  return cleaned.replace(/[^a-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/[^a-zA-Z0-9]/g, '');
}

/**
 * Reads a condition like "the amount is over 100" or "status is failed" as a condition row on the
 * incoming item (`{{ $json.amount }} gt 100`); undefined when the words do not say which field.
 *
 * @example
 * ```ts
 * parseCondition('the amount is over 100'); // { left: '{{ $json.amount }}', operator: 'gt', right: '100' }
 * ```
 */
export function parseCondition(text: string): ConditionRow | undefined {
  const t = text.trim().replace(/[.,;]+$/, '');
  const empty = t.match(/^(.+?)\s+is\s+(not\s+)?empty$/i);
  if (empty?.[1]) {
    const name = field(empty[1]);
    return name ? { left: `{{ $json.${name} }}`, operator: empty[2] ? 'isNotEmpty' : 'isEmpty' } : undefined;
  }
  for (const [re, operator] of OPERATORS) {
    const m = t.match(re);
    if (m?.index === undefined) continue;
    const name = field(t.slice(0, m.index));
    const right = t
      .slice(m.index + m[0].length)
      .trim()
      .replace(/^["'$€£]|["']$/g, '');
    if (!name || !right) return undefined;
    return { left: `{{ $json.${name} }}`, operator, right };
  }
  return undefined;
}
