import { Type } from '@sinclair/typebox';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const DeadLetterParams = Type.Object({ workspaceId: IdString, deadLetterId: IdString });

async function owned(rt: HostRuntime, ws: string, id: string) {
  const all = await rt.queue.listDeadLetters({ limit: 10_000 });
  const d = all.find((x) => x.id === id && x.job.workspaceId === ws);
  if (!d) throw new ProblemError(404, 'dead-letter-not-found', `Dead letter "${id}" not found`);
  return d;
}

/**
 * The dead-letter queue of a workspace: list, replay, discard.
 *
 * @example
 * ```ts
 * mountRoutes(router, deadLetterRoutes(runtime), runtime);
 * ```
 */
export function deadLetterRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/dead-letters';
  return [
    defineRoute({
      method: 'get',
      path: base,
      summary: 'Jobs that exhausted their attempts, with the error',
      tag: 'dead-letters',
      scope: 'executions',
      auth: 'read',
      params: WorkspaceParams,
      query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
      handler: async ({ params, query }) => {
        const all = await rt.queue.listDeadLetters({ limit: 10_000 });
        return { items: all.filter((d) => d.job.workspaceId === params.workspaceId).slice(0, query.limit ?? 100) };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${base}/:deadLetterId/replay`,
      summary: 'Put a dead-lettered job back on the queue',
      tag: 'dead-letters',
      scope: 'executions',
      auth: 'execute',
      params: DeadLetterParams,
      handler: async ({ params }) => {
        const d = await owned(rt, params.workspaceId, params.deadLetterId);
        return { replayed: await rt.queue.replayDeadLetter(d.id), executionId: d.job.executionId };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${base}/:deadLetterId`,
      summary: 'Discard a dead-lettered job',
      tag: 'dead-letters',
      scope: 'executions',
      auth: 'write',
      params: DeadLetterParams,
      handler: async ({ params }) => {
        const d = await owned(rt, params.workspaceId, params.deadLetterId);
        await rt.queue.discardDeadLetter(d.id);
        return undefined;
      },
    }),
  ];
}
