import { Type } from '@sinclair/typebox';
import { EVENT_NAME_PATTERN } from '@weft/connectors';
import type { HubListener, JsonObject } from '@weft/engine';
import type { Response } from 'express';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, JsonObjectSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** Writes hub events as SSE frames, and a gap as a `stream:gap` frame without an id (the client's stays as it was). */
function sseListener(res: Response): HubListener {
  return {
    event: (e) => res.write(`id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`),
    gap: (gap) => res.write(`event: stream:gap\ndata: ${JSON.stringify(gap)}\n\n`),
  };
}

const PublishResultSchema = Type.Object({
  id: Type.String({ description: 'Event id (time-ordered), also in the trigger item' }),
  event: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  executions: Type.Array(
    Type.Object({ workflowId: Type.String(), nodeId: Type.String(), executionId: Type.String() }),
    { description: 'One per active workflow whose event trigger accepted the event' },
  ),
});

/**
 * Events of a workspace: Server-Sent Events of its execution events (optionally one execution),
 * resumable with `Last-Event-ID` (header, or `lastEventId` query) from the hub's bounded backlog —
 * the same ids and backlog on every host process when they share Redis; when events after the given
 * id are no longer retained (or the id is unknown), a `stream:gap` event (`{ lastEventId }`) comes
 * first, then every retained event (reload what you show from the REST API). And publishing a named
 * event, which starts the workflows whose event triggers listen to it.
 *
 * @example
 * ```ts
 * const source = new EventSource(`/api/v1/workspaces/${ws}/events?access_token=${token}`);
 * source.addEventListener('workflow:completed', (e) => console.log(JSON.parse(e.data)));
 * await fetch(`/api/v1/workspaces/${ws}/events/order.created`, { method: 'POST', headers, body: JSON.stringify({ orderId: 7 }) });
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
        lastEventId: Type.Optional(
          Type.String({
            pattern: '^(0|[1-9]\\d{0,15})-(0|[1-9]\\d{0,15})$',
            description: 'an event id (`id:` of an event)',
          }),
        ),
      }),
      handler: ({ params, query, req, res }) => {
        // Whatever the browser sends back is passed on: an id the hub cannot place yields a gap, not silence.
        const header = req.headers['last-event-id'];
        const last = typeof header === 'string' && header !== '' ? header : query.lastEventId;
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
          sseListener(res),
        );
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(ping);
          stop();
        });
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/events/:name',
      summary:
        'Publish an event (the JSON body is its payload): starts one execution per active workflow whose event trigger listens to it',
      tag: 'realtime',
      scope: 'executions',
      auth: 'execute',
      status: 202,
      params: Type.Object({
        workspaceId: IdString,
        name: Type.String({
          pattern: EVENT_NAME_PATTERN,
          description: 'Event name; names starting with "weft." are published by the host only',
        }),
      }),
      body: JsonObjectSchema,
      response: PublishResultSchema,
      handler: ({ params, body }) => rt.events.publish(params.workspaceId, params.name, body as JsonObject),
    }),
  ];
}
