import { EngineError } from '@weft/engine';
import { MarketplaceError, type MarketplaceErrorKind } from '@weft/marketplace';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HostError, type HostErrorKind } from '../runtime/host-error.js';
import { ProblemError, sendProblem } from './problem.js';

const STATUS_OF: Record<HostErrorKind, number> = {
  'invalid-input': 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'invalid-workflow': 422,
  failed: 500,
  unavailable: 503,
  timeout: 504,
};

const MARKETPLACE_STATUS: Record<MarketplaceErrorKind, number> = {
  'invalid-input': 400,
  'payment-required': 402,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  'upstream-failed': 502,
};

function marketplaceProblem(err: MarketplaceError): ProblemError {
  const { errors, retryAfterMs } = err.details;
  return new ProblemError(MARKETPLACE_STATUS[err.kind], err.code, err.message, {
    ...(errors ? { errors: errors.map((e) => ({ in: 'body', ...e })) } : {}),
    ...(retryAfterMs === undefined
      ? {}
      : { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } }),
  });
}

/**
 * The problem document of a runtime error: its kind gives the status, its code the type, its
 * details the extra members (`retryAfterSeconds` becomes a `Retry-After` header).
 *
 * @example
 * ```ts
 * hostErrorProblem(new NotFoundError('workflow-not-found', 'Workflow "w1" not found')).status; // 404
 * ```
 */
export function hostErrorProblem(err: HostError): ProblemError {
  const { retryAfterSeconds, ...facts } = err.details;
  return new ProblemError(STATUS_OF[err.kind], err.code, err.message, {
    ...facts,
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  });
}

/**
 * Maps anything thrown to a problem document; only genuine server faults become 5xx (and are logged).
 * Used by the Express error handler and by the webhook ingress, which runs ahead of Express.
 *
 * @example
 * ```ts
 * sendProblem(res, toProblem(err), requestId);
 * ```
 */
export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof HostError) return hostErrorProblem(err);
  if (err instanceof MarketplaceError) return marketplaceProblem(err);
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; body?: unknown };
  if (e?.type === 'entity.parse.failed') {
    return new ProblemError(400, 'invalid-json', `Request body is not valid JSON: ${e.message}`, {
      errors: [{ in: 'body', path: '/', message: 'Malformed JSON' }],
    });
  }
  if (e?.type === 'entity.too.large')
    return new ProblemError(413, 'body-too-large', `Request body is larger than the limit: ${e.message}`);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ProblemError(415, 'unsupported-encoding', e.message ?? 'Unsupported content encoding');
  }
  if (e?.type === 'request.aborted') return new ProblemError(400, 'request-aborted', 'The client aborted the request');
  if (err instanceof URIError) return new ProblemError(400, 'invalid-uri', `Malformed URL: ${err.message}`);
  if (err instanceof EngineError) {
    if (err.code === 'NOT_FOUND') return new ProblemError(404, 'not-found', err.message);
    if (err.code === 'INVALID_STATE') return new ProblemError(409, 'invalid-state', err.message);
    if (err.code === 'INVALID_WORKFLOW' || err.code === 'UNKNOWN_NODE_TYPE')
      return new ProblemError(422, 'invalid-workflow', err.message);
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ProblemError(status, 'bad-request', e.message ?? 'Bad request');
  }
  return new ProblemError(
    500,
    'internal-error',
    'Something went wrong on the server; it was logged with this request id',
  );
}

/**
 * Express error middleware answering `application/problem+json` (RFC 9457).
 *
 * @example
 * ```ts
 * app.use(problemErrorHandler(logger));
 * ```
 */
export function problemErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const problem = toProblem(err);
    const id = res.getHeader('x-request-id') as string | undefined;
    if (problem.status >= 500) logger.error({ reqId: id, err, url: req.originalUrl }, 'request failed');
    sendProblem(res, problem, id);
  };
}
