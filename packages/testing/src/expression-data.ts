import type { ExpressionData, Item } from '@weft/engine';

/**
 * A complete {@link ExpressionData} for sandbox tests: two items, one upstream node ("Fetch"),
 * fixed ids, one env variable, `now` at 2024-03-15T12:30:00Z. Pass overrides to change parts.
 *
 * @example
 * ```ts
 * const data = expressionData({ items: [{ json: { a: 1 } }], env: {} });
 * await sandbox.evaluate({ program, data, itemCount: data.items.length, limits, label: 'Set' });
 * ```
 */
export function expressionData(overrides: Partial<ExpressionData> = {}): ExpressionData {
  const items: Item[] = [
    { json: { a: 1, name: 'Ada', tags: ['x', 'y'] } },
    { json: { a: 2, name: 'Grace', tags: [] } },
  ];
  return {
    items,
    nodes: { Fetch: [{ json: { status: 200, body: 'ok' } }] },
    execution: { id: 'exec-1', mode: 'test' },
    workflow: { id: 'wf-1', name: 'Conformance' },
    env: { API_BASE: 'https://api.example.test' },
    now: Date.UTC(2024, 2, 15, 12, 30, 0),
    runIndex: 0,
    vars: { region: 'eu' },
    ...overrides,
  };
}
