import { Type } from '@sinclair/typebox';
import type { Response } from 'express';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HubEvent } from '../runtime/event-hub.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

function sseWrite(res: Response, e: HubEvent): void {
  res.write(`id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`);
}

/**
 * Server-Sent Events of a workspace's execution events (optionally one execution), resumable with
 * `Last-Event-ID` from a bounded per-workspace ring buffer.
 *
 * @example
 * ```ts
 * const source = new EventSource(`/api/v1/workspaces/${ws}/events?access_token=${token}`);
 * source.addEventListener('workflow:completed', (e) => console.log(JSON.parse(e.data)));
 * ```
 */
export function eventRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/events',
      summary: 'Execution events as Server-Sent Events (text/event-stream); resumable with Last-Event-ID',
      tag: 'realtime',
      scope: 'executions',
      auth: 'read',
      stream: true,
      params: WorkspaceParams,
      query: Type.Object({
        executionId: Type.Optional(IdString),
        lastEventId: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
      }),
      handler: ({ params, query, req, res }) => {
        const header = req.headers['last-event-id'];
        const last = typeof header === 'string' && /^\d{1,15}$/.test(header) ? header : query.lastEventId;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(': connected\nretry: 2000\n\n');
        const stop = rt.hub.subscribe(
          params.workspaceId,
          {
            ...(query.executionId ? { executionId: query.executionId } : {}),
            ...(last !== undefined ? { lastEventId: last } : {}),
          },
          (e) => sseWrite(res, e),
        );
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(ping);
          stop();
        });
        return undefined;
      },
    }),
  ];
}
