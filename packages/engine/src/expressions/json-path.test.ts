import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildExpressionProgram,
  type CodeSandbox,
  type EvaluateRequest,
  InterpreterSandbox,
  type JsonValue,
  WorkflowEngine,
} from '../index.js';
import { items, T, wf } from '../test-utils.js';
import { jsonPathOf, NOT_PLAIN, readJsonPath } from './json-path.js';
import { templateToExpression } from './template.js';

const limits = { timeoutMs: 1000, memoryMb: 32 };
const sandbox = new InterpreterSandbox();

async function inSandbox(template: string, json: JsonValue): Promise<unknown> {
  const program = buildExpressionProgram([templateToExpression(template)]);
  const data = {
    items: [{ json }],
    nodes: {},
    execution: { id: 'x', mode: 'manual' },
    workflow: { id: 'w', name: 'w' },
    env: {},
    now: 0,
    runIndex: 0,
  };
  const [row] = await sandbox.evaluate({ program, data, itemCount: 1, limits, label: 'test' } as EvaluateRequest);
  return row?.[0];
}

describe('plain $json paths', () => {
  it('recognises only expressions that read a $json path', () => {
    const path = (t: string) => jsonPathOf(templateToExpression(t));
    expect(path('{{ $json.total }}')).toEqual(['total']);
    expect(path('{{$json.order.lines[0]["unit price"]}}')).toEqual(['order', 'lines', 0, 'unit price']);
    expect(path("{{ $json['a'] . b }}")).toEqual(['a', 'b']);
    expect(path('{{ $json }}')).toEqual([]);
    for (const t of [
      '{{ $json.a + 1 }}',
      'total: {{ $json.a }}',
      '{{ $json.a() }}',
      '{{ $json.a; globalThis }}',
      '{{ $jsonx.a }}',
      '{{ $json[$json.k] }}',
      '{{ $json.constructor }}',
      '{{ $json.__proto__ }}',
      '{{ $json["prototype"] }}',
      '{{ $json.a }} {{ $json.b }}',
      '{{ $input.item.json.a }}',
    ])
      expect(path(t), t).toBeUndefined();
  });

  it('reads what the sandbox would return, or defers to it', async () => {
    const json = { a: { b: [1, { c: 'x' }] }, n: null, s: 'str', arr: [1, 2] };
    expect(readJsonPath(json, ['a', 'b', 1, 'c'])).toBe('x');
    expect(readJsonPath(json, ['missing'])).toBeNull();
    expect(readJsonPath(json, ['arr', 'length'])).toBe(2);
    expect(readJsonPath(json, ['missing', 'deeper'])).toBe(NOT_PLAIN);
    expect(readJsonPath(json, ['n', 'x'])).toBe(NOT_PLAIN);
    expect(readJsonPath(json, ['s', 'length'])).toBe(NOT_PLAIN);
    expect(readJsonPath(json, ['toString'])).toBe(NOT_PLAIN);
    const copy = readJsonPath(json, ['a']) as { b: unknown[] };
    expect(copy).toEqual(json.a);
    expect(copy).not.toBe(json.a);
  });

  it('agrees with the sandbox on random data and paths', async () => {
    const key = fc.constantFrom('a', 'b', 'total', 'unit price', 'length', '0', '1');
    const step = fc.oneof(key, fc.integer({ min: 0, max: 3 }));
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(key, fc.jsonValue({ maxDepth: 3 })),
        fc.array(step, { minLength: 1, maxLength: 4 }),
        async (extra, json, path) => {
          const data = { ...json, extra } as JsonValue;
          const template = `{{ $json${path.map((p) => (typeof p === 'number' ? `[${p}]` : `[${JSON.stringify(p)}]`)).join('')} }}`;
          const compiled = jsonPathOf(templateToExpression(template));
          expect(compiled).toEqual(path);
          const fast = readJsonPath(data, path);
          if (fast === NOT_PLAIN) return;
          expect(fast).toEqual(await inSandbox(template, data));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('engine: nodes whose expressions only read $json paths', () => {
  class CountingSandbox implements CodeSandbox {
    evaluations = 0;
    constructor(private readonly inner: CodeSandbox) {}
    evaluate(request: EvaluateRequest) {
      this.evaluations++;
      return this.inner.evaluate(request);
    }
    runCode(request: Parameters<CodeSandbox['runCode']>[0]) {
      return this.inner.runCode(request);
    }
  }

  it('run without a sandbox call, and fall back to it where the data is not plain', async () => {
    const counting = new CountingSandbox(sandbox);
    const engine = new WorkflowEngine({ sandbox: counting });
    const workflow = wf(
      [
        T,
        {
          name: 'Big?',
          type: 'weft.if',
          parameters: { conditions: [{ left: '{{ $json.order.total }}', operator: 'gte', right: '100' }] },
        },
        {
          name: 'Yes',
          type: 'weft.set',
          parameters: { fields: [{ name: 'who', value: '{{ $json.order.customer }}' }] },
        },
      ],
      ['T -> Big?', 'Big?:true -> Yes'],
    );
    const r = await engine.execute(workflow, { input: items({ order: { total: 150, customer: 'ada' } }) });
    expect(r.output).toEqual(items({ order: { total: 150, customer: 'ada' }, who: 'ada' }));
    expect(counting.evaluations).toBe(0);

    // `order` is missing: reading `.total` of undefined is the sandbox's error to report
    const failed = await engine.execute(workflow, { input: items({ other: 1 }) });
    expect(counting.evaluations).toBe(1);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('EXPRESSION_ERROR');
    expect(failed.error?.message).toContain('Big?');
  });
});
