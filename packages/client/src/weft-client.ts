import { AuthApi } from './auth-api.js';
import { DebugSessionsApi } from './debug-sessions-api.js';
import { type EventSubscription, type SubscribeOptions, subscribeEvents } from './event-subscription.js';
import { ExecutionsApi } from './executions-api.js';
import { HttpTransport, type WeftClientOptions } from './http-transport.js';
import { PasskeysApi } from './passkeys-api.js';
import { WebhookSubscriptionsApi } from './webhook-subscriptions-api.js';
import { WorkflowsApi } from './workflows-api.js';
import { WorkspacesApi } from './workspaces-api.js';

/**
 * Typed client for a Weft host's REST API (`/api/v1`) and its realtime event stream. Uses
 * `fetch`, so it runs in browsers, Node 20+, Deno and workers. Errors are {@link WeftApiError}s.
 *
 * @example
 * ```ts
 * const client = new WeftClient({ baseUrl: 'http://localhost:3000' });
 * await client.auth.login({ email: 'owner@example.com', password: 'owner-password' });
 * const { workspaces } = await client.auth.me();
 * const ws = workspaces[0].id;
 * const { items } = await client.workflows.list(ws, { q: 'orders' });
 * const sub = client.subscribe(ws, { onEvent: (e) => console.log(e.type) });
 * ```
 */
export class WeftClient {
  readonly transport: HttpTransport;
  readonly auth: AuthApi;
  readonly workspaces: WorkspacesApi;
  readonly workflows: WorkflowsApi;
  readonly executions: ExecutionsApi;
  readonly debugSessions: DebugSessionsApi;
  readonly webhookSubscriptions: WebhookSubscriptionsApi;
  readonly passkeys: PasskeysApi;

  constructor(options: WeftClientOptions) {
    this.transport = new HttpTransport(options);
    this.auth = new AuthApi(this.transport);
    this.workspaces = new WorkspacesApi(this.transport);
    this.workflows = new WorkflowsApi(this.transport);
    this.executions = new ExecutionsApi(this.transport);
    this.debugSessions = new DebugSessionsApi(this.transport);
    this.webhookSubscriptions = new WebhookSubscriptionsApi(this.transport);
    this.passkeys = new PasskeysApi(this.transport);
  }

  /** Whether a session or API key is set. */
  get signedIn(): boolean {
    return this.transport.token !== undefined;
  }

  /**
   * Streams a workspace's execution events; resumes with `Last-Event-ID` after a dropped
   * connection. See {@link subscribeEvents}.
   */
  subscribe(workspaceId: string, options: SubscribeOptions): EventSubscription {
    return subscribeEvents(this.transport, workspaceId, options);
  }
}
