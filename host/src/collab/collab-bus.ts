import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@weft/redis';

/** What one process tells the others about one shared document. */
export interface CollabBusMessage {
  /** `update`: a Yjs update; `awareness`: an awareness update; `hello`: a new replica's state vector, asking for what it lacks. */
  kind: 'update' | 'awareness' | 'hello';
  data: Uint8Array;
}

/**
 * Carries Yjs updates and awareness between host processes, one channel per document. Without
 * Redis the host uses {@link localCollabBus} (one process: nothing to carry).
 *
 * @example
 * ```ts
 * const stop = bus.subscribe(room, (m) => apply(m));
 * bus.publish(room, { kind: 'update', data: update });
 * ```
 */
export interface CollabBus {
  /** Whether other processes may hold replicas (a new replica then asks them before answering clients). */
  readonly shared: boolean;
  publish(room: string, message: CollabBusMessage): void;
  /** Resolves once subscribed; the returned function unsubscribes. */
  subscribe(room: string, listener: (message: CollabBusMessage) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** The bus of a single process: publishes nowhere. */
export const localCollabBus: CollabBus = {
  shared: false,
  publish() {},
  async subscribe() {
    return () => {};
  },
  async close() {},
};

const KINDS = ['update', 'awareness', 'hello'] as const;

/**
 * A {@link CollabBus} over Redis pub/sub: channel `<prefix>:collab:<room>`, each message the
 * publishing process id (36 bytes), a kind byte, then the binary payload; a process ignores its own.
 *
 * @example
 * ```ts
 * const bus = redisCollabBus(() => new Redis(url), 'weft');
 * ```
 */
export function redisCollabBus(connect: () => RedisClient, prefix: string): CollabBus {
  const id = Buffer.from(randomUUID());
  const pub = connect();
  const sub = connect();
  const listeners = new Map<string, Set<(m: CollabBusMessage) => void>>();
  const channel = (room: string) => `${prefix}:collab:${room}`;
  sub.on('messageBuffer', (ch: Buffer, raw: Buffer) => {
    if (raw.length < 37 || raw.subarray(0, 36).equals(id)) return;
    const kind = KINDS[raw[36] as number];
    const set = listeners.get(ch.toString());
    if (!kind || !set) return;
    const message = { kind, data: new Uint8Array(raw.subarray(37)) };
    for (const l of set) l(message);
  });
  return {
    shared: true,
    publish(room, m) {
      const body = Buffer.concat([id, Buffer.from([KINDS.indexOf(m.kind)]), m.data]);
      pub.publish(channel(room), body).catch(() => {});
    },
    async subscribe(room, listener) {
      const ch = channel(room);
      let set = listeners.get(ch);
      if (!set) {
        set = new Set();
        listeners.set(ch, set);
        await sub.subscribe(ch);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(ch) === set) {
          listeners.delete(ch);
          sub.unsubscribe(ch).catch(() => {});
        }
      };
    },
    async close() {
      listeners.clear();
      sub.disconnect();
      pub.disconnect();
    },
  };
}
