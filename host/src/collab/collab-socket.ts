import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { allows, atLeast, type Role } from '../auth/roles.js';
import { authenticate } from '../http/authenticate.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import type { UpgradeSource } from '../http/upgrade-source.js';
import { connectRedis } from '../runtime/build-redis.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { type CollabBus, localCollabBus, redisCollabBus } from './collab-bus.js';
import { type CollabPeer, CollabRoom } from './collab-room.js';

const PATH = /^\/api\/v1\/workspaces\/([A-Za-z0-9._:-]{1,200})\/workflows\/([A-Za-z0-9._:-]{1,200})\/collab$/;
/** How long an empty room stays in memory, so a client that reconnects finds it as it left it (ADR 0016). */
const ROOM_GRACE_MS = 30_000;

/** Whether `pathname` is a co-editing socket path (`/api/v1/workspaces/:id/workflows/:wid/collab`). */
export function isCollabPath(pathname: string): boolean {
  return PATH.test(pathname);
}

/** A running co-editing endpoint. */
export interface CollabServer {
  /** Open rooms on this process, by `workspaceId/workflowId`. */
  readonly rooms: ReadonlyMap<string, Promise<CollabRoom>>;
  close(): Promise<void>;
}

async function roleIn(rt: HostRuntime, principal: Principal, workspaceId: string): Promise<Role | undefined> {
  if (principal.kind === 'apiKey') {
    const key = principal.key;
    if (key.workspaceId !== workspaceId) return undefined;
    const creator = await rt.identity.roleOf(workspaceId, principal.userId);
    if (!creator) return undefined;
    const role = atLeast(creator, key.role) ? key.role : creator;
    const scoped = (w: boolean) =>
      ['*', 'workflows:*', `workflows:${w ? 'write' : 'read'}`].some((s) => key.scopes.includes(s));
    if (!scoped(false) && !scoped(true)) return undefined;
    return scoped(true) ? role : 'viewer';
  }
  if (principal.scope && principal.scope.workspaceId !== workspaceId) return undefined;
  return rt.identity.roleOf(workspaceId, principal.userId);
}

/**
 * Real-time co-editing of workflows over WebSocket at
 * `/api/v1/workspaces/:workspaceId/workflows/:workflowId/collab`, speaking the y-websocket
 * protocol (sync + awareness); token in the `Authorization` header or the `access_token` query.
 * Members with `write` (editors and up) edit; viewers and operators receive every update but
 * their own are refused (an auth "permission denied" message); other workspaces, unknown
 * workflows and strangers get 404/401 on the upgrade. With `redisUrl` configured, replicas on
 * other host processes are kept in step through Redis pub/sub. Documents live in memory: saving
 * (`PUT .../workflows/:id`) still creates the immutable version.
 *
 * @example
 * ```ts
 * const collab = attachCollab(server, runtime);
 * // browser: new WebsocketProvider(`ws://host/api/v1/workspaces/${ws}/workflows`, `${wf}/collab`, doc,
 * //   { params: { access_token: token } })
 * await collab.close();
 * ```
 */
export function attachCollab(server: UpgradeSource, rt: HostRuntime, options: { bus?: CollabBus } = {}): CollabServer {
  const cfg = rt.config;
  const bus =
    options.bus ??
    (cfg.redisUrl
      ? redisCollabBus(
          () => connectRedis({ redisUrl: cfg.redisUrl as string, redisCluster: cfg.redisCluster }),
          cfg.redisPrefix,
        )
      : localCollabBus);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const rooms = new Map<string, Promise<CollabRoom>>();
  const timers = new Map<string, NodeJS.Timeout>();

  const refuse = (socket: Duplex, status: number, message: string) =>
    socket.end(`HTTP/1.1 ${status} ${message}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}`);

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = PATH.exec(url.pathname);
    if (!m) return;
    const [, workspaceId, workflowId] = m as unknown as [string, string, string];
    let role: Role | undefined;
    try {
      const fake = { headers: req.headers, query: Object.fromEntries(url.searchParams) } as never;
      role = await roleIn(rt, await authenticate(rt, fake, { allowQueryToken: true }), workspaceId);
      if (!role || !(await rt.engine.workflows.get(workspaceId, workflowId))) return refuse(socket, 404, 'Not Found');
    } catch (e) {
      return refuse(socket, e instanceof ProblemError ? e.status : 401, 'Unauthorized');
    }
    const canWrite = allows(role, 'write');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const key = `${workspaceId}/${workflowId}`;
      clearTimeout(timers.get(key));
      timers.delete(key);
      let opened = rooms.get(key);
      if (!opened) {
        opened = CollabRoom.open(key, bus);
        rooms.set(key, opened);
      }
      const peer: CollabPeer = {
        canWrite,
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
      };
      // Messages wait for the room (filled from other processes first), in the order they came.
      const ready = opened.then((room) => {
        room.join(peer);
        return room;
      });
      ws.on('message', (data: Buffer) => {
        void ready.then((room) => {
          try {
            room.receive(peer, new Uint8Array(data));
          } catch (err) {
            rt.logger.warn({ err: (err as Error).message, room: key }, 'bad co-editing message');
            ws.close(1003, 'bad message');
          }
        });
      });
      ws.on('close', () => {
        void ready.then((room) => {
          if (!room.leave(peer)) return;
          timers.set(
            key,
            setTimeout(() => {
              timers.delete(key);
              if (room.peers.size > 0) return;
              rooms.delete(key);
              room.close();
            }, ROOM_GRACE_MS).unref(),
          );
        });
      });
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    rooms,
    async close() {
      server.off('upgrade', onUpgrade);
      for (const t of timers.values()) clearTimeout(t);
      for (const ws of wss.clients) ws.terminate();
      for (const r of rooms.values()) (await r).close();
      rooms.clear();
      await bus.close();
    },
  };
}
