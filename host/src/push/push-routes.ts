import { Type } from '@sinclair/typebox';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Base64Url = (bytes: string) =>
  Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+={0,2}$', description: `base64url, ${bytes}` });

const Endpoint = Type.String({
  minLength: 10,
  maxLength: 2048,
  pattern: '^https?://[^\\s]+$',
  description: "The push service URL from the browser's PushSubscription (https, on a public address)",
});

const PushEvent = Type.Union(
  [Type.Literal('workflow-failed'), Type.Literal('approval-required'), Type.Literal('alert')],
  {
    description:
      'workflow-failed, approval-required, or alert: analytics alerts (SLO burn rate, anomalies) starting and resolving',
  },
);

/** The body of `POST /workspaces/:workspaceId/push-subscriptions`: a `PushSubscriptionJSON` and the events wanted. */
export const PushSubscribeBody = Type.Object({
  subscription: Type.Object({
    endpoint: Endpoint,
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object({ p256dh: Base64Url('65-byte P-256 key'), auth: Base64Url('16-byte secret') }),
  }),
  events: Type.Array(PushEvent, { minItems: 1, maxItems: 3, uniqueItems: true }),
});

function endpointProblem(endpoint: string, rt: HostRuntime): ProblemError | undefined {
  const message = rt.push.endpointProblem(endpoint);
  if (!message) return undefined;
  return new ProblemError(400, 'validation-failed', 'The push subscription endpoint must be a public https URL', {
    errors: [{ in: 'body', path: '/subscription/endpoint', message }],
  });
}

function keyProblem(path: string, value: string, bytes: number): ProblemError | undefined {
  if (Buffer.from(value, 'base64url').length === bytes) return undefined;
  return new ProblemError(400, 'validation-failed', `The subscription key ${path} is malformed`, {
    errors: [{ in: 'body', path, message: `Expected ${bytes} bytes in base64url` }],
  });
}

/**
 * Web Push: the VAPID public key, and per-user push subscriptions in a workspace (any role that can
 * read executions may subscribe its own browser).
 *
 * @example
 * ```ts
 * mountRoutes(router, pushRoutes(runtime), runtime);
 * ```
 */
export function pushRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/push-subscriptions';
  return [
    defineRoute({
      method: 'get',
      path: '/push/vapid-public-key',
      summary: "The VAPID public key browsers subscribe with (the PushManager's applicationServerKey)",
      tag: 'push',
      auth: 'user',
      response: Type.Object({ publicKey: Type.String() }),
      handler: () => ({ publicKey: rt.push.publicKey }),
    }),
    defineRoute({
      method: 'post',
      path: base,
      summary:
        'Register this browser for push notifications of the workspace (failed workflows, approvals, analytics alerts)',
      tag: 'push',
      scope: 'executions',
      auth: 'read',
      params: WorkspaceParams,
      body: PushSubscribeBody,
      status: 201,
      response: Type.Object({ id: Type.String() }),
      handler: async ({ params, body, principal }) => {
        const { endpoint, keys } = body.subscription;
        const problem =
          endpointProblem(endpoint, rt) ??
          keyProblem('/subscription/keys/p256dh', keys.p256dh, 65) ??
          keyProblem('/subscription/keys/auth', keys.auth, 16);
        if (problem) throw problem;
        const id = await rt.push.store.save({
          workspaceId: params.workspaceId,
          userId: principal.userId,
          endpoint,
          keys: { p256dh: keys.p256dh, auth: keys.auth },
          events: body.events,
        });
        return { id };
      },
    }),
    defineRoute({
      method: 'delete',
      path: base,
      summary: "Unregister this browser's push subscription in the workspace (idempotent)",
      tag: 'push',
      scope: 'executions',
      auth: 'read',
      params: WorkspaceParams,
      body: Type.Object({ endpoint: Type.String({ minLength: 1, maxLength: 2048 }) }),
      handler: async ({ params, body, principal }) => {
        await rt.push.store.remove(params.workspaceId, principal.userId, body.endpoint);
        return undefined;
      },
    }),
  ];
}
