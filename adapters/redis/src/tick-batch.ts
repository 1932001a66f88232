/**
 * Collects the calls made in one turn of the event loop and sends them as one request: each call
 * adds its argument group, `send` gets every group in order (flattened) and answers with one
 * result per group. A failed request fails every call in it.
 *
 * @example
 * ```ts
 * const acks = new TickBatch((args) => ackScript.run(redis, keys, args) as Promise<number[]>);
 * await Promise.all([acks.submit(['1', 'token-a']), acks.submit(['2', 'token-b'])]); // one EVALSHA
 * ```
 */
export class TickBatch<R> {
  readonly #send: (args: (string | number)[]) => Promise<R[]>;
  #pending: { args: (string | number)[]; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];

  constructor(send: (args: (string | number)[]) => Promise<R[]>) {
    this.#send = send;
  }

  /** Adds one argument group to this turn's request; resolves with its own result. */
  submit(args: (string | number)[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => this.#flush());
      this.#pending.push({ args, resolve, reject });
    });
  }

  #flush(): void {
    const calls = this.#pending;
    this.#pending = [];
    this.#send(calls.flatMap((c) => c.args)).then(
      (results) => {
        for (const [i, c] of calls.entries()) c.resolve(results[i] as R);
      },
      (error: unknown) => {
        for (const c of calls) c.reject(error);
      },
    );
  }
}
