import { Type } from '@sinclair/typebox';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { KeysetCursor, WorkflowParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const DeliverySchema = Type.Object({
  id: Type.String(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  endpoint: Type.String({ description: 'Webhook path (inbound) or subscription (outbound)' }),
  workspaceId: Type.String(),
  workflowId: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  event: Type.Optional(Type.String()),
  attempt: Type.Integer(),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status answered (null: none)' }),
  ok: Type.Boolean(),
  error: Type.Optional(Type.String()),
  refusedReason: Type.Optional(
    Type.String({ description: 'Problem code of a refused request, e.g. webhook-signature-invalid' }),
  ),
  durationMs: Type.Integer(),
  at: Type.Integer({ description: 'Epoch milliseconds' }),
  executionId: Type.Optional(Type.String()),
});

/** A cursor the schema has checked (`<at>:<id>`). */
function parseCursor(cursor: string): { at: number; id: string } {
  const i = cursor.indexOf(':');
  return { at: Number(cursor.slice(0, i)), id: cursor.slice(i + 1) };
}

/**
 * The delivery log of a workflow: every request to its webhook paths, accepted or refused, newest
 * first with keyset pagination (`limit`, `cursor` = the previous page's `nextCursor`).
 *
 * @example
 * ```ts
 * const page = await fetch(`/api/v1/workspaces/${ws}/workflows/orders/deliveries?limit=20`, { headers });
 * ```
 */
export function deliveryRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/workflows/:workflowId/deliveries',
      summary: 'Webhook deliveries of a workflow (inbound requests, accepted or refused), newest first',
      tag: 'webhooks',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      query: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        cursor: Type.Optional(KeysetCursor),
        direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound')])),
      }),
      response: Type.Object({ items: Type.Array(DeliverySchema), nextCursor: Type.Optional(Type.String()) }),
      handler: async ({ params, query }) => {
        if (!(await rt.engine.workflows.get(params.workspaceId, params.workflowId)))
          throw new ProblemError(404, 'workflow-not-found', `Workflow "${params.workflowId}" not found`);
        const limit = query.limit ?? 50;
        const rows = await rt.deliveries.list({
          workspaceId: params.workspaceId,
          workflowId: params.workflowId,
          limit: limit + 1,
          ...(query.direction ? { direction: query.direction } : {}),
          ...(query.cursor ? { before: parseCursor(query.cursor) } : {}),
        });
        const items = rows.slice(0, limit);
        const last = items.at(-1);
        return rows.length > limit && last ? { items, nextCursor: `${last.at}:${last.id}` } : { items };
      },
    }),
  ];
}
