/** QuickJS's `JS_INTERRUPT_COUNTER_INIT`: polls (loop back-edges, calls) between two handler calls. */
const COUNTER_INIT = 10_000;
/** How far into the `JSContext` struct the countdown is looked for, in 32-bit words. */
const SCAN_WORDS = 256;
/** Handler calls that must agree on the countdown's position before it is ever written. */
const AGREEING_CALLS = 3;
/**
 * Most polls between two checks once paced. A tight loop polls millions of times a second and the
 * handler costs about 0.2 µs, so 16 costs nothing measurable while 1 slows such loops about 3x.
 */
const MAX_POLLS = 16;
/** A gap between checks longer than this (ms) means polls are expensive: check at every one. */
const SLOW_MS = 2;

/**
 * Makes QuickJS consult its interrupt handler every few milliseconds, not every 10,000 polls.
 *
 * QuickJS counts polls down in its `JSContext` and calls the handler only when the count runs out,
 * then resets it to 10,000. A loop whose every turn does heavy native work
 * (`while (true) new Array(1e6).fill(1)`) therefore ran for a minute past a one-second deadline.
 * The countdown is not exposed, so the pacer finds it: at each handler call the count has just
 * been reset, and the one word of the context struct that holds exactly 10,000 at
 * {@link AGREEING_CALLS} calls in a row is it. From then on each call sets the next countdown to
 * at most {@link MAX_POLLS} polls (1 while polls are slow), and only over a word that holds 10,000
 * right then. If no single word qualifies (another QuickJS build), the pacer never writes.
 *
 * @example
 * ```ts
 * const pacer = new InterruptPacer(memory, contextPointer);
 * runtime.setInterruptHandler(() => {
 *   pacer.tick();
 *   return Date.now() > deadline;
 * });
 * ```
 */
export class InterruptPacer {
  readonly #memory: WebAssembly.Memory;
  readonly #base: number;
  #candidates: number[] | undefined;
  #agreeing = 0;
  #offset: number | undefined;
  #polls = MAX_POLLS;
  #last = 0;

  constructor(memory: WebAssembly.Memory, contextPointer: number) {
    this.#memory = memory;
    this.#base = contextPointer;
  }

  /** Whether the countdown was found and is being paced. */
  get pacing(): boolean {
    return this.#offset !== undefined;
  }

  /** Call at the start of every interrupt handler call. */
  tick(): void {
    if (this.#base <= 0 || this.#base % 4 !== 0 || this.#base + SCAN_WORDS * 4 > this.#memory.buffer.byteLength) return;
    const words = new Int32Array(this.#memory.buffer, this.#base, SCAN_WORDS);
    if (this.#offset === undefined) {
      this.#learn(words);
      return;
    }
    if (words[this.#offset] !== COUNTER_INIT) return;
    const now = performance.now();
    const elapsed = now - this.#last;
    this.#last = now;
    this.#polls = elapsed > SLOW_MS ? 1 : Math.min(MAX_POLLS, this.#polls * 2);
    words[this.#offset] = this.#polls;
  }

  #learn(words: Int32Array): void {
    if (this.#agreeing < 0) return;
    const now: number[] = [];
    for (let i = 0; i < words.length; i++) if (words[i] === COUNTER_INIT) now.push(i);
    this.#candidates = this.#candidates ? this.#candidates.filter((i) => now.includes(i)) : now;
    this.#agreeing++;
    if (this.#candidates.length === 0) this.#agreeing = -1;
    else if (this.#agreeing >= AGREEING_CALLS && this.#candidates.length === 1) this.#offset = this.#candidates[0];
  }
}
