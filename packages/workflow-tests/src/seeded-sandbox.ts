import type {
  CodeSandbox,
  EvaluateRequest,
  JsonValue,
  RunCodeRequest,
  RunCodeResult,
  SandboxProgram,
} from '@weft/engine';

/**
 * A sandbox over another in which `Math.random()` in expressions and code is a seeded generator
 * (the same mulberry32 as {@link seededRandom}), restarted from the seed on every call: a test
 * case gets the same "random" values on every run. Each program is wrapped so that `Math` inside
 * it is an object inheriting the real `Math` with its own `random`; nothing else changes.
 *
 * @example
 * ```ts
 * const sandbox = new SeededSandbox(new InterpreterSandbox(), 42);
 * const engine = new WorkflowEngine({ sandbox });
 * ```
 */
export class SeededSandbox implements CodeSandbox {
  constructor(
    readonly inner: CodeSandbox,
    readonly seed: number,
  ) {}

  #program(program: SandboxProgram): SandboxProgram {
    const seed = this.seed >>> 0;
    return {
      key: `${program.key}~seed${seed}`,
      source: `(function (__seed) {
  var __state = __seed;
  var Math = Object.create(globalThis.Math, { random: { value: function random() {
    __state = (__state + 0x6d2b79f5) >>> 0;
    var t = __state;
    t = globalThis.Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + globalThis.Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  } } });
  var __program = ${program.source}
  ;
  return function (a, b) { __state = __seed; return __program(a, b); };
})(${seed})`,
    };
  }

  evaluate(request: EvaluateRequest): Promise<JsonValue[][]> {
    return this.inner.evaluate({ ...request, program: this.#program(request.program) });
  }

  runCode(request: RunCodeRequest): Promise<RunCodeResult> {
    return this.inner.runCode({ ...request, program: this.#program(request.program) });
  }

  /** The inner sandbox is its owner's to close. */
  async close(): Promise<void> {}
}
