import type { IncomingMessage } from 'node:http';
import { WebSocketServer } from 'ws';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { authenticate } from './authenticate.js';
import { ProblemError } from './problem.js';
import type { UpgradeSource } from './upgrade-source.js';

const PATH = /^\/api\/v1\/workspaces\/([A-Za-z0-9._:-]{1,200})\/ws$/;

/**
 * WebSocket stream of execution events at `/api/v1/workspaces/:workspaceId/ws` (token in the
 * `Authorization` header or `access_token` query; `executionId` and `lastEventId` query
 * parameters). Each message is `{ id, event }`; when events after `lastEventId` are no longer
 * retained (or the id is unknown), `{ gap: { lastEventId } }` comes first, then every retained event.
 *
 * @example
 * ```ts
 * attachWebSocketEvents(server, runtime);
 * // client: new WebSocket(`ws://host/api/v1/workspaces/${ws}/ws?access_token=${token}`)
 * ```
 */
export function attachWebSocketEvents(
  server: UpgradeSource,
  rt: HostRuntime,
  /** Upgrade paths another handler answers (left alone here instead of refused). */
  handledElsewhere: (pathname: string) => boolean = () => false,
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', async (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = PATH.exec(url.pathname);
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${message}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}`);
    };
    if (!m) return handledElsewhere(url.pathname) ? undefined : refuse(404, 'Not Found');
    const workspaceId = m[1] as string;
    try {
      const fake = { headers: req.headers, query: Object.fromEntries(url.searchParams) } as never;
      const principal = await authenticate(rt, fake, { allowQueryToken: true });
      const ok =
        principal.kind === 'apiKey'
          ? principal.key.workspaceId === workspaceId
          : (!principal.scope || principal.scope.workspaceId === workspaceId) &&
            !!(await rt.identity.roleOf(workspaceId, principal.userId));
      if (!ok) return refuse(404, 'Not Found');
    } catch (e) {
      return refuse(e instanceof ProblemError ? e.status : 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const executionId = url.searchParams.get('executionId') ?? undefined;
      const last = url.searchParams.get('lastEventId') ?? undefined;
      const stop = rt.hub.subscribe(
        workspaceId,
        { ...(executionId ? { executionId } : {}), ...(last ? { lastEventId: last } : {}) },
        { event: (e) => ws.send(JSON.stringify(e)), gap: (gap) => ws.send(JSON.stringify({ gap })) },
      );
      ws.on('close', stop);
      ws.on('error', stop);
    });
  });
  return wss;
}
