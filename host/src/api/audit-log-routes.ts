import { Type } from '@sinclair/typebox';
import type { AuditQuery } from '@weft/engine';
import { archiveAudit, auditArchives, checkArchive } from '../compliance/audit-retention.js';
import { hostAudit } from '../compliance/host-audit.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, NumberCursor, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Millis = (description: string) => Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description });
const Outcome = Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]);

const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  position: Type.Integer(),
  workspaceId: Type.String(),
  at: Type.Integer({ description: 'Epoch ms' }),
  actor: Type.Object({ type: Type.String(), id: Type.String() }),
  action: Type.String(),
  resource: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
  outcome: Outcome,
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  changes: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
});

const VerificationSchema = Type.Object({
  workspaceId: Type.String(),
  ok: Type.Boolean(),
  entries: Type.Integer(),
  checkpoints: Type.Integer(),
  head: Type.Object({ position: Type.Integer(), hash: Type.String() }),
  archivedThrough: Type.Integer({
    description: 'Entries up to here were archived (signed statements checked) and pruned',
  }),
  broken: Type.Optional(
    Type.Object({
      seq: Type.Union([Type.Integer(), Type.Null()]),
      position: Type.Integer(),
      reason: Type.String(),
      message: Type.String(),
    }),
  ),
});

const ArchiveSchema = Type.Object({
  workspaceId: Type.String(),
  fromPosition: Type.Integer(),
  throughPosition: Type.Integer(),
  throughHash: Type.String(),
  location: Type.String({ description: '`blob:compliance-docs/<key>` or `file:<path>`' }),
  sha256: Type.String(),
  at: Type.Integer(),
  keyId: Type.String(),
  signature: Type.String(),
  pruned: Type.Optional(Type.Integer()),
});

/**
 * The workspace's tamper-evident audit log, for admins and owners: filtered pages (newest first)
 * and verification of every link and signed checkpoint.
 *
 * @example
 * ```ts
 * mountRoutes(router, auditLogRoutes(runtime), runtime);
 * ```
 */
export function auditLogRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/audit-log';
  return [
    defineRoute({
      method: 'get',
      path: base,
      summary: 'Audit log entries, newest first, filtered by actor, action, resource, outcome and time',
      tag: 'audit',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      query: Type.Object({
        actor: Type.Optional(IdString),
        action: Type.Optional(
          Type.String({
            pattern: '^[a-z0-9.-]{1,100}$',
            description: 'An action (`workflow.activate`) or a prefix ending in a dot (`workflow.`)',
          }),
        ),
        resourceType: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,50}$' })),
        resourceId: Type.Optional(IdString),
        outcome: Type.Optional(Outcome),
        from: Type.Optional(Millis('At or after (epoch ms)')),
        to: Type.Optional(Millis('Before (epoch ms)')),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        cursor: Type.Optional(NumberCursor),
      }),
      response: Type.Object({
        items: Type.Array(AuditEntrySchema),
        nextCursor: Type.Union([Type.String(), Type.Null()]),
      }),
      handler: async ({ params, query }) => {
        if (query.from !== undefined && query.to !== undefined && query.to <= query.from)
          throw new ProblemError(400, 'invalid-query', 'to must be later than from', {
            errors: [{ in: 'query', path: 'to', message: 'must be later than from' }],
          });
        const limit = query.limit ?? 50;
        const q: AuditQuery = {
          workspaceId: params.workspaceId,
          limit,
          ...(query.actor !== undefined ? { actorId: query.actor } : {}),
          ...(query.action !== undefined ? { action: query.action } : {}),
          ...(query.resourceType !== undefined ? { resourceType: query.resourceType } : {}),
          ...(query.resourceId !== undefined ? { resourceId: query.resourceId } : {}),
          ...(query.outcome !== undefined ? { outcome: query.outcome } : {}),
          ...(query.from !== undefined ? { from: query.from } : {}),
          ...(query.to !== undefined ? { to: query.to } : {}),
          ...(query.cursor !== undefined ? { before: Number(query.cursor) } : {}),
        };
        const items = await hostAudit(rt).log.list(q);
        const last = items.at(-1);
        return { items, nextCursor: items.length === limit && last ? String(last.seq) : null };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/verify`,
      summary: 'Verify every link and signed checkpoint of the audit chain; names the first broken entry',
      tag: 'audit',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      response: VerificationSchema,
      handler: ({ params }) => hostAudit(rt).log.verify(params.workspaceId),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/archive`,
      summary:
        'Retention: move entries (through a position, or older than a time) into a signed bundle in the compliance-docs bucket, then prune them',
      tag: 'audit',
      auth: 'owner',
      scope: 'audit',
      params: WorkspaceParams,
      body: Type.Object(
        {
          throughPosition: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })),
          before: Type.Optional(Millis('Archive every entry recorded before this time (epoch ms)')),
        },
        { additionalProperties: false },
      ),
      response: ArchiveSchema,
      handler: async ({ params, body }) => {
        if ((body.throughPosition === undefined) === (body.before === undefined))
          throw new ProblemError(400, 'invalid-archive-range', 'Give exactly one of throughPosition and before', {
            errors: [{ in: 'body', path: '/throughPosition', message: 'exactly one of throughPosition and before' }],
          });
        try {
          return await archiveAudit(rt, params.workspaceId, {
            ...(body.throughPosition !== undefined ? { throughPosition: body.throughPosition } : {}),
            ...(body.before !== undefined ? { before: body.before } : {}),
          });
        } catch (e) {
          if (e instanceof RangeError) throw new ProblemError(409, 'nothing-to-archive', e.message);
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/archives`,
      summary: 'Audit archives, oldest first, each bundle checked against its signed statement',
      tag: 'audit',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      response: Type.Object({
        items: Type.Array(
          Type.Intersect([ArchiveSchema, Type.Object({ problem: Type.Union([Type.String(), Type.Null()]) })]),
        ),
      }),
      handler: async ({ params }) => ({
        items: await Promise.all(
          (await auditArchives(rt, params.workspaceId)).map(async (a) => ({
            ...a,
            problem: (await checkArchive(rt, a)) ?? null,
          })),
        ),
      }),
    }),
  ];
}
