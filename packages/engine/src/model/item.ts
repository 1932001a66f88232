import type { JsonObject } from './json.js';

/**
 * A reference to binary data kept outside the item (in a blob store).
 * Only the reference travels between nodes.
 */
export interface BinaryRef {
  /** Blob-store key. */
  id: string;
  mimeType: string;
  fileName?: string;
  /** Size in bytes. */
  size: number;
}

/**
 * The unit of data flowing between nodes.
 *
 * @example
 * ```ts
 * const item: Item = { json: { orderId: 42, total: 99.5 } };
 * ```
 */
export interface Item {
  json: JsonObject;
  binary?: Record<string, BinaryRef>;
}

/** Items keyed by port name, as a node receives or emits them. */
export type PortItems = Record<string, Item[]>;
