import type { BinaryRef, Item, JsonValue, Logger, NodeContext, ResolvedCredential } from '@weft/engine';
import type { HttpClient } from '../http/http-types.js';
import type { ScopedState } from './scoped-state.js';

/**
 * Stores binary output (downloads, files) and reads binary input.
 *
 * @example
 * ```ts
 * const ref = await ctx.binary.put(bytes, { mimeType: 'application/pdf', fileName: 'invoice.pdf' });
 * return { json: { size: ref.size }, binary: { data: ref } };
 * ```
 */
export interface BinaryHelper {
  /** Stores bytes in the blob store when one is configured, else inline as base64 in the item. */
  put(data: Uint8Array, meta: { mimeType: string; fileName?: string }): Promise<BinaryRef>;
  /** Reads the bytes behind a reference. */
  get(ref: BinaryRef): Promise<Uint8Array>;
}

/**
 * The capabilities every action, trigger and option loader receives — passed explicitly.
 *
 * @example
 * ```ts
 * run: async (ctx) => {
 *   await ctx.rateLimit();
 *   const res = await ctx.http.request({ url: 'https://api.example.com/me' });
 *   ctx.logger.info({ status: res.status }, 'fetched');
 *   return res.body as JsonObject;
 * }
 * ```
 */
export interface ConnectorContext<P> {
  /** Props of the current item (expressions already evaluated). */
  props: P;
  /** The safe HTTP client with the credential's auth applied. */
  http: HttpClient;
  /** The decrypted credential, when the connector has auth. Never log it. */
  credential: ResolvedCredential | undefined;
  /** Persisted state for this workflow node. */
  state: ScopedState;
  logger: Logger;
  signal: AbortSignal;
  /** Waits for an outbound slot for `key` (default: the credential). */
  rateLimit(key?: string): Promise<void>;
  binary: BinaryHelper;
  execution: NodeContext['execution'];
  /**
   * Publishes partial results while the node runs (the engine's `node:progress` event), e.g. each
   * streamed chunk of an answer, so a user watching sees it live. Not stored: the output must still
   * carry the full result. Does nothing outside a node execution (option loaders, tests).
   */
  progress(data: JsonValue): void;
}

/**
 * What an action's `run` receives: the connector context plus the input items.
 *
 * @example
 * ```ts
 * run: async (ctx) => ({ ...ctx.item?.json, index: ctx.index, total: ctx.items.length })
 * ```
 */
export interface ActionContext<P> extends ConnectorContext<P> {
  /** The item being processed (per-item mode), undefined when the node ran without input. */
  item: Item | undefined;
  /** Its index in `items`. */
  index: number;
  /** All input items of the main port. */
  items: Item[];
  /** Props for every item, same order as `items`. */
  itemProps: P[];
}
