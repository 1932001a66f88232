import { describe, expect, it } from 'vitest';
import { buildCodeProgram } from '../expressions/programs.js';
import type { ExpressionData } from '../ports/code-sandbox.js';
import { SandboxError } from '../ports/code-sandbox.js';
import { InterpreterSandbox } from './interpreter-sandbox.js';

const data: ExpressionData = {
  items: [{ json: { a: 1 } }],
  nodes: {},
  execution: { id: 'e1', mode: 'test' },
  workflow: { id: 'w1', name: 'Bomb' },
  env: {},
  now: 0,
  runIndex: 0,
};

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

describe('InterpreterSandbox memory limit', () => {
  it('stops an allocation bomb of large arrays at the limit, as a memory error, and starts afresh', async () => {
    const sandbox = new InterpreterSandbox();
    // A deadline far enough away that the memory limit is what stops the bomb.
    const limits = { timeoutMs: 10_000, memoryMb: 64 };
    await sandbox.runCode({ program: buildCodeProgram('return [];', 'allItems'), data, limits, label: 'Warm' });
    const before = rssMb();

    const error = await sandbox
      .runCode({
        program: buildCodeProgram('const a = []; while (true) a.push(new Array(1e6).fill(1)); return [];', 'allItems'),
        data,
        limits,
        label: 'Bomb',
      })
      .catch((e: unknown) => e);

    // QuickJS's own limit let this reach the 2 GB WebAssembly ceiling and then reported a timeout.
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).kind).toBe('memory');
    expect((error as SandboxError).message).toMatch(/^Bomb: code exceeded the 64 MB memory limit/);
    expect(rssMb() - before).toBeLessThan(400);
    expect(sandbox.stats()).toMatchObject({ size: 0, created: 1, disposed: 1 });

    const next = await sandbox.runCode({
      program: buildCodeProgram('return { n: new Array(1e5).fill(1).length };', 'allItems'),
      data,
      limits,
      label: 'After',
    });
    expect(next.items).toEqual([{ json: { n: 100_000 } }]);
    expect(sandbox.stats()).toMatchObject({ size: 1, created: 2 });
    await sandbox.close();
  }, 30_000);

  it('reports a bomb caught and rethrown by user code as a memory error too', async () => {
    const sandbox = new InterpreterSandbox();
    const code = 'try { const a = []; while (true) a.push("x".repeat(1e6) + a.length); } catch (e) { throw e; }';
    const error = await sandbox
      .runCode({
        program: buildCodeProgram(code, 'allItems'),
        data,
        limits: { timeoutMs: 5_000, memoryMb: 16 },
        label: 'Strings',
      })
      .catch((e: unknown) => e);
    expect((error as SandboxError).kind).toBe('memory');
    expect((error as SandboxError).message).toContain('16 MB');
    await sandbox.close();
  }, 30_000);
});

describe('InterpreterSandbox timeout', () => {
  it('stops a loop of heavy native calls at the deadline, not 10,000 loop turns later', async () => {
    const sandbox = new InterpreterSandbox();
    const loops = [
      'while (true) new Array(1e6).fill(1);',
      'while (true) "x".repeat(1e7).length;',
      'const a = [1, 2, 3]; while (true) a.concat(new Array(5e5).fill(0)).sort();',
    ];
    for (const code of loops) {
      // Before the pacer each of these ran a minute or more (past this test's own timeout).
      const error = await sandbox
        .runCode({
          program: buildCodeProgram(code, 'allItems'),
          data,
          limits: { timeoutMs: 200, memoryMb: 64 },
          label: 'Busy',
        })
        .catch((e: unknown) => e);
      expect((error as SandboxError).kind, code).toBe('timeout');
      expect((error as SandboxError).message).toBe('Busy: code did not finish within 200 ms');
    }
    await sandbox.close();
  }, 20_000);
});
