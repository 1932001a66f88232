import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
} from 'quickjs-emscripten-core';
import { decodeProgramResult } from '../expressions/programs.js';
import { EXPRESSION_RUNTIME_SOURCE } from '../expressions/runtime-source.js';
import type { JsonValue } from '../model/json.js';
import {
  type CodeSandbox,
  type EvaluateRequest,
  type RunCodeRequest,
  type RunCodeResult,
  SandboxError,
  type SandboxLimits,
} from '../ports/code-sandbox.js';
import { InterruptPacer } from './interrupt-pacer.js';

let variantPromise: Promise<QuickJSSyncVariant> | undefined;

function quickJsVariant(): Promise<QuickJSSyncVariant> {
  // Loaded on first use, so bundles that never evaluate code do not pay for the WebAssembly.
  // CommonJS interop may wrap the default export once more.
  variantPromise ??= import('@jitl/quickjs-wasmfile-release-sync').then(({ default: v }) =>
    'default' in v ? v.default : v,
  );
  return variantPromise;
}

const PAGE_BYTES = 64 * 1024;
/** What the QuickJS build reserves before any script runs: its static data, stack and first heap. */
const BASE_MB = 16;

interface Vm {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  programs: Map<string, QuickJSHandle>;
  memoryMb: number;
  deadline: number;
}

function isMemoryFailure(message: string): boolean {
  return /out of memory|stack overflow/i.test(message);
}

/**
 * The engine's built-in sandbox: QuickJS compiled to WebAssembly, a separate JavaScript engine
 * with its own heap. It runs anywhere WebAssembly does — Node and browsers alike — so the canvas
 * uses it for live expression previews and the engine uses it when no other sandbox is given.
 * Both limits are enforced: an interrupt handler, consulted every few polls rather than QuickJS's
 * every 10,000, stops code past its deadline, tight loops and loops of heavy native calls alike, and a WebAssembly memory capped at `memoryMb` (over a fixed 16 MB base) stops
 * allocation bombs; either disposes the VM together with its module instance and memory.
 *
 * On servers prefer `IsolateSandbox` from `@weft/sandbox` (V8 isolates): several times faster,
 * with a pool across cores.
 *
 * @example
 * ```ts
 * const engine = new WorkflowEngine({ sandbox: new InterpreterSandbox() });
 * ```
 */
export class InterpreterSandbox implements CodeSandbox {
  #vm: Vm | undefined;
  #busy: Promise<unknown> = Promise.resolve();
  #created = 0;
  #disposed = 0;

  async #getVm(limits: SandboxLimits): Promise<Vm> {
    if (this.#vm && this.#vm.memoryMb === limits.memoryMb) return this.#vm;
    this.#dispose();
    // QuickJS built for WebAssembly counts no allocation's size (malloc_usable_size is not
    // available there), so its own limit never trips. Each VM gets its own module instance on a
    // WebAssembly memory capped at the limit: malloc fails, QuickJS throws "out of memory", and
    // dropping the instance hands the memory back.
    const memory = new WebAssembly.Memory({
      initial: (BASE_MB * 1024 * 1024) / PAGE_BYTES,
      maximum: ((BASE_MB + limits.memoryMb) * 1024 * 1024) / PAGE_BYTES,
    });
    const module = await newQuickJSWASMModuleFromVariant(newVariant(await quickJsVariant(), { wasmMemory: memory }));
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(limits.memoryMb * 1024 * 1024);
    runtime.setMaxStackSize(1024 * 1024);
    const context = runtime.newContext();
    const vm: Vm = {
      runtime,
      context,
      programs: new Map(),
      memoryMb: limits.memoryMb,
      deadline: Number.POSITIVE_INFINITY,
    };
    const pointer = (context as unknown as { ctx?: { value?: unknown } }).ctx?.value;
    const pacer = new InterruptPacer(memory, typeof pointer === 'number' ? pointer : 0);
    runtime.setInterruptHandler(() => {
      pacer.tick();
      return Date.now() > vm.deadline;
    });
    // The loop gives the pacer the handler calls it needs to find QuickJS's countdown before user code runs.
    const init = context.evalCode(`${EXPRESSION_RUNTIME_SOURCE}\n__weft.harden(); for (let i = 0; i < 50000; i++); 0`);
    if (init.error) {
      const message = JSON.stringify(context.dump(init.error));
      init.error.dispose();
      throw new Error(`The expression runtime failed to load in QuickJS: ${message}`);
    }
    init.value.dispose();
    this.#created++;
    this.#vm = vm;
    return vm;
  }

  #dispose(): void {
    const vm = this.#vm;
    if (!vm) return;
    this.#vm = undefined;
    for (const h of vm.programs.values()) h.dispose();
    vm.context.dispose();
    vm.runtime.dispose();
    this.#disposed++;
  }

  #program(vm: Vm, program: { key: string; source: string }, label: string): QuickJSHandle {
    const cached = vm.programs.get(program.key);
    if (cached) return cached;
    const result = vm.context.evalCode(`(${program.source}\n)`, `${label}.js`);
    if (result.error) {
      const err = vm.context.dump(result.error) as { message?: string };
      result.error.dispose();
      throw new SandboxError('syntax', `${label}: ${err?.message ?? String(err)}`);
    }
    if (vm.programs.size >= 500) {
      for (const h of vm.programs.values()) h.dispose();
      vm.programs.clear();
    }
    vm.programs.set(program.key, result.value);
    return result.value;
  }

  /** Maps a QuickJS failure to a SandboxError; disposes the VM when a limit was hit. */
  #failure(vm: Vm, error: QuickJSHandle, label: string, limits: SandboxLimits): SandboxError {
    const err = vm.context.dump(error) as { message?: string; name?: string } | string;
    error.dispose();
    const message = typeof err === 'string' ? err : (err?.message ?? String(err));
    if (isMemoryFailure(message)) {
      this.#dispose();
      return new SandboxError('memory', `${label}: code exceeded the ${limits.memoryMb} MB memory limit (${message})`);
    }
    if (/interrupted/i.test(message) || Date.now() > vm.deadline) {
      this.#dispose();
      return new SandboxError('timeout', `${label}: code did not finish within ${limits.timeoutMs} ms`);
    }
    return new SandboxError('error', `${label}: ${message}`);
  }

  /**
   * Programs catch errors thrown in user code and return them as data, and QuickJS raises its
   * interrupt and out-of-memory conditions as catchable errors; those are limit breaches.
   */
  #decode<T>(json: string, label: string, limits: SandboxLimits, deadline: number): T {
    try {
      return decodeProgramResult<T>(json, label);
    } catch (e) {
      if (!(e instanceof SandboxError) || e.kind !== 'error') throw e;
      if (isMemoryFailure(e.message)) {
        this.#dispose();
        throw new SandboxError('memory', `${label}: code exceeded the ${limits.memoryMb} MB memory limit`, e.where);
      }
      // Once the deadline has passed, the interrupt may surface as any error (QuickJS can cut a
      // job queue short mid-call): a run that overran is a timeout, whatever it threw.
      if (Date.now() >= deadline) {
        this.#dispose();
        throw new SandboxError('timeout', `${label}: code did not finish within ${limits.timeoutMs} ms`, e.where);
      }
      throw e;
    }
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(task, task);
    this.#busy = run.catch(() => {});
    return run;
  }

  evaluate(request: EvaluateRequest): Promise<JsonValue[][]> {
    return this.#serial(async () => {
      const vm = await this.#getVm(request.limits);
      const fn = this.#program(vm, request.program, request.label);
      const { context } = vm;
      const data = context.newString(JSON.stringify(request.data));
      const count = context.newNumber(request.itemCount);
      const deadline = Date.now() + request.limits.timeoutMs;
      vm.deadline = deadline;
      const result = context.callFunction(fn, context.undefined, data, count);
      vm.deadline = Number.POSITIVE_INFINITY;
      data.dispose();
      count.dispose();
      if (result.error) throw this.#failure(vm, result.error, request.label, request.limits);
      const json = context.getString(result.value);
      result.value.dispose();
      return this.#decode<JsonValue[][]>(json, request.label, request.limits, deadline);
    });
  }

  runCode(request: RunCodeRequest): Promise<RunCodeResult> {
    return this.#serial(async () => {
      const vm = await this.#getVm(request.limits);
      const fn = this.#program(vm, request.program, request.label);
      const { context, runtime } = vm;
      const data = context.newString(JSON.stringify(request.data));
      const deadline = Date.now() + request.limits.timeoutMs;
      vm.deadline = deadline;
      try {
        const call = context.callFunction(fn, context.undefined, data);
        data.dispose();
        if (call.error) throw this.#failure(vm, call.error, request.label, request.limits);
        const promise = call.value;
        // Nothing inside the VM waits on the host, so running its job queue dry settles the
        // promise or proves it never will.
        const jobs = runtime.executePendingJobs();
        if (jobs.error) {
          promise.dispose();
          throw this.#failure(vm, jobs.error, request.label, request.limits);
        }
        const state = context.getPromiseState(promise);
        promise.dispose();
        if (state.type === 'pending' && Date.now() >= deadline) {
          this.#dispose();
          throw new SandboxError(
            'timeout',
            `${request.label}: code did not finish within ${request.limits.timeoutMs} ms`,
          );
        }
        if (state.type === 'pending') {
          throw new SandboxError(
            'timeout',
            `${request.label}: code did not finish within ${request.limits.timeoutMs} ms: it awaits something that never settles`,
          );
        }
        if (state.type === 'rejected') throw this.#failure(vm, state.error, request.label, request.limits);
        const json = context.getString(state.value);
        state.value.dispose();
        return this.#decode<RunCodeResult>(json, request.label, request.limits, deadline);
      } finally {
        if (this.#vm === vm) vm.deadline = Number.POSITIVE_INFINITY;
      }
    });
  }

  stats() {
    return { size: this.#vm ? 1 : 0, busy: 0, created: this.#created, disposed: this.#disposed };
  }

  async close(): Promise<void> {
    await this.#busy;
    this.#dispose();
  }
}
