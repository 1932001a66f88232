import { describe, expect, it } from 'vitest';
import { orderFlow } from './order-flow.test-support.js';
import { InvalidTestSuiteError, parseTestSuite, stringifyTestSuite, testSuiteProblems } from './test-suite-document.js';
import type { TestSuite } from './test-suite-schema.js';

const suite: TestSuite = {
  gate: true,
  cases: [
    {
      name: 'large',
      input: [{ json: { body: { lines: [{ price: 60, qty: 2 }] } } }],
      now: '2026-02-01T09:00:00Z',
      mocks: { 'Send invoice': [{ json: { invoiceId: 'inv-1' } }] },
      assertions: [
        { kind: 'equals', node: 'Compute total', item: 0, path: 'total', value: 120 },
        { kind: 'schema', node: 'Tag large', schema: { type: 'array', minItems: 1 } },
      ],
    },
  ],
};

describe('suite documents', () => {
  it('round-trip through YAML and JSON', () => {
    for (const format of ['yaml', 'json'] as const) {
      const text = stringifyTestSuite(suite, format);
      expect(parseTestSuite(text, orderFlow())).toEqual(suite);
    }
    expect(stringifyTestSuite(suite, 'yaml')).toContain('kind: equals');
  });

  it('name every problem with a JSON pointer', () => {
    const bad = {
      cases: [
        { name: 'a', assertions: [{ kind: 'equals', node: 'Nope', value: 1 }], mocks: { Ghost: [] } },
        { name: 'a', now: 'yesterday', assertions: [] },
      ],
    };
    expect(testSuiteProblems(bad, orderFlow())).toEqual([
      { path: '/cases/0/mocks/Ghost', message: 'mocks a node "Ghost" the workflow does not have' },
      { path: '/cases/0/assertions/0', message: 'names a node "Nope" the workflow does not have' },
      { path: '/cases/1/name', message: '"a" names two cases' },
      { path: '/cases/1/now', message: '"yesterday" is not an ISO date-time' },
    ]);
    const schema = testSuiteProblems({ cases: [{ name: 'x', assertions: [{ kind: 'sometimes' }] }] });
    expect(schema[0]?.path).toBe('/cases/0/assertions/0');
    expect(() => parseTestSuite('cases: [unclosed', orderFlow())).toThrow(InvalidTestSuiteError);
    expect(() => parseTestSuite('cases: [unclosed')).toThrow(/^Invalid test suite: \/ is not valid JSON or YAML/);
  });
});
