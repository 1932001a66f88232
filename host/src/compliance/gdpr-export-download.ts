import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { type AuditOutcome, BlobNotFoundError, type BlobObject, blobBodyStream } from '@weft/engine';
import { SqlGdprRequests } from '@weft/sql';
import type { Request, Response } from 'express';
import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { bundleOf, exportLinks } from './gdpr-export.js';
import type { GdprExportLinkQuery } from './gdpr-export-links.js';
import { hostAudit } from './host-audit.js';

/**
 * Answers a GDPR export link: checks its signature and expiry (403), finds the request's bundle
 * (404 when there is none, 410 once erased with its subject) and streams it as a JSON download.
 * Every use of a genuinely signed link is recorded in the workspace's audit chain
 * (`data-subject.export-download`, success or denied, actor `anonymous` "export-link"); links with
 * a bad signature name no workspace that can be trusted and are not.
 *
 * @example
 * ```ts
 * handler: ({ params, query, req, res }) => serveExportBundle(runtime, params, query, req, res),
 * ```
 */
export async function serveExportBundle(
  rt: HostRuntime,
  params: { workspaceId: string; requestId: string },
  query: GdprExportLinkQuery,
  req: Request,
  res: Response,
): Promise<void> {
  const grant = exportLinks(rt).check(params.workspaceId, params.requestId, query);
  if ('reason' in grant) {
    if (grant.reason.includes('expired')) record(rt, params, req, res, 'denied', 'expired');
    throw new ProblemError(grant.status, 'export-link-refused', grant.reason);
  }
  const request = await new SqlGdprRequests(rt.h).get(params.workspaceId, params.requestId);
  const bundle = request && bundleOf(request);
  if (!bundle) throw new ProblemError(404, 'export-not-found', `Export ${params.requestId} has no bundle`);
  const gone = () => {
    record(rt, params, req, res, 'denied', 'erased');
    return new ProblemError(
      410,
      'export-erased',
      `Export ${params.requestId} was deleted when its data subject was erased`,
    );
  };
  if (bundle.erasedAt !== undefined) throw gone();
  let blob: BlobObject;
  try {
    blob = await rt.blob.storage.bucket('compliance-docs').getStream(bundle.key);
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw gone();
    throw err;
  }
  res.status(200);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', String(bundle.size));
  res.setHeader('cache-control', 'private, no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-disposition', `attachment; filename="data-subject-export-${params.requestId}.json"`);
  record(rt, params, req, res, 'success', null);
  await pipeline(Readable.fromWeb(blobBodyStream(blob.body) as NodeReadableStream<Uint8Array>), res);
}

function record(
  rt: HostRuntime,
  params: { workspaceId: string; requestId: string },
  req: Request,
  res: Response,
  outcome: AuditOutcome,
  reason: string | null,
): void {
  hostAudit(rt).record({
    workspaceId: params.workspaceId,
    actor: { type: 'anonymous', id: 'export-link' },
    action: 'data-subject.export-download',
    resource: { type: 'gdpr-request', id: params.requestId },
    outcome,
    at: Date.now(),
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    requestId: (res.getHeader('x-request-id') as string | undefined) ?? null,
    changes: reason === null ? null : { reason },
  });
}
