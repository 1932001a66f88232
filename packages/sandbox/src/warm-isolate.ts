import { EXPRESSION_RUNTIME_SOURCE } from '@weft/engine';
import ivm from 'isolated-vm';
import { LRUCache } from 'lru-cache';
import { LOCKDOWN_SOURCE } from './lockdown-source.js';
import { wrapCodeProgram, wrapExpressionProgram } from './program-wrappers.js';

/** `program(dataJson, itemCount) -> resultJson`, compiled in one context. */
export type ExpressionFunction = ivm.Reference<(dataJson: string, itemCount: number) => string>;

/** The handles of one compiled code program (see {@link wrapCodeProgram}). */
export interface CodeFunctions {
  start: ivm.Reference<(dataJson: string) => void>;
  take: ivm.Reference<() => string | false>;
  wait: ivm.Reference<() => Promise<string>>;
  run: ivm.Reference<(dataJson: string) => Promise<string>>;
}

type Compiled = { kind: 'expression'; fn: ExpressionFunction } | { kind: 'code'; fns: CodeFunctions };

/** How a {@link WarmIsolate} is built. */
export interface WarmIsolateOptions {
  memoryMb: number;
  /** Compiled programs kept per isolate. */
  cacheSize: number;
  /** Largest result string (characters) a program may hand back. */
  maxOutputChars: number;
}

/**
 * One pooled isolate: a V8 isolate with its memory limit and a single context in which the
 * engine's runtime is loaded, locked down and hardened; compiled programs are cached by key.
 * Nothing but strings and numbers crosses into it: it holds no reference to a host object.
 *
 * @example
 * ```ts
 * const warm = await WarmIsolate.create({ memoryMb: 64, cacheSize: 100, maxOutputChars: 1e7 });
 * const fn = warm.expression(buildExpressionProgram(['1 + 1']));
 * fn.applySync(undefined, [JSON.stringify(data), 0], { timeout: 100 }); // '{"v":[[2]]}'
 * warm.dispose();
 * ```
 */
export class WarmIsolate {
  readonly #cache: LRUCache<string, Compiled>;

  private constructor(
    readonly isolate: ivm.Isolate,
    readonly context: ivm.Context,
    readonly options: WarmIsolateOptions,
  ) {
    this.#cache = new LRUCache<string, Compiled>({ max: options.cacheSize, dispose: release });
  }

  /** Builds an isolate and its context off the main thread where isolated-vm allows it. */
  static async create(options: WarmIsolateOptions): Promise<WarmIsolate> {
    const isolate = new ivm.Isolate({ memoryLimit: options.memoryMb });
    try {
      const context = await isolate.createContext();
      await context.eval(EXPRESSION_RUNTIME_SOURCE, { timeout: 5_000 });
      await context.eval(LOCKDOWN_SOURCE, { timeout: 5_000 });
      await context.eval('__weft.harden()', { timeout: 5_000 });
      return new WarmIsolate(isolate, context, options);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw new Error(`@weft/sandbox: could not prepare an isolate: ${(error as Error).message}`);
    }
  }

  get memoryMb(): number {
    return this.options.memoryMb;
  }

  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  /** The compiled expression program for `program`, compiling it on first use. Throws SyntaxError. */
  expression(program: { key: string; source: string }): ExpressionFunction {
    const cached = this.#cache.get(program.key);
    if (cached?.kind === 'expression') return cached.fn;
    const fn = this.#compile(wrapExpressionProgram(program.source, this.options.maxOutputChars)) as ExpressionFunction;
    this.#cache.set(program.key, { kind: 'expression', fn });
    return fn;
  }

  /** The compiled code program for `program`, compiling it on first use. Throws SyntaxError. */
  code(program: { key: string; source: string }): CodeFunctions {
    const cached = this.#cache.get(program.key);
    if (cached?.kind === 'code') return cached.fns;
    const handle = this.#compile(wrapCodeProgram(program.source, this.options.maxOutputChars));
    try {
      const fns: CodeFunctions = {
        start: handle.getSync('start', { reference: true }),
        take: handle.getSync('take', { reference: true }),
        wait: handle.getSync('wait', { reference: true }),
        run: handle.getSync('run', { reference: true }),
      };
      this.#cache.set(program.key, { kind: 'code', fns });
      return fns;
    } finally {
      handle.release();
    }
  }

  #compile(source: string): ivm.Reference {
    const script = this.isolate.compileScriptSync(source);
    try {
      return script.runSync(this.context, { reference: true, timeout: 1_000 });
    } finally {
      script.release();
    }
  }

  /** Number of compiled programs cached. */
  get cached(): number {
    return this.#cache.size;
  }

  /** Disposes the isolate (idempotent). Running calls fail with "Isolate was disposed". */
  dispose(): void {
    this.#cache.clear();
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }
}

function release(compiled: Compiled): void {
  try {
    if (compiled.kind === 'expression') compiled.fn.release();
    else for (const fn of Object.values(compiled.fns)) fn.release();
  } catch {
    // Releasing a handle of a disposed isolate throws; there is nothing left to free.
  }
}
