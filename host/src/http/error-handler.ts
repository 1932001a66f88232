import { EngineError } from '@weft/engine';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ProblemError, sendProblem } from './problem.js';

/** Maps anything thrown to a problem document; only genuine server faults become 5xx (and are logged). */
export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
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
