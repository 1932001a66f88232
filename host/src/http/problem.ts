import type { ServerResponse } from 'node:http';
import type { FieldIssue } from '../runtime/host-error.js';

/** One field-level problem inside a problem document (the runtime's `FieldIssue`). */
export type FieldProblem = FieldIssue;

/**
 * An error answered as `application/problem+json` (RFC 9457) with a stable `code`.
 *
 * @example
 * ```ts
 * throw new ProblemError(404, 'workflow-not-found', `Workflow "${id}" not found`);
 * ```
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { errors?: FieldProblem[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Writes a problem document (works on a plain `node:http` response as well as Express's). */
export function sendProblem(res: ServerResponse, p: ProblemError, requestId?: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const { headers, ...rest } = p.extra;
  for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
  const body = JSON.stringify({
    type: `https://weft.dev/problems/${p.code}`,
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    code: p.code,
    detail: p.message,
    ...(requestId ? { instance: `urn:weft:request:${requestId}` } : {}),
    ...rest,
  });
  res.statusCode = p.status;
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
