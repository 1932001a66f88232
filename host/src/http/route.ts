import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { Request, Response } from 'express';
import type { Permission, Role } from '../auth/roles.js';
import type { Principal } from './principal.js';

/** What a handler receives: validated parts, the caller and (on workspace routes) their role. */
export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** Undefined only on `auth: 'none'` routes. */
  principal: Principal;
  /** The workspace of a `/workspaces/:workspaceId/...` route. */
  workspaceId: string;
  role: Role;
}

/**
 * One API route. Its TypeBox schemas validate requests and generate the OpenAPI document.
 * `auth`: `none` (public), `user` (any signed-in caller) or the workspace {@link Permission} needed.
 */
export interface RouteSpec<P extends TObject = TObject, Q extends TObject = TObject, B extends TSchema = TSchema> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path under `/api/v1`, e.g. `/workspaces/:workspaceId/workflows/:workflowId`. */
  path: string;
  summary: string;
  tag: string;
  auth: 'none' | 'user' | Permission;
  /** API-key scope resource (`workflows`, `executions`, ...); read routes need `<scope>:read`. */
  scope?: string;
  params?: P;
  query?: Q;
  body?: B;
  response?: TSchema;
  /** Media type of a success body that is not JSON (e.g. `image/svg+xml`); the handler writes it. */
  produces?: string;
  /** Success status (default 200). */
  status?: number;
  /** Response is a stream (SSE) the handler writes itself. */
  stream?: boolean;
  handler(ctx: RouteContext<Static<P>, Static<Q>, Static<B>>): Promise<unknown> | unknown;
}

/**
 * Declares a route with inferred handler types.
 *
 * @example
 * ```ts
 * export const getWorkflow = defineRoute({
 *   method: 'get', path: '/workspaces/:workspaceId/workflows/:workflowId', summary: 'Get a workflow',
 *   tag: 'workflows', auth: 'read', scope: 'workflows', params: WorkflowParams,
 *   handler: ({ params }) => store.get(params.workspaceId, params.workflowId),
 * });
 * ```
 */
export function defineRoute<P extends TObject, Q extends TObject, B extends TSchema>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return spec;
}

/** A route of any shape, as the router and OpenAPI generator see it. */
// biome-ignore lint/suspicious/noExplicitAny: routes are stored heterogeneously
export type AnyRoute = RouteSpec<any, any, any>;
