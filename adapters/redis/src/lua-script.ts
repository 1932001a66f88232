import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/**
 * A Lua script run with `EVALSHA`, falling back to `EVAL` when the server has not seen it yet
 * (first use, or its script cache was flushed by a restart). Errors name the script.
 *
 * @example
 * ```ts
 * const incr = new LuaScript('incr-by-two', "return redis.call('INCRBY', KEYS[1], 2)");
 * const value = await incr.run(redis, ['counter'], []);
 * ```
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw this.#wrap(error);
    }
    try {
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    } catch (error) {
      throw this.#wrap(error);
    }
  }

  #wrap(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`Redis script "${this.name}" failed: ${message}`, { cause: error });
  }
}
