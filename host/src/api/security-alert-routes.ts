import { Type } from '@sinclair/typebox';
import { BREACH_ALERT_ACTION } from '@weft/compliance';
import { hostAudit } from '../compliance/host-audit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { NumberCursor, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Alert = Type.Object({
  seq: Type.Integer({ description: 'Audit entry sequence number' }),
  at: Type.Integer({ description: 'Epoch ms' }),
  rule: Type.String({ description: 'failed-login-burst-account, failed-login-burst-ip, denied-burst or mass-export' }),
  key: Type.String({ description: 'What was counted: `account:<email>`, `ip:<address>`, `<actor type>:<id>`' }),
  count: Type.Integer(),
  windowMs: Type.Integer(),
});

/**
 * `GET .../security-alerts`: the breach alerts raised in a workspace (bursts of refused requests
 * and mass exports by its members), newest first, from its audit chain. Login bursts, which belong
 * to no workspace, are on the instance chain (`weft audit verify` and the log itself).
 *
 * @example
 * ```ts
 * mountRoutes(router, securityAlertRoutes(rt), rt);
 * ```
 */
export function securityAlertRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/security-alerts',
      summary: 'Breach alerts of the workspace (refused-request bursts, mass exports), newest first',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      query: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        cursor: Type.Optional(NumberCursor),
      }),
      response: Type.Object({ items: Type.Array(Alert), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
      handler: async ({ params, query }) => {
        const limit = query.limit ?? 50;
        const records = await hostAudit(rt).log.list({
          workspaceId: params.workspaceId,
          action: BREACH_ALERT_ACTION,
          limit,
          ...(query.cursor !== undefined ? { before: Number(query.cursor) } : {}),
        });
        const items = records.map((r) => {
          const c = (r.changes ?? {}) as { rule?: string; key?: string; count?: number; windowMs?: number };
          return {
            seq: r.seq,
            at: r.at,
            rule: String(c.rule ?? r.resource.id ?? ''),
            key: String(c.key ?? ''),
            count: Number(c.count ?? 0),
            windowMs: Number(c.windowMs ?? 0),
          };
        });
        const last = records.at(-1);
        return { items, nextCursor: records.length === limit && last ? String(last.seq) : null };
      },
    }),
  ];
}
