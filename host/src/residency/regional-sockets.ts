import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { attachCollab, type CollabServer, isCollabPath } from '../collab/collab-socket.js';
import { ProblemError } from '../http/problem.js';
import type { UpgradeListener, UpgradeSource } from '../http/upgrade-source.js';
import { attachWebSocketEvents } from '../http/websocket-events.js';
import { regionOfRequest } from './regional-handler.js';
import type { Residency } from './residency.js';

/** The socket endpoints of a host with `WEFT_REGIONS`, as {@link attachRegionalSockets} built them. */
export interface RegionalSockets {
  /** Where the control runtime's endpoints listen: upgrades that name no workspace (GraphQL). */
  readonly control: UpgradeSource;
  /** Each region's co-editing endpoint, by region name. */
  readonly collab: ReadonlyMap<string, CollabServer>;
  /** Stops routing, closes every region's co-editing rooms and event sockets. */
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, message: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${message}`,
  );
}

/**
 * Routes WebSocket upgrades of a host with `WEFT_REGIONS` to the runtime holding the data, like
 * `regionalHandler` does for HTTP (ADR 0014): the events socket (`/api/v1/workspaces/<id>/ws`) and
 * co-editing (`…/workflows/<wid>/collab`) of a workspace are served by its region's runtime — its
 * event hub, its workflows, its co-editing bus on the region's Redis prefix — and
 * `/regions/<name>/…` by that region only (421 for another region's workspace). Upgrades naming
 * no workspace (GraphQL subscriptions, which pick each workspace's region per field) go to
 * `control`, where the caller attaches the control runtime's endpoints.
 *
 * @example
 * ```ts
 * const sockets = attachRegionalSockets(server, runtime.residency, logger);
 * attachGraphqlWebSocket(sockets.control, runtime, logger);
 * await sockets.close();
 * ```
 */
export function attachRegionalSockets(server: UpgradeSource, residency: Residency, logger: Logger): RegionalSockets {
  const control = new EventEmitter();
  const regions = new Map<string, { source: EventEmitter; events: WebSocketServer; collab: CollabServer }>();
  for (const [name, rt] of residency.runtimes) {
    const source = new EventEmitter();
    const events = attachWebSocketEvents(source, rt, isCollabPath);
    regions.set(name, { source, events, collab: attachCollab(source, rt) });
  }
  const onUpgrade: UpgradeListener = (req, socket, head) => {
    regionOfRequest(residency, req.url ?? '/').then(
      (target) => {
        if (!target.region) return control.emit('upgrade', req, socket, head);
        req.url = target.url;
        return regions.get(target.region)?.source.emit('upgrade', req, socket, head);
      },
      (err: unknown) => {
        if (err instanceof ProblemError) return refuse(socket, err.status, err.message);
        logger.error({ err, url: req.url }, 'routing a socket to its region failed');
        refuse(socket, 500, 'The request could not be routed to its region');
      },
    );
  };
  server.on('upgrade', onUpgrade);
  return {
    control,
    collab: new Map([...regions].map(([name, r]) => [name, r.collab])),
    async close() {
      server.off('upgrade', onUpgrade);
      for (const r of regions.values()) {
        for (const ws of r.events.clients) ws.terminate();
        r.events.close();
        await r.collab.close();
      }
    },
  };
}
