import { Type } from '@sinclair/typebox';
import type { AuditActor } from '@weft/engine';
import { SqlGdprRequests } from '@weft/sql';
import { eraseSubject, exportSubject } from '../compliance/gdpr-service.js';
import type { Principal } from '../http/principal.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { KeysetCursor, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Subject = Type.String({
  minLength: 1,
  maxLength: 320,
  description: 'The data subject: an email address or another identifier, matched case-insensitively',
});

const actorOf = (p: Principal): AuditActor =>
  p.kind === 'apiKey' ? { type: 'api-key', id: p.key.id } : { type: p.scope ? 'embed-user' : 'user', id: p.userId };

/**
 * GDPR data-subject requests (ADR 0012), for admins and owners: a streamed JSON export of
 * everything stored about a subject, erasure by crypto-shredding, and the record of requests with
 * their deadlines.
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
        'Export everything stored about a data subject (account, credentials metadata, their executions opened, mentions, audit entries), streamed as JSON',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      body: Type.Object({ subject: Subject }, { additionalProperties: false }),
      response: Type.Object({
        format: Type.Literal('weft-data-subject-export/1'),
        requestId: Type.String(),
        workspaceId: Type.String(),
        subject: Type.String(),
        generatedAt: Type.Integer(),
        account: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
        credentials: Type.Array(Type.Record(Type.String(), Type.Unknown())),
        executions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
        unsealedMentions: Type.Object({ ids: Type.Array(Type.String()), complete: Type.Boolean() }),
        audit: Type.Array(Type.Record(Type.String(), Type.Unknown())),
      }),
      handler: async ({ params, body, res }) => {
        res.status(200);
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('content-disposition', `attachment; filename="data-subject-export-${params.workspaceId}.json"`);
        await exportSubject(rt, params.workspaceId, body.subject, (chunk) => {
          if (!res.write(chunk)) return new Promise<void>((resolve) => res.once('drain', () => resolve()));
        });
        res.end();
      },
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
        return {
          items: items.map(({ workspaceId: _w, ...r }) => r),
          nextCursor: items.length === limit && last ? `${last.receivedAt}:${last.id}` : null,
        };
      },
    }),
  ];
}
