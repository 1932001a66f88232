import { Type } from '@sinclair/typebox';
import type { AuditActor } from '@weft/engine';
import { type GdprRequest, SqlGdprRequests } from '@weft/sql';
import { bundleOf, EXPORT_LINK_HOURS, exportLinks, exportSubject } from '../compliance/gdpr-export.js';
import { serveExportBundle } from '../compliance/gdpr-export-download.js';
import type { GdprExportLinks } from '../compliance/gdpr-export-links.js';
import { eraseSubject } from '../compliance/gdpr-service.js';
import type { Principal } from '../http/principal.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, KeysetCursor, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Subject = Type.String({
  minLength: 1,
  maxLength: 320,
  description: 'The data subject: an email address or another identifier, matched case-insensitively',
});

const actorOf = (p: Principal): AuditActor =>
  p.kind === 'apiKey' ? { type: 'api-key', id: p.key.id } : { type: p.scope ? 'embed-user' : 'user', id: p.userId };

/** A request as listed: its bundle's state and, while it can be downloaded, its link. */
function withBundle(r: GdprRequest, links: GdprExportLinks, now: number) {
  const { workspaceId, result, ...rest } = r;
  const found = bundleOf(r);
  const { bundle: _b, ...summary } = result ?? {};
  const state = !found
    ? undefined
    : found.erasedAt !== undefined
      ? 'erased'
      : found.deletedAt !== undefined || found.expiresAt <= now
        ? 'expired'
        : 'available';
  return {
    ...rest,
    result: result && summary,
    bundle:
      found && state
        ? {
            state,
            url: state === 'available' ? links.url({ workspaceId, requestId: r.id, expiresAt: found.expiresAt }) : null,
            expiresAt: found.expiresAt,
            size: found.size,
          }
        : null,
  };
}

/**
 * GDPR data-subject requests (ADR 0012), for admins and owners: an export of everything stored
 * about a subject into blob storage with a signed, time-limited download link, erasure by
 * crypto-shredding (which also deletes the subject's export bundles), and the record of requests
 * with their deadlines and links.
 *
 * @example
 * ```ts
 * mountRoutes(router, gdprRoutes(runtime), runtime);
 * ```
 */
export function gdprRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/data-subjects/export',
      summary:
        'Export everything stored about a data subject (account, credentials metadata, their executions opened, mentions, audit entries) as a JSON bundle in blob storage, answered with a time-limited download link',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          subject: Subject,
          linkHours: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 168,
              description: `How long the download link works (default ${EXPORT_LINK_HOURS})`,
            }),
          ),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        requestId: Type.String(),
        url: Type.String({
          description: 'Download link; needs no other credentials until it expires or the subject is erased',
        }),
        expiresAt: Type.Integer({ description: 'Epoch ms' }),
        size: Type.Integer(),
        sha256: Type.String(),
        executions: Type.Integer(),
        unsealedMentions: Type.Integer(),
        auditEntries: Type.Integer(),
      }),
      handler: ({ params, body }) =>
        exportSubject(rt, params.workspaceId, body.subject, body.linkHours ? { linkHours: body.linkHours } : {}),
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/data-subject-exports/:requestId',
      summary:
        'Download a data-subject export bundle through its signed link (the signature is the credential); 403 once expired, 410 once the subject was erased',
      tag: 'compliance',
      auth: 'none',
      params: Type.Object({ workspaceId: IdString, requestId: IdString }),
      query: Type.Object({
        expires: Type.Integer({ minimum: 0, description: 'Epoch ms at which the link stops working' }),
        kid: Type.String({ minLength: 1, maxLength: 64, description: 'Id of the master key the link was signed with' }),
        sig: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'HMAC-SHA-256, base64url' }),
      }),
      produces: 'application/json',
      handler: ({ params, query, req, res }) => serveExportBundle(rt, params, query, req, res),
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/data-subjects/erase',
      summary:
        "Erase a data subject by destroying their key (crypto-shredding): their executions' payloads become unreadable everywhere",
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      body: Type.Object(
        {
          subject: Subject,
          deleteUnsealed: Type.Optional(
            Type.Boolean({ description: 'Also delete executions that mention the subject in plain text' }),
          ),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        requestId: Type.String(),
        keyDestroyed: Type.Boolean(),
        executionsShredded: Type.Integer(),
        unsealedMentions: Type.Array(Type.String()),
        unsealedDeleted: Type.Boolean(),
        searchComplete: Type.Boolean(),
        exportBundlesDeleted: Type.Integer({ description: "The subject's export bundles deleted from blob storage" }),
      }),
      handler: ({ params, body, principal, req, res }) =>
        eraseSubject(rt, params.workspaceId, body.subject, {
          actor: actorOf(principal),
          deleteUnsealed: body.deleteUnsealed === true,
          requestId: (res.getHeader('x-request-id') as string | undefined) ?? null,
          ip: req.ip ?? null,
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/data-subject-requests',
      summary: 'GDPR export and erasure requests with their deadlines and results, newest first',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      query: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        cursor: Type.Optional(KeysetCursor),
      }),
      response: Type.Object({
        items: Type.Array(
          Type.Object({
            id: Type.String(),
            kind: Type.String(),
            subjectHash: Type.String({ description: 'Keyed hash of the identifier; the identifier is not stored' }),
            status: Type.String(),
            receivedAt: Type.Integer(),
            dueAt: Type.Integer(),
            completedAt: Type.Union([Type.Integer(), Type.Null()]),
            result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
            bundle: Type.Union(
              [
                Type.Object({
                  state: Type.Union([Type.Literal('available'), Type.Literal('expired'), Type.Literal('erased')]),
                  url: Type.Union([Type.String(), Type.Null()], { description: 'The download link while available' }),
                  expiresAt: Type.Integer(),
                  size: Type.Integer(),
                }),
                Type.Null(),
              ],
              { description: "An export's bundle in blob storage" },
            ),
          }),
        ),
        nextCursor: Type.Union([Type.String(), Type.Null()]),
      }),
      handler: async ({ params, query }) => {
        const limit = query.limit ?? 50;
        const sep = query.cursor?.indexOf(':') ?? -1;
        const items = await new SqlGdprRequests(rt.h).list(params.workspaceId, {
          limit,
          ...(query.cursor
            ? { before: { at: Number(query.cursor.slice(0, sep)), id: query.cursor.slice(sep + 1) } }
            : {}),
        });
        const last = items.at(-1);
        const links = exportLinks(rt);
        const now = Date.now();
        return {
          items: items.map((r) => withBundle(r, links, now)),
          nextCursor: items.length === limit && last ? `${last.receivedAt}:${last.id}` : null,
        };
      },
    }),
  ];
}
