import { availableParallelism } from 'node:os';
import {
  type CodeSandbox,
  decodeProgramResult,
  type EvaluateRequest,
  type JsonValue,
  type RunCodeRequest,
  type RunCodeResult,
  type SandboxError,
  type SandboxLimits,
} from '@weft/engine';
import { assertIsolateFlags } from './isolate-flags.js';
import { IsolatePool, type IsolatePoolStats } from './isolate-pool.js';
import { timeoutError, toSandboxError } from './to-sandbox-error.js';
import type { CodeFunctions, WarmIsolate } from './warm-isolate.js';

/**
 * Options of {@link IsolateSandbox}; all optional.
 *
 * @example
 * ```ts
 * new IsolateSandbox({ size: 4, dispatch: 'async', cacheSize: 1000, maxOutputChars: 1 << 20 });
 * ```
 */
export interface IsolateSandboxOptions {
  /** Most isolates alive at once. Default: `os.availableParallelism()`. */
  size?: number;
  /**
   * How calls enter an isolate.
   * - `'sync'` (default): `applySync` on the calling thread, about 5 µs per call. A call that
   *   loops blocks the event loop until its `timeoutMs` stops it.
   * - `'async'`: `apply` on isolated-vm's thread pool, so isolates run in parallel and the event
   *   loop never waits for user code, for roughly 20-50 µs per call.
   */
  dispatch?: 'sync' | 'async';
  /** Compiled programs kept per isolate (least recently used are dropped). Default 500. */
  cacheSize?: number;
  /** Largest JSON result (characters) a call may return. Default 16 Mi. */
  maxOutputChars?: number;
  /** Memory limit used by {@link IsolateSandbox.warmUp} when none is given. Default 128 MB. */
  memoryMb?: number;
}

const DEFAULTS = { cacheSize: 500, maxOutputChars: 16 * 1024 * 1024, memoryMb: 128 };

/** How long {@link IsolateSandbox.close} waits for isolated-vm to finish tearing isolates down. */
const CLOSE_GRACE_MS = 25;

/**
 * The engine's {@link CodeSandbox} on isolated-vm: a pool of warm V8 isolates, each with one
 * context that has the expression runtime loaded, locked down and hardened, and a cache of
 * compiled programs. Only JSON strings cross the boundary; the isolates hold no reference to any
 * host object, so `require`, `process`, timers and the network do not exist there.
 *
 * Every call is bounded by `limits.memoryMb` (the isolate's heap limit) and `limits.timeoutMs`
 * (wall clock, enforced by isolated-vm for synchronous work and by a host timer for promises
 * that never settle). An isolate that breaches either is disposed and replaced and the call
 * fails with a {@link SandboxError} of kind `memory` or `timeout` naming the node; other calls
 * carry on.
 *
 * Node 20 must run with `--no-node-snapshot` (see {@link ensureIsolateFlags}); the constructor
 * throws an actionable error otherwise.
 *
 * @example
 * ```ts
 * import { buildExpressionProgram } from '@weft/engine';
 * import { IsolateSandbox } from '@weft/sandbox';
 *
 * const sandbox = new IsolateSandbox({ size: 2 });
 * const values = await sandbox.evaluate({
 *   program: buildExpressionProgram(['$json.price * $json.qty']),
 *   data: { items: [{ json: { price: 2, qty: 3 } }], nodes: {}, execution: { id: 'e1', mode: 'manual' },
 *     workflow: { id: 'w1', name: 'Orders' }, env: {}, now: Date.now(), runIndex: 0 },
 *   itemCount: 1,
 *   limits: { timeoutMs: 1000, memoryMb: 64 },
 *   label: 'Total',
 * }); // [[6]]
 * await sandbox.close();
 * ```
 */
export class IsolateSandbox implements CodeSandbox {
  readonly #pool: IsolatePool;
  readonly #async: boolean;
  readonly #memoryMb: number;

  constructor(options: IsolateSandboxOptions = {}) {
    assertIsolateFlags('IsolateSandbox');
    this.#async = options.dispatch === 'async';
    this.#memoryMb = options.memoryMb ?? DEFAULTS.memoryMb;
    const cacheSize = options.cacheSize ?? DEFAULTS.cacheSize;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`IsolateSandbox: cacheSize must be a positive integer, got ${cacheSize}`);
    }
    this.#pool = new IsolatePool(options.size ?? availableParallelism(), {
      cacheSize,
      maxOutputChars: options.maxOutputChars ?? DEFAULTS.maxOutputChars,
    });
  }

  /**
   * Prepares isolates ahead of the first calls (otherwise they are created on demand).
   *
   * @example
   * ```ts
   * await sandbox.warmUp(); // the whole pool, at the default memory limit
   * ```
   */
  warmUp(count?: number, memoryMb = this.#memoryMb): Promise<void> {
    return this.#pool.warmUp(checkMemory(memoryMb, 'warmUp'), count);
  }

  async evaluate(request: EvaluateRequest): Promise<JsonValue[][]> {
    const { label, limits } = request;
    checkLimits(limits, label);
    const data = JSON.stringify(request.data);
    const warm = this.#pool.tryAcquire(limits.memoryMb) ?? (await this.#pool.acquire(limits.memoryMb));
    let result: string;
    try {
      const fn = warm.expression(request.program);
      const args: [string, number] = [data, request.itemCount];
      const options = { timeout: limits.timeoutMs };
      result = this.#async ? await fn.apply(undefined, args, options) : fn.applySync(undefined, args, options);
    } catch (error) {
      throw this.#fail(warm, error, label, limits);
    }
    this.#pool.release(warm);
    return decodeProgramResult<JsonValue[][]>(result, label);
  }

  async runCode(request: RunCodeRequest): Promise<RunCodeResult> {
    const { label, limits } = request;
    checkLimits(limits, label);
    const data = JSON.stringify(request.data);
    const warm = this.#pool.tryAcquire(limits.memoryMb) ?? (await this.#pool.acquire(limits.memoryMb));
    // The time limit covers running, not waiting in the queue for an isolate.
    const started = performance.now();
    let result: string;
    try {
      const fns = warm.code(request.program);
      const options = { timeout: limits.timeoutMs };
      if (this.#async) {
        const pending = fns.run.apply(undefined, [data], { ...options, result: { promise: true } }) as Promise<string>;
        result = await this.#settle(warm, pending, { label, limits, started });
      } else {
        fns.start.applySync(undefined, [data], options);
        const taken = fns.take.applySync(undefined, [], options);
        result = taken === false ? await this.#wait(warm, fns, label, limits, started) : taken;
      }
    } catch (error) {
      throw this.#fail(warm, error, label, limits);
    }
    this.#pool.release(warm);
    return decodeProgramResult<RunCodeResult>(result, label);
  }

  /** A code run still pending after its synchronous part: wait for it, within the time left. */
  #wait(warm: WarmIsolate, fns: CodeFunctions, label: string, limits: SandboxLimits, started: number) {
    const pending = fns.wait.apply(undefined, [], { result: { promise: true } }) as Promise<string>;
    return this.#settle(warm, pending, { label, limits, started });
  }

  /**
   * Races a pending run against the wall clock. isolated-vm's `timeout` does not cover a promise
   * that never settles, so on expiry the isolate is disposed, which also stops whatever runs in it.
   */
  #settle(
    warm: WarmIsolate,
    pending: Promise<string>,
    call: { label: string; limits: SandboxLimits; started: number },
  ): Promise<string> {
    const left = Math.max(0, call.limits.timeoutMs - (performance.now() - call.started));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        warm.dispose();
        reject(timeoutError(call.label, call.limits));
      }, left);
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  #fail(warm: WarmIsolate, thrown: unknown, label: string, limits: SandboxLimits): SandboxError {
    const { error, fatal } = toSandboxError(thrown, label, limits, warm.disposed);
    if (fatal) this.#pool.discard(warm);
    else this.#pool.release(warm);
    return error;
  }

  /** Pool counters: live isolates, busy ones, and how many were created and disposed so far. */
  stats(): IsolatePoolStats {
    return this.#pool.stats();
  }

  /**
   * Disposes every isolate; calls still running fail, later calls are refused. Await it before
   * `process.exit()`: isolated-vm tears a disposed isolate down on its own threads and offers no
   * way to wait for that, and exiting while it runs crashed the process (SIGSEGV) in 2-4% of runs
   * on a loaded 2-core machine (0 in 120 runs with the grace). So `close()` gives the teardown 25 ms.
   */
  async close(): Promise<void> {
    if (this.#pool.closed) return;
    const live = this.#pool.stats().size;
    this.#pool.close();
    if (live > 0) await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS));
  }
}

function checkMemory(memoryMb: number, label: string): number {
  if (!Number.isInteger(memoryMb) || memoryMb < 8) {
    throw new RangeError(`${label}: limits.memoryMb must be an integer of at least 8 (MB), got ${memoryMb}`);
  }
  return memoryMb;
}

function checkLimits(limits: SandboxLimits, label: string): void {
  checkMemory(limits.memoryMb, label);
  if (!Number.isInteger(limits.timeoutMs) || limits.timeoutMs < 1) {
    throw new RangeError(`${label}: limits.timeoutMs must be a positive integer (ms), got ${limits.timeoutMs}`);
  }
}
