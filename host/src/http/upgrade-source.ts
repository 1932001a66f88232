import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A listener of WebSocket upgrade requests, as `node:http` servers call it. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Where the socket endpoints (events WebSocket, co-editing, GraphQL subscriptions) take their
 * upgrade requests from: the HTTP server itself, or, with `WEFT_REGIONS`, the router that hands
 * each request to its region's endpoints (ADR 0014). A `node:http` `Server` and an
 * `EventEmitter` both are one.
 *
 * @example
 * ```ts
 * const source: UpgradeSource = new EventEmitter();
 * attachCollab(source, regionRuntime);
 * source.emit('upgrade', req, socket, head); // what the router does for a regional workspace
 * ```
 */
export interface UpgradeSource {
  on(event: 'upgrade', listener: UpgradeListener): unknown;
  off(event: 'upgrade', listener: UpgradeListener): unknown;
}
