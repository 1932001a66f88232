import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { respondToWebhookResponse, type WebhookRequest, webhookResponse } from '@weft/connectors';
import { binaryPrefix, type Item, timeOrderedId } from '@weft/engine';
import type { Logger } from 'pino';
import { requestTraceCarrier } from '../observability/http-server-spans.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import type { CachedWebhook } from '../runtime/webhook-router.js';
import { toProblem } from './error-handler.js';
import { headersOf, hookPath, queryOf, readBody } from './hook-request.js';
import { checkJsonDepth } from './json-depth.js';
import { ProblemError, sendProblem } from './problem.js';
import { applyRateLimit } from './rate-limit.js';
import { attachUploadedFiles, closeAfterAnswer, type UploadSource, uploadKind } from './webhook-files.js';

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

const NO_BODY = new Uint8Array();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Whether a body opens an array or object (what the trigger and connectors may parse as JSON). */
function startsJson(body: Uint8Array): boolean {
  for (const b of body) {
    if (b === 0x7b || b === 0x5b) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return false;
  }
  return false;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.statusCode = status;
  for (const k in headers) res.setHeader(k, headers[k] as string);
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value));
}

/**
 * The webhook ingress at `/hooks/<path>`, a plain `node:http` handler: the data plane of the
 * host skips Express (its router, body parser and the API's middleware cost a third of a small
 * webhook's CPU) and does itself what a request needs: a request id, the body (size-limited,
 * inflated), metrics and a log line. It finds the active workflow's route in memory, verifies the
 * request (header secret, HMAC, basic — from the trigger's credential), and starts the execution
 * with the request as its trigger item. Responds `202 { executionId }` once the execution is
 * stored, or waits for the last node's output / a Respond-to-Webhook node. An `Idempotency-Key`
 * header makes redeliveries return the first execution instead of starting another. Every
 * request to a registered path, accepted or refused, is recorded in the delivery log (buffered:
 * the response never waits for it); requests to unknown paths belong to no workspace and are not.
 * `createHost` hands it `/hooks/` requests before Express; `createApp` also mounts it, for hosts
 * that serve the app from their own server.
 *
 * @example
 * ```ts
 * const hooks = webhookIngress(runtime, logger);
 * http.createServer((req, res) => (req.url?.startsWith('/hooks/') ? hooks(req, res) : app(req, res)));
 * ```
 */
export function webhookIngress(rt: HostRuntime, logger: Logger) {
  const observed = new Map<string, { observe(seconds: number): void }>();
  const observe = (method: string, status: number, seconds: number) => {
    const key = `${method} ${status}`;
    let child = observed.get(key);
    if (!child) {
      child = rt.metrics.http.labels({ method, route: '/hooks', status: String(status) });
      observed.set(key, child);
    }
    child.observe(seconds);
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    res.once('finish', () => {
      const ms = performance.now() - started;
      observe(req.method ?? 'GET', res.statusCode, ms / 1000);
      if (logger.isLevelEnabled('info')) {
        const executionId = res.getHeader('x-weft-execution-id');
        logger.info(
          {
            reqId: requestId,
            method: req.method,
            url: (req.url ?? '').split('?')[0],
            status: res.statusCode,
            ms: Math.round(ms * 10) / 10,
            ...(executionId ? { executionId } : {}),
          },
          'request',
        );
      }
    });
    void handle(rt, req, res, started).catch((err: unknown) => {
      const problem = toProblem(err);
      if (problem.status >= 500) logger.error({ reqId: requestId, err, url: req.url }, 'request failed');
      sendProblem(res, problem, requestId);
    });
  };
}

async function handle(rt: HostRuntime, req: IncomingMessage, res: ServerResponse, started: number): Promise<void> {
  const method = req.method ?? 'GET';
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
      method,
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
    const url = req.url ?? '/';
    const path = hookPath(url);
    // Uploads stream to the blob store (WEFT_UPLOAD_LIMIT_BYTES) once the request is accepted.
    const streamed = req.headers['content-length'] === '0' ? undefined : uploadKind(req.headers['content-type']);
    const rawBody = streamed ? NO_BODY : await readBody(req, rt.config.bodyLimitBytes);
    const hook = rt.webhooks.match(method, path);
    if (hook === undefined)
      throw new ProblemError(404, 'webhook-not-found', `No active workflow listens on /hooks/${path}`);
    if (hook === 'method') {
      owner = rt.webhooks.ownerOf(path);
      throw new ProblemError(405, 'method-not-allowed', `/hooks/${path} does not accept ${method}`);
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
    if (startsJson(rawBody)) checkJsonDepth(rawBody);
    const request: WebhookRequest = { method, path, headers: headersOf(req), query: queryOf(url), rawBody };
    let accepted = await rt.webhooks.accept(hook, request);
    let upload: UploadSource = req;
    if (streamed && !accepted.accepted && hook.credentialId) {
      // A signature may cover the body: read it (within the body limit) and verify again.
      request.rawBody = upload = await readBody(req, rt.config.bodyLimitBytes);
      accepted = await rt.webhooks.accept(hook, request);
    }
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
    // Uploads (multipart, raw files) go to the blob store under the execution's id, chosen here.
    let input: Item[] = accepted.items;
    const presetId = streamed && input[0] ? timeOrderedId() : undefined;
    if (presetId && streamed && input[0]) {
      const owner = { workspaceId: hook.workspaceId, executionId: presetId };
      const limit = rt.config.blob.uploadLimitBytes;
      input = [
        await attachUploadedFiles(rt.files, owner, streamed, request.headers, upload, input[0], limit),
        ...input.slice(1),
      ];
    }
    const traceContext = requestTraceCarrier(req);
    const launched = await rt.launcher.launch(hook.stored, {
      mode: 'webhook',
      input,
      ...(presetId ? { executionId: presetId } : {}),
      startNodeId: hook.nodeId,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(wait ? { wait: true, timeoutMs: rt.config.requestTimeoutMs } : {}),
      ...(traceContext ? { traceContext } : {}),
    });
    executionId = launched.executionId;
    if (presetId && launched.executionId !== presetId) {
      // A redelivery (same Idempotency-Key): the first execution has its files already.
      await rt.files.deletePrefix(binaryPrefix({ workspaceId: hook.workspaceId, executionId: presetId }));
    }
    res.setHeader('x-weft-execution-id', launched.executionId);
    if (launched.duplicate) res.setHeader('x-weft-duplicate', 'true');
    if (!wait) {
      sendJson(res, 202, { executionId: launched.executionId, ...(launched.duplicate ? { duplicate: true } : {}) });
      deliver(202);
      return;
    }
    const result = launched.result;
    if (!result || result.status === 'failed' || result.status === 'cancelled') {
      throw new ProblemError(
        500,
        'execution-failed',
        `The workflow ${result?.status ?? 'did not finish'}: ${result?.error?.message ?? ''}`.trim(),
        { executionId: launched.executionId },
      );
    }
    if (hook.responseMode === 'respondNode') {
      // The respond node hands its response to the engine; read the checkpoint only for
      // executions that ran elsewhere (resumed after a wait, or by a worker).
      const direct =
        result.response === undefined ? undefined : respondToWebhookResponse({ webhookResponse: result.response });
      if (direct) {
        send(res, direct.status, direct.headers, direct.body);
        deliver(direct.status);
        return;
      }
      for (const run of await rt.engine.executions.listNodeRuns(launched.executionId, {
        nodeIds: hook.respondNodeIds,
      })) {
        const r = respondToWebhookResponse(run.state);
        if (r) {
          send(res, r.status, r.headers, r.body);
          deliver(r.status);
          return;
        }
      }
    }
    if (result.status === 'waiting') {
      sendJson(res, 202, { executionId: launched.executionId, status: 'waiting' });
      deliver(202);
      return;
    }
    const r = webhookResponse('lastNode', { executionId: launched.executionId, output: result.output });
    send(res, r.status, r.headers, r.body);
    deliver(r.status);
  } catch (err) {
    // A body left unread (an upload refused mid-way, an unknown path) is not read on.
    if (!req.complete && !res.headersSent) closeAfterAnswer(req, res);
    if (owner) {
      const problem = toProblem(err);
      deliver(problem.status, problem);
    }
    throw err;
  }
}
