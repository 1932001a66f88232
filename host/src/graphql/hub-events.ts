import type { EventHub, HubEvent } from '@weft/engine';

const MAX_BUFFER = 1000;

/**
 * A workspace's live hub events (optionally one execution's) as an async iterator, for GraphQL
 * subscriptions: each event is mapped with `map`; ending the iteration (`return`) unsubscribes.
 * A consumer that falls more than 1000 events behind loses the oldest ones.
 *
 * @example
 * ```ts
 * for await (const e of hubEvents(runtime.hub, 'ws1', undefined, (h) => h.event)) console.log(e.type);
 * ```
 */
export function hubEvents<T>(
  hub: EventHub,
  workspaceId: string,
  executionId: string | undefined,
  map: (e: HubEvent) => T,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | undefined;
  let done = false;
  const stop = hub.subscribe(workspaceId, executionId ? { executionId } : {}, {
    event: (e) => {
      const value = map(e);
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value, done: false });
      } else {
        queue.push(value);
        if (queue.length > MAX_BUFFER) queue.shift();
      }
    },
    gap: () => {},
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      stop();
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => {
      if (queue.length) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: finish,
    throw: async (err) => {
      await finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
