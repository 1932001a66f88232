import { respondToWebhookResponse, type WebhookRequest, webhookResponse } from '@weft/connectors';
import type { NextFunction, Request, Response } from 'express';
import type { HostRuntime } from '../runtime/host-runtime.js';
import type { CachedWebhook } from '../runtime/webhook-router.js';
import { fromJson } from '../store/host-database.js';
import { toProblem } from './error-handler.js';
import { ProblemError } from './problem.js';
import { applyRateLimit } from './rate-limit.js';

type PayloadRow = { payload: unknown; blob_key: string | null };
const respondStatements = new WeakMap<object, { all(...p: unknown[]): unknown[] }>();

/** The Respond-to-Webhook node runs of an execution, in order (reads only those rows). */
async function respondRuns(
  rt: HostRuntime,
  executionId: string,
  nodeIds: string[],
): Promise<Array<{ state?: unknown }>> {
  if (nodeIds.length === 0) return [];
  let rows: PayloadRow[];
  const sqlite = rt.h.sqlite;
  if (sqlite) {
    // A prepared statement on the hot path (kysely prepares each query anew).
    let stmt = respondStatements.get(sqlite);
    if (!stmt) {
      stmt = sqlite.prepare(
        'select payload, blob_key from node_runs where execution_id = ? and node_id in (select value from json_each(?)) order by seq',
      );
      respondStatements.set(sqlite, stmt);
    }
    rows = stmt.all(executionId, JSON.stringify(nodeIds)) as PayloadRow[];
  } else {
    rows = await rt.h.db
      .selectFrom('node_runs')
      .select(['payload', 'blob_key'])
      .where('execution_id', '=', executionId)
      .where('node_id', 'in', nodeIds)
      .orderBy('seq')
      .execute();
  }
  if (rows.some((r) => r.blob_key !== null)) return rt.engine.executions.listNodeRuns(executionId);
  return rows.map((r) => fromJson<{ state?: unknown }>(r.payload) ?? {});
}

const PROCESS = Math.floor(Math.random() * 0x100000000)
  .toString(16)
  .padStart(8, '0');
let lastAt = 0;
let seq = 0;

/**
 * A delivery id that sorts by time and, within one process, by order: milliseconds and a counter
 * in fixed-width hex, then a random per-process part (cheaper than a UUID on the hot path).
 */
function deliveryId(at: number): string {
  seq = at === lastAt ? seq + 1 : 0;
  lastAt = at;
  return `${at.toString(16).padStart(12, '0')}-${seq.toString(16).padStart(6, '0')}-${PROCESS}`;
}

const REFUSALS: Record<number, string> = {
  400: 'invalid-body',
  401: 'webhook-unauthenticated',
  403: 'webhook-signature-invalid',
  405: 'method-not-allowed',
  413: 'body-too-large',
};

function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function queryOf(url: string): Record<string, string> {
  const i = url.indexOf('?');
  const out: Record<string, string> = {};
  if (i < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(i + 1))) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * The webhook ingress at `/hooks/<path>`: finds the active workflow's route in memory, verifies
 * the request (header secret, HMAC, basic — from the trigger's credential), and starts the
 * execution with the request as its trigger item. Responds `202 { executionId }`, or waits for
 * the last node's output / a Respond-to-Webhook node. An `Idempotency-Key` header makes
 * redeliveries return the first execution instead of starting another. Every request to a
 * registered path, accepted or refused, is recorded in the delivery log (buffered: the response
 * never waits for it); requests to unknown paths belong to no workspace and are not.
 *
 * @example
 * ```ts
 * app.all('/hooks/{*path}', express.raw({ type: () => true }), webhookIngress(runtime));
 * ```
 */
export function webhookIngress(rt: HostRuntime) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const started = performance.now();
    let owner: CachedWebhook | undefined;
    let executionId: string | undefined;
    const deliver = (status: number, problem?: ProblemError) => {
      if (!owner) return;
      const at = Date.now();
      rt.deliveries.add({
        id: deliveryId(at),
        direction: 'inbound',
        workspaceId: owner.workspaceId,
        workflowId: owner.workflowId,
        endpoint: owner.path,
        method: req.method,
        attempt: 1,
        status,
        ok: status < 400,
        durationMs: performance.now() - started,
        at,
        ...(executionId ? { executionId } : {}),
        ...(problem ? { error: problem.message } : {}),
        ...(problem && !executionId ? { refusedReason: problem.code } : {}),
      });
    };
    try {
      const raw = (req.params as { path?: string[] | string }).path;
      const path = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
      const hook = rt.webhooks.match(req.method, path);
      if (hook === undefined)
        throw new ProblemError(404, 'webhook-not-found', `No active workflow listens on /hooks/${path}`);
      if (hook === 'method') {
        owner = rt.webhooks.ownerOf(path);
        throw new ProblemError(405, 'method-not-allowed', `/hooks/${path} does not accept ${req.method}`);
      }
      owner = hook;
      if (rt.config.rateLimitPerWebhook > 0) {
        await applyRateLimit(
          rt.rateLimiter,
          res,
          'webhook',
          `hook:${hook.workspaceId}:${hook.path}`,
          rt.config.rateLimitPerWebhook,
          60_000,
        );
      }
      const rawBody: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array();
      const request: WebhookRequest = {
        method: req.method,
        path,
        headers: headersOf(req),
        query: queryOf(req.url),
        rawBody,
      };
      const accepted = await rt.webhooks.accept(hook, request);
      if (!accepted.accepted) {
        const { status, body } = accepted.response;
        let detail = body;
        try {
          detail = (JSON.parse(body) as { error?: string }).error ?? body;
        } catch {}
        throw new ProblemError(status, REFUSALS[status] ?? 'webhook-refused', detail);
      }
      const keyHeader = req.headers['idempotency-key'];
      const idempotencyKey = typeof keyHeader === 'string' && keyHeader ? keyHeader.slice(0, 200) : undefined;
      const wait = hook.responseMode !== 'immediately';
      const launched = await rt.launcher.launch(hook.stored, {
        mode: 'webhook',
        input: accepted.items,
        startNodeId: hook.nodeId,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(wait ? { wait: true, timeoutMs: rt.config.requestTimeoutMs } : {}),
      });
      executionId = launched.executionId;
      res.setHeader('x-weft-execution-id', launched.executionId);
      if (launched.duplicate) res.setHeader('x-weft-duplicate', 'true');
      if (!wait) {
        res.status(202).json({ executionId: launched.executionId, ...(launched.duplicate ? { duplicate: true } : {}) });
        deliver(202);
        return;
      }
      const result = launched.result;
      if (!result || result.status === 'failed' || result.status === 'cancelled') {
        throw new ProblemError(
          500,
          'execution-failed',
          `The workflow ${result?.status ?? 'did not finish'}: ${result?.error?.message ?? ''}`.trim(),
          {
            executionId: launched.executionId,
          },
        );
      }
      if (hook.responseMode === 'respondNode') {
        // The respond node hands its response to the engine; read the checkpoint only for
        // executions that ran elsewhere (resumed after a wait, or by a worker).
        const direct =
          result.response === undefined ? undefined : respondToWebhookResponse({ webhookResponse: result.response });
        if (direct) {
          res.status(direct.status).set(direct.headers).send(direct.body);
          deliver(direct.status);
          return;
        }
        for (const run of await respondRuns(rt, launched.executionId, hook.respondNodeIds)) {
          const r = respondToWebhookResponse(run.state);
          if (r) {
            res.status(r.status).set(r.headers).send(r.body);
            deliver(r.status);
            return;
          }
        }
      }
      if (result.status === 'waiting') {
        res.status(202).json({ executionId: launched.executionId, status: 'waiting' });
        deliver(202);
        return;
      }
      const r = webhookResponse('lastNode', { executionId: launched.executionId, output: result.output });
      res.status(r.status).set(r.headers).send(r.body);
      deliver(r.status);
    } catch (err) {
      if (owner) {
        const problem = toProblem(err);
        deliver(problem.status, problem);
      }
      next(err);
    }
  };
}
