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
  /** Lower-case hex SHA-256 of the bytes (set by stores that hash; absent on `data:` references). */
  sha256?: string;
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
