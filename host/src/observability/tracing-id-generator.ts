import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace-node';

/** Random bytes drawn at once: 1,024 span ids, or the ids of about 110 traced webhook requests. */
const POOL_BYTES = 8192;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * Trace and span ids cut from a pool of random hex drawn from `crypto.randomFillSync` a couple of
 * kilobytes at a time. The SDK's `RandomIdGenerator` calls `Math.random` and `Buffer#toString('hex')`
 * for every id; on the webhook path a traced request takes one trace id and 7 span ids, and this
 * generator makes each a string slice (ADR 0013 has the figures). Ids are as random as before or
 * more (a CSPRNG rather than `Math.random`), lowercase hex of the W3C lengths, never all zeros.
 *
 * @example
 * ```ts
 * new NodeTracerProvider({ idGenerator: new PooledIdGenerator(), spanProcessors });
 * ```
 */
export class PooledIdGenerator implements IdGenerator {
  #hex = '';
  #at = 0;

  /** A random 16-byte trace id as 32 lowercase hex characters. */
  generateTraceId(): string {
    const id = this.#take(32);
    return id === INVALID_TRACE_ID ? this.generateTraceId() : id;
  }

  /** A random 8-byte span id as 16 lowercase hex characters. */
  generateSpanId(): string {
    const id = this.#take(16);
    return id === INVALID_SPAN_ID ? this.generateSpanId() : id;
  }

  #take(chars: number): string {
    if (this.#at + chars > this.#hex.length) {
      this.#hex = randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString('hex');
      this.#at = 0;
    }
    const id = this.#hex.slice(this.#at, this.#at + chars);
    this.#at += chars;
    return id;
  }
}
