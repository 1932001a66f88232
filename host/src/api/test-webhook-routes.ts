import type { IncomingMessage, ServerResponse } from 'node:http';
import { type TSchema, Type } from '@sinclair/typebox';
import { WorkflowSchema } from '@weft/engine';
import type { Logger } from 'pino';
import { toProblem } from '../http/error-handler.js';
import { headersOf, queryOf, readBody } from '../http/hook-request.js';
import { sendProblem } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { testWebhooks } from '../runtime/test-webhooks.js';
import { checkWorkflow } from '../workflows/workflow-service.js';

const Workflow = WorkflowSchema as unknown as TSchema;
const ListenerParams = Type.Object({ workspaceId: IdString, listenerId: IdString });

/**
 * "Listen for test event" (editor role): `POST /workspaces/:id/test-webhooks` `{ workflow, nodeId,
 * timeoutMs? }` registers the unsaved document's webhook trigger at its test URL
 * (`/hooks-test/<path>`) for `timeoutMs` (default 2 minutes, at most 10); `GET .../:listenerId`
 * answers its state (`?waitMs=` long-polls up to 25 s): `listening`, `received` (with the trigger
 * items and the test execution's id), `expired` or `cancelled`; `DELETE` stops listening.
 *
 * @example
 * ```ts
 * mountRoutes(router, testWebhookRoutes(runtime), runtime);
 * ```
 */
export function testWebhookRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/test-webhooks';
  const longest = () => Math.max(0, Math.min(25_000, rt.config.requestTimeoutMs - 5_000));
  return [
    defineRoute({
      method: 'post',
      path: base,
      summary: "Listen for one test request at a webhook trigger's test URL, then run the document with it",
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          workflow: Workflow,
          nodeId: IdString,
          timeoutMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 600_000 })),
        },
        { additionalProperties: false },
      ),
      handler: ({ params, body }) => {
        const workflow = checkWorkflow(rt, body.workflow, 'body/workflow');
        return testWebhooks(rt).listen({
          workspaceId: params.workspaceId,
          workflow,
          nodeId: body.nodeId,
          timeoutMs: body.timeoutMs ?? 120_000,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/:listenerId`,
      summary: 'A test listener: listening, received (items and execution), expired or cancelled; waitMs long-polls',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: ListenerParams,
      query: Type.Object({ waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 25_000 })) }),
      handler: ({ params, query }) =>
        testWebhooks(rt).wait(params.workspaceId, params.listenerId, Math.min(query.waitMs ?? 0, longest())),
    }),
    defineRoute({
      method: 'delete',
      path: `${base}/:listenerId`,
      summary: 'Stop listening for a test event',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: ListenerParams,
      handler: async ({ params }) => {
        await testWebhooks(rt).cancel(params.workspaceId, params.listenerId);
        return undefined;
      },
    }),
  ];
}

/**
 * The test URLs' ingress, `ANY /hooks-test/<path>`: hands the request to the editor listening on
 * that path (see {@link testWebhookRoutes}); 404 problem when none listens.
 *
 * @example
 * ```ts
 * app.all('/hooks-test/{*path}', testWebhookIngress(runtime, logger));
 * ```
 */
export function testWebhookIngress(rt: HostRuntime, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = decodeURIComponent((q < 0 ? url : url.slice(0, q)).replace(/^.*?\/hooks-test\/?/, ''));
      const rawBody = await readBody(req, rt.config.bodyLimitBytes);
      const method = req.method ?? 'GET';
      const r = await testWebhooks(rt).receive({ method, path, headers: headersOf(req), query: queryOf(url), rawBody });
      const body = JSON.stringify(r.body);
      res.writeHead(r.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    })().catch((err: unknown) => {
      const problem = toProblem(err);
      if (problem.status >= 500) logger.error({ err, url: req.url }, 'test webhook failed');
      sendProblem(res, problem, String(res.getHeader('x-request-id') ?? ''));
    });
  };
}
