import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * An OpenTelemetry context manager that keeps the active context only while the function given
 * to `context.with()` runs synchronously; across an `await` the active context is the root
 * again. Weft hands span contexts on explicitly (request → execution → node → outbound request;
 * storage batches find theirs by execution id), so it needs no async propagation, and this
 * manager spares the process the async-hooks promise tracking that `AsyncLocalStorage` costs on
 * every promise in Node 20 (ADR 0015). `startTracing` registers it.
 *
 * @example
 * ```ts
 * provider.register({ contextManager: new SynchronousContextManager() });
 * context.with(ctx, () => context.active() === ctx); // true
 * ```
 */
export class SynchronousContextManager implements ContextManager {
  #active: Context = ROOT_CONTEXT;

  active(): Context {
    return this.#active;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#active;
    this.#active = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#active = previous;
    }
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const manager = this;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => fn.apply(this, args));
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#active = ROOT_CONTEXT;
    return this;
  }
}
