import {
  buildCodeProgram,
  buildExpressionProgram,
  type CodeSandbox,
  type EvaluateRequest,
  type RunCodeRequest,
  SandboxError,
  type SandboxLimits,
  templateToExpression,
} from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressionData } from './expression-data.js';

/**
 * What a sandbox can enforce beyond the port's baseline (timeouts of async code).
 *
 * @example
 * ```ts
 * describeSandboxConformance('Mine', () => new MySandbox(), { stopsSyncLoops: true, knownFailures: ['runs with no input items'] });
 * ```
 */
export interface SandboxCapabilities {
  /** Stops synchronous infinite loops (`while (true) {}`) with a `timeout` error. */
  stopsSyncLoops?: boolean;
  /** Enforces `limits.memoryMb` with a `memory` error. */
  enforcesMemory?: boolean;
  /**
   * Test names this implementation is known to fail today. They run as `it.fails`, so the gap is
   * documented, the suite stays green, and fixing the gap turns the entry red until removed.
   */
  knownFailures?: readonly string[];
}

const limits: SandboxLimits = { timeoutMs: 2_000, memoryMb: 64 };

/**
 * The behaviour every {@link CodeSandbox} must show: expression values per item and slot,
 * template results, errors naming the node, item and slot, code-node items and logs in both
 * modes, timeouts of async code, `$env` holding only what was passed, no host globals, no state
 * carried from one call to the next; plus synchronous loops and memory limits when
 * `capabilities` says the sandbox enforces them.
 *
 * @example
 * ```ts
 * // packages/sandbox/src/isolate-sandbox.conformance.test.ts
 * import { describeSandboxConformance } from '@weft/testing';
 * describeSandboxConformance('IsolateSandbox', () => new IsolateSandbox({ size: 2 }), {
 *   stopsSyncLoops: true,
 *   enforcesMemory: true,
 * });
 * ```
 */
export function describeSandboxConformance(
  name: string,
  create: () => CodeSandbox,
  capabilities: SandboxCapabilities = {},
): void {
  const known = new Set(capabilities.knownFailures ?? []);
  const test = (title: string, fn: () => Promise<void>, timeout?: number) =>
    (known.has(title) ? it.fails : it)(title, fn, timeout);

  describe(`CodeSandbox conformance: ${name}`, () => {
    let sandbox: CodeSandbox;
    beforeAll(() => {
      sandbox = create();
    });
    afterAll(() => sandbox.close());

    const evaluate = (expressions: string[], request: Partial<EvaluateRequest> = {}) => {
      const data = request.data ?? expressionData();
      return sandbox.evaluate({
        program: buildExpressionProgram(expressions),
        data,
        itemCount: data.items.length,
        limits,
        label: 'Set',
        ...request,
      });
    };
    const runCode = (code: string, mode: 'allItems' | 'eachItem' = 'allItems', request: Partial<RunCodeRequest> = {}) =>
      sandbox.runCode({
        program: buildCodeProgram(code, mode),
        data: expressionData(),
        limits,
        label: 'Code',
        ...request,
      });
    const failure = async (promise: Promise<unknown>): Promise<SandboxError> => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SandboxError);
      return error as SandboxError;
    };

    describe('expressions', () => {
      test('evaluates every expression for every item', async () => {
        expect(await evaluate(['$json.a + 1', '$json.name.toUpperCase()', '$itemIndex'])).toEqual([
          [2, 'ADA', 0],
          [3, 'GRACE', 1],
        ]);
      });

      test('evaluates once with an empty $json when there are no items', async () => {
        const data = expressionData({ items: [] });
        expect(
          await evaluate(['Object.keys($json).length', 'Object.keys($binary).length', '$input.all().length'], {
            data,
            itemCount: 0,
          }),
        ).toEqual([[0, 0, 0]]);
      });

      test('exposes the whole expression scope', async () => {
        const values = await evaluate([
          '$input.first().json.name',
          '$input.all().length',
          '$("Fetch").first().json.status',
          '$execution.id',
          '$workflow.name',
          '$env.API_BASE',
          '$vars.region',
          '$runIndex',
          '$now.toISOString()',
          '$today.toISOString()',
        ]);
        expect(values[0]).toEqual([
          'Ada',
          2,
          200,
          'exec-1',
          'Conformance',
          'https://api.example.test',
          'eu',
          0,
          '2024-03-15T12:30:00.000Z',
          '2024-03-15T00:00:00.000Z',
        ]);
      });

      test('provides the helper library', async () => {
        const values = await evaluate([
          '$str.slug("Hello, World!")',
          '$arr.sum([1, 2, 3.5])',
          '$obj.get({ a: { b: 7 } }, "a.b")',
          '$date.format($now, "yyyy-MM-dd HH:mm")',
          '$date.now().getTime()',
        ]);
        expect(values[0]).toEqual(['hello-world', 6.5, 7, '2024-03-15 12:30', Date.UTC(2024, 2, 15, 12, 30, 0)]);
      });

      test('turns templates into values: a lone expression keeps its type, mixed text is a string', async () => {
        const values = await evaluate([
          templateToExpression('{{ $json.a }}'),
          templateToExpression('Hi {{ $json.name }}, you have {{ $json.tags }}!'),
          templateToExpression('{{ { n: $json.a } }}'),
          templateToExpression('at {{ $now }}'),
        ]);
        expect(values[0]).toEqual([1, 'Hi Ada, you have ["x","y"]!', { n: 1 }, 'at 2024-03-15T12:30:00.000Z']);
      });

      test('returns only JSON: undefined becomes null, dates ISO strings, bigints strings', async () => {
        expect((await evaluate(['undefined', '$now', '10n', 'NaN']))[0]).toEqual([
          null,
          '2024-03-15T12:30:00.000Z',
          '10',
          null,
        ]);
      });

      test('reports the item and slot of a failing expression', async () => {
        const error = await failure(evaluate(['$json.a', '$json.a > 1 ? $json.missing.deep : 0']));
        expect(error.kind).toBe('error');
        expect(error.where).toEqual({ itemIndex: 1, slot: 1 });
        expect(error.message).toMatch(/^Set \(item 1\): TypeError: .*deep/);
      });

      test('names an unknown node in $("...")', async () => {
        const error = await failure(evaluate(['$("Nope").first()']));
        expect(error.message).toContain('$("Nope")');
        expect(error.where.itemIndex).toBe(0);
      });

      test('reports a syntax error as kind "syntax" naming the node', async () => {
        const error = await failure(evaluate(['$json.a +* 2']));
        expect(error.kind).toBe('syntax');
        expect(error.message).toContain('Set');
      });
    });

    describe('code nodes', () => {
      test('runs once for all items and wraps plain objects as items', async () => {
        const result = await runCode('return $input.all().map((i) => ({ total: i.json.a * 10 }));');
        expect(result).toEqual({ items: [{ json: { total: 10 } }, { json: { total: 20 } }], logs: [] });
      });

      test('runs with no input items', async () => {
        const result = await runCode(
          'return { n: items.length, json: typeof $json, binary: typeof $binary };',
          'allItems',
          {
            data: expressionData({ items: [] }),
          },
        );
        expect(result.items).toEqual([{ json: { n: 0, json: 'object', binary: 'object' } }]);
      });

      test('keeps items that already have a json field', async () => {
        const result = await runCode('return [{ json: { x: 1 } }, { json: { y: 2 } }];');
        expect(result.items).toEqual([{ json: { x: 1 } }, { json: { y: 2 } }]);
      });

      test('runs per item in eachItem mode and drops null results', async () => {
        const result = await runCode(
          'return $json.a === 1 ? null : { doubled: $json.a * 2, i: $itemIndex };',
          'eachItem',
        );
        expect(result.items).toEqual([{ json: { doubled: 4, i: 1 } }]);
      });

      test('captures console output', async () => {
        const result = await runCode('console.log("count", items.length, { a: 1 }); console.warn("w"); return [];');
        expect(result).toEqual({ items: [], logs: ['count 2 {"a":1}', 'w'] });
      });

      test('awaits async code', async () => {
        const result = await runCode('const v = await Promise.resolve(41); return { v: v + 1 };');
        expect(result.items).toEqual([{ json: { v: 42 } }]);
      });

      test('reports the item of a failing eachItem run', async () => {
        const error = await failure(
          runCode('if ($itemIndex === 1) throw new Error("bad row"); return $json;', 'eachItem'),
        );
        expect(error.kind).toBe('error');
        expect(error.where.itemIndex).toBe(1);
        expect(error.message).toBe('Code (item 1): bad row');
      });

      test('rejects results that are not objects', async () => {
        const error = await failure(runCode('return [1];'));
        expect(error.message).toContain('not an object');
      });

      test('times out a promise that never settles, then keeps working', async () => {
        const started = Date.now();
        const error = await failure(
          runCode('await new Promise(() => {}); return [];', 'allItems', { limits: { ...limits, timeoutMs: 100 } }),
        );
        expect(error.kind).toBe('timeout');
        expect(error.message).toContain('Code');
        expect(error.message).toContain('100 ms');
        expect(Date.now() - started).toBeLessThan(1_500);
        expect((await runCode('return { ok: true };')).items).toEqual([{ json: { ok: true } }]);
      });

      test('$env holds exactly the variables passed', async () => {
        const data = expressionData({ env: { ONLY: 'this' } });
        const result = await runCode(
          'return { keys: Object.keys($env), v: $env.ONLY, path: $env.PATH ?? null };',
          'allItems',
          {
            data,
          },
        );
        expect(result.items).toEqual([{ json: { keys: ['ONLY'], v: 'this', path: null } }]);
      });

      test('has no host globals', async () => {
        const result = await runCode(
          'return { p: typeof process, r: typeof require, m: typeof module, b: typeof Buffer, f: typeof fetch, t: typeof setTimeout };',
        );
        expect(result.items[0]?.json).toEqual({
          p: 'undefined',
          r: 'undefined',
          m: 'undefined',
          b: 'undefined',
          f: 'undefined',
          t: 'undefined',
        });
      });

      test('carries no state from one call to the next', async () => {
        // A sandbox may refuse the writes (the call fails) or let them happen in a throwaway scope.
        await runCode('globalThis.leak = 1; Array.prototype.leak = 2; Object.prototype.leak = 3; return [];').catch(
          (e: unknown) => expect(e).toBeInstanceOf(SandboxError),
        );
        const result = await runCode('return { g: typeof globalThis.leak, a: typeof [].leak, o: typeof ({}).leak };');
        expect(result.items[0]?.json).toEqual({ g: 'undefined', a: 'undefined', o: 'undefined' });
      });
    });

    if (capabilities.stopsSyncLoops) {
      describe('synchronous loops', () => {
        test('stops an endless expression and keeps working', async () => {
          const error = await failure(
            evaluate(['(() => { while (true) {} })()'], { limits: { ...limits, timeoutMs: 50 } }),
          );
          expect(error.kind).toBe('timeout');
          expect(error.message).toBe('Set: code did not finish within 50 ms');
          expect(await evaluate(['$json.a'])).toEqual([[1], [2]]);
        });

        test('stops an endless code node, before or after an await', async () => {
          for (const code of ['while (true) {}', 'await null; while (true) {}', 'while (true) { await null; }']) {
            const error = await failure(runCode(code, 'allItems', { limits: { ...limits, timeoutMs: 50 } }));
            expect(error.kind).toBe('timeout');
            expect(error.message).toBe('Code: code did not finish within 50 ms');
          }
          expect((await runCode('return { ok: 1 };')).items).toEqual([{ json: { ok: 1 } }]);
        });
      });
    }

    if (capabilities.enforcesMemory) {
      describe('memory limits', () => {
        test('stops a memory bomb with kind "memory", then keeps working', async () => {
          const bomb = 'const a = []; while (true) a.push(new Array(100000).fill({ x: Math.random() })); return [];';
          const error = await failure(runCode(bomb, 'allItems', { limits: { timeoutMs: 10_000, memoryMb: 16 } }));
          expect(error.kind).toBe('memory');
          expect(error.message).toContain('Code');
          expect(error.message).toContain('16 MB');
          expect((await runCode('return { ok: 1 };')).items).toEqual([{ json: { ok: 1 } }]);
        }, 20_000);

        test('stops a bomb of large arrays with kind "memory", then keeps working', async () => {
          const bomb = 'const a = []; while (true) a.push(new Array(1e6).fill(1)); return [];';
          const error = await failure(runCode(bomb, 'allItems', { limits: { timeoutMs: 10_000, memoryMb: 64 } }));
          expect(error.kind).toBe('memory');
          expect(error.message).toContain('64 MB');
          expect((await runCode('return { ok: 1 };')).items).toEqual([{ json: { ok: 1 } }]);
        }, 30_000);
      });
    }
  });
}
