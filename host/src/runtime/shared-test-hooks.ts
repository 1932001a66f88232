import type { Workflow } from '@weft/engine';
import type { RedisClient } from '@weft/redis';
import type { TestWebhookState } from './test-webhooks.js';

/** A test listener as every host process can read it: enough to run the document elsewhere. */
export interface SharedTestListener {
  state: TestWebhookState;
  workspaceId: string;
  workflow: Workflow;
  nodeId: string;
}

/** How long a finished listener's state stays readable (late polls from the editor). */
const LINGER_MS = 60_000;

/**
 * Test listeners in Redis, so a test URL works whichever host process a request reaches: the
 * registering process writes `<prefix>:{test-hook}:path:<path>` (the listener, expiring with it) and
 * `<prefix>:{test-hook}:state:<id>`; the process a test request reaches takes the path key with
 * GETDEL (one request wins), runs the document and writes the outcome to the state key, which the
 * editor's long poll reads from any process.
 *
 * @example
 * ```ts
 * const shared = new SharedTestHooks(redis, 'weft');
 * await shared.register(listener, 120_000);
 * const claimed = await shared.claim('shop/orders'); // in another process
 * ```
 */
export class SharedTestHooks {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  #pathKey(path: string): string {
    return `${this.prefix}:{test-hook}:path:${path}`;
  }

  #stateKey(id: string): string {
    return `${this.prefix}:{test-hook}:state:${id}`;
  }

  /** The listener on `path` now, if any (not claimed). */
  async onPath(path: string): Promise<SharedTestListener | undefined> {
    const raw = await this.redis.get(this.#pathKey(path));
    return raw ? (JSON.parse(raw) as SharedTestListener) : undefined;
  }

  /** Publishes a listener for `ttlMs` (its path answers test requests in every process). */
  async register(listener: SharedTestListener, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.#pathKey(listener.state.path), JSON.stringify(listener), 'PX', ttlMs)
      .set(
        this.#stateKey(listener.state.id),
        JSON.stringify({ workspaceId: listener.workspaceId, state: listener.state }),
        'PX',
        ttlMs + LINGER_MS,
      )
      .exec();
  }

  /** Takes the listener on `path` for one request; undefined when none listens or another took it. */
  async claim(path: string): Promise<SharedTestListener | undefined> {
    const raw = await this.redis.getdel(this.#pathKey(path));
    return raw ? (JSON.parse(raw) as SharedTestListener) : undefined;
  }

  /** Stops `path` answering for listener `id` (a newer listener on the path is left alone). */
  async release(path: string, id: string): Promise<void> {
    const current = await this.onPath(path);
    if (current?.state.id === id) await this.redis.del(this.#pathKey(path));
  }

  /** Writes a listener's state (kept a minute once it is over). */
  async setState(workspaceId: string, state: TestWebhookState): Promise<void> {
    const ttl = state.status === 'listening' ? Math.max(1, state.expiresAt - Date.now()) + LINGER_MS : LINGER_MS;
    await this.redis.set(this.#stateKey(state.id), JSON.stringify({ workspaceId, state }), 'PX', ttl);
  }

  /** A listener's state as last written by any process, with its workspace. */
  async state(id: string): Promise<{ workspaceId: string; state: TestWebhookState } | undefined> {
    const raw = await this.redis.get(this.#stateKey(id));
    return raw ? (JSON.parse(raw) as { workspaceId: string; state: TestWebhookState }) : undefined;
  }
}
