import {
  AUTH_SLOT,
  type ConnectorDefinition,
  coreTriggers,
  findTrigger,
  handleTriggerWebhook,
  type WebhookAcceptance,
  type WebhookRequest,
  type WebhookTriggerDefinition,
} from '@weft/connectors';
import type { CredentialResolver, ResolvedCredential, StoredWorkflow, Workflow, WorkflowStore } from '@weft/engine';
import type { WebhookStore } from '@weft/sql';
import { ConflictError, ForbiddenError, InvalidInputError, InvalidWorkflowError } from './host-error.js';

/** A webhook route with everything a request needs, compiled once per workflow version. */
export interface CachedWebhook {
  workspaceId: string;
  workflowId: string;
  nodeId: string;
  method: string;
  path: string;
  stored: StoredWorkflow;
  connector: ConnectorDefinition;
  trigger: WebhookTriggerDefinition;
  props: Record<string, unknown>;
  responseMode: 'immediately' | 'lastNode' | 'respondNode';
  /** Ids of the workflow's Respond-to-Webhook nodes. */
  respondNodeIds: string[];
  credentialId?: string;
  credential?: { value: ResolvedCredential | undefined; until: number };
}

/**
 * A registry that keeps webhook paths unique beyond this router's database: with `WEFT_REGIONS`,
 * the control database's path -> region registry, bound to this router's region (ADR 0014).
 * `claim` makes `routes` the workflow's (an empty list releases them) or returns the claim of
 * another workflow that holds one of the paths.
 */
export interface WebhookPathRegistry {
  claim(
    workspaceId: string,
    workflowId: string,
    routes: ReadonlyArray<{ method: string; path: string }>,
  ): Promise<{ method: string; path: string } | undefined>;
}

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Normalises a webhook path: no leading/trailing slashes. */
export const normalizeHookPath = (p: string) => p.replace(/^\/+|\/+$/g, '');

/**
 * Webhook routes of active workflows, cached in memory (one map lookup per request) and
 * invalidated whenever a workflow is saved, activated, deactivated or deleted. Routes are also in
 * the `webhooks` table so paths stay unique across workspaces and other processes load them.
 *
 * @example
 * ```ts
 * const router = new WebhookRouter({ store, workflows, credentials: vault });
 * await router.load();
 * const hook = router.match('POST', 'orders');
 * ```
 */
export class WebhookRouter {
  readonly #routes = new Map<string, CachedWebhook>();
  readonly #paths = new Map<string, Map<string, CachedWebhook>>();
  readonly #connectors: ConnectorDefinition[];

  constructor(
    readonly options: {
      store: WebhookStore;
      workflows: WorkflowStore;
      credentials?: CredentialResolver;
      connectors?: ConnectorDefinition[];
      credentialTtlMs?: number;
      /** Paths held across regions (ADR 0014); claimed before the routes are stored. */
      paths?: WebhookPathRegistry;
    },
  ) {
    this.#connectors = options.connectors ?? [coreTriggers];
  }

  /** Loads every route from the database (on start, and to pick up other processes' changes). */
  async load(): Promise<void> {
    this.#routes.clear();
    this.#paths.clear();
    const byWorkflow = new Map<string, StoredWorkflow | undefined>();
    for (const r of await this.options.store.all()) {
      const k = `${r.workspaceId}/${r.workflowId}`;
      if (!byWorkflow.has(k)) byWorkflow.set(k, await this.options.workflows.get(r.workspaceId, r.workflowId));
      const stored = byWorkflow.get(k);
      if (stored?.active) for (const hook of this.#compile(stored)) this.#add(hook);
    }
  }

  /** The webhook trigger nodes of a workflow, as routes (also validates them). */
  routesOf(workflow: Workflow): Array<{ nodeId: string; method: string; path: string }> {
    const out: Array<{ nodeId: string; method: string; path: string }> = [];
    for (const node of workflow.nodes) {
      const found = findTrigger(this.#connectors, node.type, node.typeVersion);
      if (found?.trigger.kind !== 'webhook' || node.disabled) continue;
      const props = this.#props(found.trigger, node.parameters);
      const path = normalizeHookPath(String(props.path ?? ''));
      if (!path) throw new InvalidWorkflowError('webhook-path-missing', `Webhook node "${node.name}" needs a path`);
      const methods = (props.methods as string[] | undefined) ?? ['POST'];
      for (const m of methods) out.push({ nodeId: node.id, method: m.toUpperCase(), path });
    }
    return out;
  }

  /**
   * Checks a workflow's webhook triggers before it is saved (`where: 'body'`) or activated
   * (`where: 'workflow'`): each parameter with a pattern (the path: letters, digits, `/`, `_`, `-`)
   * must match it, and on activation each trigger's credential must exist in the workspace.
   * Throws a 400 problem naming the node and the field.
   *
   * @example
   * ```ts
   * await router.check('ws1', workflow, 'workflow'); // before activating
   * ```
   */
  async check(workspaceId: string, workflow: Workflow, where: 'body' | 'workflow'): Promise<void> {
    for (const [i, node] of workflow.nodes.entries()) {
      const found = findTrigger(this.#connectors, node.type, node.typeVersion);
      if (found?.trigger.kind !== 'webhook' || node.disabled) continue;
      const specs = found.trigger.props as Record<string, { pattern?: unknown }>;
      for (const [name, spec] of Object.entries(specs)) {
        const value = node.parameters[name];
        if (typeof spec.pattern !== 'string' || value === undefined || value === '') continue;
        if (typeof value !== 'string' || !new RegExp(spec.pattern).test(value)) {
          const message = `must match ${spec.pattern}`;
          throw new InvalidInputError(
            'invalid-trigger-parameter',
            `Webhook node "${node.name}": parameter ${name} ${JSON.stringify(value)} ${message}`,
            { errors: [{ in: where, path: `/nodes/${i}/parameters/${name}`, message }] },
          );
        }
      }
      const credentialId = node.credentials?.[AUTH_SLOT];
      if (where !== 'workflow' || !credentialId || !this.options.credentials) continue;
      try {
        await this.#resolve(workspaceId, credentialId, { connector: found.connector, trigger: found.trigger });
      } catch (err) {
        throw new InvalidInputError(
          'credential-unavailable',
          `Webhook node "${node.name}" cannot use credential "${credentialId}": ${(err as Error).message}`,
          {
            errors: [
              { in: where, path: `/nodes/${i}/credentials/${AUTH_SLOT}`, message: 'Unknown or unusable credential' },
            ],
          },
        );
      }
    }
  }

  /** Re-registers a workflow's routes after it changed; throws a 409 problem when a path is taken. */
  async sync(workspaceId: string, workflowId: string): Promise<void> {
    const stored = await this.options.workflows.get(workspaceId, workflowId);
    const routes = stored?.active ? this.routesOf(stored.workflow) : [];
    const paths = this.options.paths;
    const held = await paths?.claim(workspaceId, workflowId, routes);
    if (held)
      throw new ConflictError(
        'webhook-path-taken',
        `Webhook ${held.method} /hooks/${held.path} is already used by another workflow`,
      );
    const conflict = await this.options.store.replace(workspaceId, workflowId, routes);
    if (conflict) {
      // The routes stored before stay: so do their claims.
      const kept = (await this.options.store.all()).filter(
        (r) => r.workspaceId === workspaceId && r.workflowId === workflowId,
      );
      await paths?.claim(workspaceId, workflowId, kept);
      throw new ConflictError(
        'webhook-path-taken',
        `Webhook ${conflict.method} /hooks/${conflict.path} is already used by another workflow`,
      );
    }
    this.#removeWorkflow(workspaceId, workflowId);
    if (stored?.active) for (const hook of this.#compile(stored)) this.#add(hook);
  }

  /** Forgets a deleted workflow's routes. */
  async remove(workspaceId: string, workflowId: string): Promise<void> {
    await this.options.store.removeWorkflow(workspaceId, workflowId);
    await this.options.paths?.claim(workspaceId, workflowId, []);
    this.#removeWorkflow(workspaceId, workflowId);
  }

  /** The route for a request, `'method'` when the path exists with other methods, or undefined. */
  match(method: string, path: string): CachedWebhook | 'method' | undefined {
    const p = normalizeHookPath(path);
    return this.#routes.get(key(method, p)) ?? (this.#paths.has(p) ? 'method' : undefined);
  }

  /** A route registered at `path` (any method): who owns a path a request used the wrong method on. */
  ownerOf(path: string): CachedWebhook | undefined {
    return this.#paths.get(normalizeHookPath(path))?.values().next().value;
  }

  /** Verifies and parses a request for a route (credentials cached briefly). */
  async accept(hook: CachedWebhook, request: WebhookRequest): Promise<WebhookAcceptance> {
    let credential: ResolvedCredential | undefined;
    if (hook.credentialId && this.options.credentials) {
      const now = Date.now();
      if (!hook.credential || hook.credential.until < now) {
        let value: ResolvedCredential;
        try {
          value = await this.#resolve(hook.workspaceId, hook.credentialId, hook);
        } catch {
          // Without its credential the trigger cannot verify anyone: refuse, as a bad signature is.
          throw new ForbiddenError(
            'webhook-credential-unavailable',
            'This webhook cannot verify requests: its credential was deleted or is broken; the workflow owner must replace it',
          );
        }
        hook.credential = { value, until: now + (this.options.credentialTtlMs ?? 30_000) };
      }
      credential = hook.credential.value;
    }
    return handleTriggerWebhook(
      hook.connector,
      hook.trigger,
      {
        workspaceId: hook.workspaceId,
        workflowId: hook.workflowId,
        nodeId: hook.nodeId,
        props: hook.props,
        ...(credential ? { credential } : {}),
      },
      request,
    );
  }

  #resolve(
    workspaceId: string,
    credentialId: string,
    on: { connector: ConnectorDefinition; trigger: WebhookTriggerDefinition },
  ): Promise<ResolvedCredential> {
    return (this.options.credentials as CredentialResolver).resolve({
      workspaceId,
      credentialId,
      nodeType: `${on.connector.name}.${on.trigger.name}`,
    });
  }

  /** Drops cached credentials (after a credential changed). */
  forgetCredentials(workspaceId: string): void {
    for (const r of this.#routes.values()) if (r.workspaceId === workspaceId) delete r.credential;
  }

  get size(): number {
    return this.#routes.size;
  }

  #compile(stored: StoredWorkflow): CachedWebhook[] {
    const out: CachedWebhook[] = [];
    for (const r of this.routesOf(stored.workflow)) {
      const node = stored.workflow.nodes.find((n) => n.id === r.nodeId);
      const found = node && findTrigger(this.#connectors, node.type, node.typeVersion);
      if (!node || !found || found.trigger.kind !== 'webhook') continue;
      const props = this.#props(found.trigger, node.parameters);
      const credentialId = node.credentials?.[AUTH_SLOT];
      out.push({
        workspaceId: stored.workspaceId,
        workflowId: stored.id,
        nodeId: node.id,
        method: r.method,
        path: r.path,
        stored,
        connector: found.connector,
        trigger: found.trigger,
        props,
        responseMode:
          (props.responseMode as CachedWebhook['responseMode']) ?? found.trigger.responseMode ?? 'immediately',
        respondNodeIds: stored.workflow.nodes.filter((n) => n.type === 'weft.respondToWebhook').map((n) => n.id),
        ...(credentialId ? { credentialId } : {}),
      });
    }
    return out;
  }

  #props(trigger: WebhookTriggerDefinition | { props: Record<string, unknown> }, params: Record<string, unknown>) {
    const props: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(trigger.props as Record<string, { default?: unknown }>)) {
      props[name] = params[name] ?? spec.default;
    }
    return { ...params, ...props };
  }

  #add(hook: CachedWebhook): void {
    this.#routes.set(key(hook.method, hook.path), hook);
    let byMethod = this.#paths.get(hook.path);
    if (!byMethod) {
      byMethod = new Map();
      this.#paths.set(hook.path, byMethod);
    }
    byMethod.set(hook.method, hook);
  }

  #removeWorkflow(workspaceId: string, workflowId: string): void {
    for (const [k, r] of this.#routes) {
      if (r.workspaceId === workspaceId && r.workflowId === workflowId) {
        this.#routes.delete(k);
        const set = this.#paths.get(r.path);
        set?.delete(r.method);
        if (set?.size === 0) this.#paths.delete(r.path);
      }
    }
  }
}
