import { buildCodeProgram, buildExpressionProgram, type ExpressionData, SandboxError } from '@weft/engine';
import { expressionData } from '@weft/testing';
import { describe, expect, it } from 'vitest';
import { IsolateSandbox } from './isolate-sandbox.js';

const limits = { timeoutMs: 2_000, memoryMb: 32 };
const bomb = 'const a = []; for (;;) a.push(new Array(100000).fill({ x: Math.random() })); return [];';

function runCode(sandbox: IsolateSandbox, code: string, label = 'Code', data: ExpressionData = expressionData()) {
  return sandbox.runCode({ program: buildCodeProgram(code, 'allItems'), data, limits, label });
}

function evaluate(sandbox: IsolateSandbox, expressions: string[], data: ExpressionData = expressionData()) {
  return sandbox.evaluate({
    program: buildExpressionProgram(expressions),
    data,
    itemCount: data.items.length,
    limits,
    label: 'Set',
  });
}

describe('IsolateSandbox pool', () => {
  for (const dispatch of ['sync', 'async'] as const) {
    it(`keeps serving other calls while one call's isolate is killed by a memory bomb (${dispatch})`, async () => {
      const sandbox = new IsolateSandbox({ size: 3, dispatch });
      try {
        const calls = Array.from({ length: 30 }, (_, i) =>
          runCode(sandbox, `return { i: ${i}, total: $input.all().reduce((s, x) => s + x.json.a, 0) };`, `Ok ${i}`),
        );
        const exploded = runCode(sandbox, bomb, 'Bomb').then(
          () => undefined,
          (e: unknown) => e,
        );
        const results = await Promise.all(calls);
        expect(results.map((r) => r.items[0]?.json)).toEqual(Array.from({ length: 30 }, (_, i) => ({ i, total: 3 })));
        const error = await exploded;
        expect(error).toBeInstanceOf(SandboxError);
        expect(error).toMatchObject({
          kind: 'memory',
          message: 'Bomb: exceeded the 32 MB memory limit; its isolate was disposed',
        });
        expect(sandbox.stats().disposed).toBe(1);
        expect(await evaluate(sandbox, ['$json.a'])).toEqual([[1], [2]]);
      } finally {
        await sandbox.close();
      }
    }, 20_000);
  }

  it('replaces an isolate that timed out and reports it in stats()', async () => {
    const sandbox = new IsolateSandbox({ size: 2 });
    try {
      await evaluate(sandbox, ['1']);
      expect(sandbox.stats()).toEqual({ size: 1, busy: 0, created: 1, disposed: 0, queued: 0 });
      await expect(
        sandbox.runCode({
          program: buildCodeProgram('for (;;) {}', 'allItems'),
          data: expressionData(),
          limits: { ...limits, timeoutMs: 30 },
          label: 'Spin',
        }),
      ).rejects.toMatchObject({ kind: 'timeout', message: 'Spin: code did not finish within 30 ms' });
      expect(sandbox.stats()).toMatchObject({ disposed: 1 });
      expect(await evaluate(sandbox, ['$json.name'])).toEqual([['Ada'], ['Grace']]);
      expect(sandbox.stats()).toMatchObject({ size: 1, busy: 0, created: 2, disposed: 1 });
    } finally {
      await sandbox.close();
    }
  });

  it('queues calls when every isolate is busy and runs them all', async () => {
    const sandbox = new IsolateSandbox({ size: 2, dispatch: 'async' });
    try {
      const calls = Array.from({ length: 12 }, (_, i) =>
        runCode(sandbox, `let s = 0; for (let k = 0; k < 2e5; k++) s += k; return { i: ${i}, s };`),
      );
      await Promise.resolve();
      expect(sandbox.stats().queued).toBeGreaterThan(0);
      const results = await Promise.all(calls);
      expect(results.map((r) => r.items[0]?.json.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(sandbox.stats()).toMatchObject({ size: 2, busy: 0, created: 2, queued: 0 });
    } finally {
      await sandbox.close();
    }
  });

  it('does not count time spent queued for an isolate against a call’s timeout', async () => {
    const sandbox = new IsolateSandbox({ size: 1, dispatch: 'async' });
    try {
      const slow = sandbox.runCode({
        program: buildCodeProgram(
          'const end = Date.now() + 150; while (Date.now() < end) {} return { slow: true };',
          'allItems',
        ),
        data: expressionData(),
        limits: { timeoutMs: 1_000, memoryMb: 32 },
        label: 'Slow',
      });
      const queued = sandbox.runCode({
        program: buildCodeProgram('await null; return { queued: true };', 'allItems'),
        data: expressionData(),
        limits: { timeoutMs: 100, memoryMb: 32 },
        label: 'Queued',
      });
      expect((await slow).items).toEqual([{ json: { slow: true } }]);
      expect((await queued).items).toEqual([{ json: { queued: true } }]);
      expect(sandbox.stats().disposed).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it('warms up the pool ahead of calls', async () => {
    const sandbox = new IsolateSandbox({ size: 3, memoryMb: 32 });
    try {
      await sandbox.warmUp();
      expect(sandbox.stats()).toEqual({ size: 3, busy: 0, created: 3, disposed: 0, queued: 0 });
      expect(await evaluate(sandbox, ['1 + 1'])).toEqual([[2], [2]]);
      expect(sandbox.stats().created).toBe(3);
    } finally {
      await sandbox.close();
    }
  });

  it('gives each memory limit its own isolates', async () => {
    const sandbox = new IsolateSandbox({ size: 1 });
    try {
      const program = buildExpressionProgram(['$json.a']);
      const call = (memoryMb: number) =>
        sandbox.evaluate({
          program,
          data: expressionData(),
          itemCount: 1,
          limits: { timeoutMs: 500, memoryMb },
          label: 'M',
        });
      expect(await call(16)).toEqual([[1]]);
      expect(await call(48)).toEqual([[1]]);
      expect(sandbox.stats()).toMatchObject({ size: 1, created: 2, disposed: 1 });
    } finally {
      await sandbox.close();
    }
  });

  it('rejects a cacheSize that is not a positive integer', () => {
    expect(() => new IsolateSandbox({ size: 1, cacheSize: 0 })).toThrow(
      'IsolateSandbox: cacheSize must be a positive integer, got 0',
    );
  });

  it('keeps results correct when the program cache evicts', async () => {
    const sandbox = new IsolateSandbox({ size: 1, cacheSize: 2 });
    try {
      for (let round = 0; round < 3; round++) {
        for (let k = 0; k < 4; k++) {
          expect(await evaluate(sandbox, [`$json.a * ${k}`])).toEqual([[k], [2 * k]]);
          expect((await runCode(sandbox, `return { k: ${k} };`)).items).toEqual([{ json: { k } }]);
        }
      }
    } finally {
      await sandbox.close();
    }
  });

  it('refuses results larger than maxOutputChars', async () => {
    const sandbox = new IsolateSandbox({ size: 1, maxOutputChars: 10_000 });
    try {
      await expect(runCode(sandbox, `return { s: 'x'.repeat(20000) };`, 'Big')).rejects.toMatchObject({
        kind: 'output',
        message: expect.stringMatching(/^Big: the result is \d+ characters of JSON, more than allowed$/),
      });
      await expect(evaluate(sandbox, [`'y'.repeat(20000)`])).rejects.toMatchObject({ kind: 'output' });
      expect((await runCode(sandbox, `return { s: 'x'.repeat(100) };`)).items[0]?.json.s).toHaveLength(100);
    } finally {
      await sandbox.close();
    }
  });

  it('reports syntax errors without positions inside the wrapped program', async () => {
    const sandbox = new IsolateSandbox({ size: 1 });
    try {
      await expect(evaluate(sandbox, ['$json.a +* 2'])).rejects.toMatchObject({
        kind: 'syntax',
        message: "Set: SyntaxError: Unexpected token '*'",
      });
      await expect(runCode(sandbox, 'return {;', 'Broken')).rejects.toMatchObject({
        kind: 'syntax',
        message: "Broken: SyntaxError: Unexpected token ';'",
      });
    } finally {
      await sandbox.close();
    }
  });

  it('rejects invalid limits with an error naming the node', async () => {
    const sandbox = new IsolateSandbox({ size: 1 });
    try {
      const program = buildExpressionProgram(['1']);
      const data = expressionData();
      await expect(
        sandbox.evaluate({ program, data, itemCount: 1, limits: { timeoutMs: 0, memoryMb: 32 }, label: 'Bad' }),
      ).rejects.toThrow('Bad: limits.timeoutMs must be a positive integer (ms), got 0');
      await expect(
        sandbox.evaluate({ program, data, itemCount: 1, limits: { timeoutMs: 10, memoryMb: 4 }, label: 'Bad' }),
      ).rejects.toThrow('Bad: limits.memoryMb must be an integer of at least 8 (MB), got 4');
    } finally {
      await sandbox.close();
    }
  });

  it('close() disposes every isolate, fails running calls and refuses new ones', async () => {
    const sandbox = new IsolateSandbox({ size: 2, dispatch: 'async' });
    await sandbox.warmUp(2, 32);
    const running = runCode(sandbox, 'await new Promise(() => {});', 'Hang');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // the call may fail while close() is still waiting: hold the expectation before closing
    const failed = expect(running).rejects.toMatchObject({
      kind: 'error',
      message: 'Hang: the sandbox was closed during the call',
    });
    await sandbox.close();
    await failed;
    expect(sandbox.stats()).toMatchObject({ size: 0, busy: 0, disposed: 2 });
    await expect(evaluate(sandbox, ['1'])).rejects.toThrow('@weft/sandbox: the sandbox is closed');
  });

  it('in async dispatch the event loop keeps running while user code loops', async () => {
    const sandbox = new IsolateSandbox({ size: 1, dispatch: 'async' });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const started = Date.now();
      await expect(
        sandbox.runCode({
          program: buildCodeProgram('for (;;) {}', 'allItems'),
          data: expressionData(),
          limits: { timeoutMs: 200, memoryMb: 32 },
          label: 'Spin',
        }),
      ).rejects.toMatchObject({ kind: 'timeout' });
      clearInterval(timer);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(ticks).toBeGreaterThan(10);
    } finally {
      await sandbox.close();
    }
  });
});
