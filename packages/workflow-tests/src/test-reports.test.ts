import { InterpreterSandbox } from '@weft/engine';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { order, orderFlow, registry } from './order-flow.test-support.js';
import { runTestSuite, type TestSuiteResult } from './run-test-suite.js';
import { formatReport, junitReport, tapReport } from './test-reports.js';

const sandbox = new InterpreterSandbox();
let result: TestSuiteResult;
beforeAll(async () => {
  result = await runTestSuite(
    orderFlow({ invoice: false }),
    {
      cases: [
        {
          name: 'small order <is> "small" & cheap',
          input: order([{ price: 5, qty: 1 }]),
          assertions: [{ kind: 'equals', node: 'Tag small', item: 0, path: 'tier', value: 'small' }],
        },
        {
          name: 'large order',
          input: order([{ price: 60, qty: 2 }]),
          assertions: [
            { kind: 'equals', node: 'Compute total', item: 0, path: 'total', value: 100 },
            { kind: 'route', node: 'Large order?', port: 'false' },
          ],
        },
      ],
    },
    { registry, sandbox },
  );
});
afterAll(() => sandbox.close());

describe('reports', () => {
  it('JUnit XML that a JUnit parser reads back: counts, cases and per-assertion diffs', () => {
    const text = junitReport([result]);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => n === 'testcase',
    }).parse(text);
    expect(doc.testsuites).toMatchObject({ tests: '2', failures: '1' });
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'Order webhook', tests: '2', failures: '1', errors: '0' });
    const [passed, failed] = suite.testcase;
    expect(passed).toMatchObject({ name: 'small order <is> "small" & cheap', classname: 'Order webhook' });
    expect(passed.failure).toBeUndefined();
    expect(failed.name).toBe('large order');
    expect(failed.failure.message).toBe('2 failures');
    expect(failed.failure['#text']).toBe(
      [
        '✗ equals on "Compute total" main item 0 total: 1 difference',
        '    $: expected 100, received 120',
        '✗ route "Large order?" → false: items went out on true',
        '    $.ports: expected ["false"], received ["true"]',
      ].join('\n'),
    );
    expect(Number(failed.time)).toBeGreaterThanOrEqual(0);
  });

  it('TAP 13 with a YAML block per failure', () => {
    const lines = tapReport([result]).trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'TAP version 13',
      '1..2',
      'ok 1 - Order webhook › small order <is> "small" & cheap',
      'not ok 2 - Order webhook › large order',
      '  ---',
    ]);
    expect(lines).toContain('        $: expected 100, received 120');
    expect(lines.slice(-3)).toEqual(['# tests 2', '# pass 1', '# fail 1']);
  });

  it('JSON: the result itself', () => {
    expect(JSON.parse(formatReport([result], 'json'))).toEqual(JSON.parse(JSON.stringify(result)));
  });
});
