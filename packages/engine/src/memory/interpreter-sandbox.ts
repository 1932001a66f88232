import Sandbox from '@nyariv/sandboxjs';
import { decodeProgramResult } from '../expressions/programs.js';
import { EXPRESSION_RUNTIME_SOURCE } from '../expressions/runtime-source.js';
import type { JsonValue } from '../model/json.js';
import {
  type CodeSandbox,
  type EvaluateRequest,
  type RunCodeRequest,
  type RunCodeResult,
  SandboxError,
} from '../ports/code-sandbox.js';

type Compiled = (scope: Record<string, unknown>) => { run(): unknown };

/**
 * The engine's built-in sandbox: a JavaScript interpreter (sandboxjs) that runs in any
 * environment, browser included, without `eval`. It is what the canvas uses for live expression
 * previews and what the engine falls back to when no other sandbox is given.
 *
 * It is not an isolation boundary as strong as a V8 isolate and it cannot stop a tight
 * synchronous loop: on servers, use `IsolateSandbox` from `@weft/sandbox`.
 *
 * @example
 * ```ts
 * const engine = new WorkflowEngine({ sandbox: new InterpreterSandbox() });
 * ```
 */
export class InterpreterSandbox implements CodeSandbox {
  readonly #sandbox = new Sandbox();
  readonly #cache = new Map<string, Compiled>();
  #runtime: unknown;

  #compile(key: string, source: string, async: boolean): Compiled {
    let fn = this.#cache.get(key);
    if (!fn) {
      try {
        const body = `return ${source};`;
        fn = (async ? this.#sandbox.compileAsync(body) : this.#sandbox.compile(body)) as unknown as Compiled;
      } catch (e) {
        throw new SandboxError('syntax', (e as Error).message);
      }
      if (this.#cache.size > 500) this.#cache.clear();
      this.#cache.set(key, fn);
    }
    return fn;
  }

  #weft(): unknown {
    if (this.#runtime === undefined) {
      const init = this.#sandbox.compile(`${EXPRESSION_RUNTIME_SOURCE}\nreturn __weft;`);
      this.#runtime = init({}).run();
    }
    return this.#runtime;
  }

  async evaluate(request: EvaluateRequest): Promise<JsonValue[][]> {
    const fn = this.#compile(request.program.key, request.program.source, false);
    const program = fn({ __weft: this.#weft() }).run() as (data: string, count: number) => string;
    let result: string;
    try {
      result = program(JSON.stringify(request.data), request.itemCount);
    } catch (e) {
      throw new SandboxError('error', `${request.label}: ${(e as Error).message}`);
    }
    return decodeProgramResult<JsonValue[][]>(result, request.label);
  }

  async runCode(request: RunCodeRequest): Promise<RunCodeResult> {
    const fn = this.#compile(request.program.key, request.program.source, false);
    const program = fn({ __weft: this.#weft() }).run() as (data: string) => Promise<string>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SandboxError('timeout', `${request.label}: code did not finish within ${request.limits.timeoutMs} ms`),
          ),
        request.limits.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([program(JSON.stringify(request.data)), timeout]);
      return decodeProgramResult<RunCodeResult>(result, request.label);
    } catch (e) {
      if (e instanceof SandboxError) throw e;
      throw new SandboxError('error', `${request.label}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.#cache.clear();
  }
}
