import { randomUUID } from 'node:crypto';
import { AUTH_SLOT, builtinConnectors, findTrigger, handleTriggerWebhook, type WebhookRequest } from '@weft/connectors';
import type { Item, Workflow } from '@weft/engine';
import { ConflictError, InvalidInputError, NotFoundError } from './host-error.js';
import type { HostRuntime } from './host-runtime.js';
import { normalizeHookPath } from './webhook-router.js';

/** What the editor sees of a listener: waiting, or the request it caught and the run it started. */
export interface TestWebhookState {
  id: string;
  status: 'listening' | 'received' | 'expired' | 'cancelled';
  method: string;
  path: string;
  /** Where to send the test request: `<public URL>/hooks-test/<path>`. */
  testUrl: string;
  expiresAt: number;
  /** The trigger's items made from the caught request (what pinning the trigger keeps). */
  items?: Item[];
  executionId?: string;
  /** Why the caught request did not start a run (the trigger refused it, or the run failed to start). */
  error?: string;
}

interface Listener {
  state: TestWebhookState;
  workspaceId: string;
  workflow: Workflow;
  nodeId: string;
  waiters: Set<() => void>;
  timer: NodeJS.Timeout;
}

/**
 * "Listen for test event": a webhook trigger of an unsaved document answers one request at its
 * test URL (`/hooks-test/<path>`, separate from the production `/hooks/<path>`) while an editor
 * listens. The request is verified and parsed as the trigger would in production, then the
 * document runs in test mode with it; the editor long-polls the listener for the outcome.
 * Listeners live in the process that registered them (the test URL and the editor must reach the
 * same host process) and expire after `timeoutMs`.
 *
 * @example
 * ```ts
 * const l = testWebhooks(runtime).listen({ workspaceId, workflow, nodeId: 'hook', timeoutMs: 120_000 });
 * const state = await testWebhooks(runtime).wait(workspaceId, l.id, 20_000);
 * ```
 */
export class TestWebhooks {
  readonly #byId = new Map<string, Listener>();
  readonly #byPath = new Map<string, Listener>();

  constructor(private readonly rt: HostRuntime) {}

  listen(request: { workspaceId: string; workflow: Workflow; nodeId: string; timeoutMs: number }): TestWebhookState {
    const node = request.workflow.nodes.find((n) => n.id === request.nodeId);
    const found = node && findTrigger(builtinConnectors, node.type, node.typeVersion);
    if (!node || found?.trigger.kind !== 'webhook') {
      throw new InvalidInputError('not-a-webhook-trigger', `Node "${request.nodeId}" is not a webhook trigger`, {
        errors: [{ in: 'body', path: '/nodeId', message: 'Choose a webhook trigger node' }],
      });
    }
    const path = normalizeHookPath(String(node.parameters.path ?? ''));
    if (!path) {
      throw new InvalidInputError('webhook-path-missing', `Webhook node "${node.name}" needs a path`, {
        errors: [{ in: 'body', path: '/workflow/nodes', message: 'Set the trigger path' }],
      });
    }
    const taken = this.#byPath.get(path);
    if (taken && taken.workspaceId !== request.workspaceId) {
      throw new ConflictError('test-webhook-busy', `Another workspace is listening on /hooks-test/${path}`);
    }
    if (taken) this.#end(taken, 'cancelled');
    const methods = (node.parameters.methods as string[] | undefined) ?? found.trigger.methods ?? ['POST'];
    const id = randomUUID();
    const listener: Listener = {
      state: {
        id,
        status: 'listening',
        method: methods.join(','),
        path,
        testUrl: `${this.rt.config.publicUrl}/hooks-test/${path}`,
        expiresAt: Date.now() + request.timeoutMs,
      },
      workspaceId: request.workspaceId,
      workflow: request.workflow,
      nodeId: node.id,
      waiters: new Set(),
      timer: setTimeout(() => this.#end(listener, 'expired'), request.timeoutMs),
    };
    listener.timer.unref();
    this.#byId.set(id, listener);
    this.#byPath.set(path, listener);
    return { ...listener.state };
  }

  /** The listener's state once it changed, or after `waitMs` (a long poll). */
  async wait(workspaceId: string, id: string, waitMs: number): Promise<TestWebhookState> {
    const l = this.#get(workspaceId, id);
    if (l.state.status === 'listening' && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          l.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, waitMs);
        l.waiters.add(done);
      });
    }
    return { ...l.state };
  }

  cancel(workspaceId: string, id: string): void {
    const l = this.#get(workspaceId, id);
    if (l.state.status === 'listening') this.#end(l, 'cancelled');
  }

  /**
   * A request to `/hooks-test/<path>`: verified and parsed as the trigger does, then the listening
   * document runs with it (test mode). Answers the execution id; 404 when nobody listens.
   */
  async receive(request: WebhookRequest): Promise<{ status: number; body: unknown }> {
    const path = normalizeHookPath(request.path);
    const l = this.#byPath.get(path);
    if (l?.state.status !== 'listening') {
      throw new NotFoundError(
        'test-webhook-not-listening',
        `No editor is listening on /hooks-test/${path}: press "Listen for test event" on the trigger first`,
      );
    }
    if (!l.state.method.split(',').includes(request.method)) {
      throw new InvalidInputError('method-not-allowed', `/hooks-test/${path} accepts ${l.state.method}`, {
        errors: [{ in: 'params', path: 'method', message: `Use ${l.state.method}` }],
      });
    }
    const node = l.workflow.nodes.find((n) => n.id === l.nodeId);
    const found = node && findTrigger(builtinConnectors, node.type, node.typeVersion);
    if (!node || !found || found.trigger.kind !== 'webhook')
      throw new NotFoundError('test-webhook-gone', 'Trigger gone');
    const credentialId = node.credentials?.[AUTH_SLOT];
    const credential = credentialId
      ? await this.rt.vault.resolve({ workspaceId: l.workspaceId, credentialId, nodeType: node.type })
      : undefined;
    const accepted = await handleTriggerWebhook(
      found.connector,
      found.trigger,
      {
        workspaceId: l.workspaceId,
        workflowId: l.workflow.id ?? 'draft',
        nodeId: node.id,
        props: propsOf(found.trigger.props as Record<string, { default?: unknown }>, node.parameters),
        ...(credential ? { credential } : {}),
      },
      request,
    );
    if (!accepted.accepted) {
      l.state.error = `The trigger refused the test request (HTTP ${accepted.response.status}): ${accepted.response.body}`;
      this.#wake(l);
      return { status: accepted.response.status, body: { error: l.state.error } };
    }
    l.state.items = accepted.items;
    const run = this.rt.engine.execute(
      { ...l.workflow, id: l.workflow.id ?? 'draft' },
      { workspaceId: l.workspaceId, mode: 'test', input: accepted.items, startNodeId: node.id },
    );
    let result: Awaited<typeof run>;
    try {
      result = await this.rt.launcher.track(run, 'test');
    } catch (e) {
      l.state.error = `The test run did not start: ${(e as Error).message}`;
      this.#end(l, 'received');
      throw e;
    }
    l.state.executionId = result.executionId;
    this.#end(l, 'received');
    return {
      status: 200,
      body: { message: 'Test event received: the workflow ran in the editor', executionId: result.executionId },
    };
  }

  #get(workspaceId: string, id: string): Listener {
    const l = this.#byId.get(id);
    if (!l || l.workspaceId !== workspaceId)
      throw new NotFoundError('test-webhook-not-found', `No test listener "${id}"`);
    return l;
  }

  #wake(l: Listener): void {
    for (const w of [...l.waiters]) w();
  }

  #end(l: Listener, status: TestWebhookState['status']): void {
    clearTimeout(l.timer);
    l.state.status = status;
    if (this.#byPath.get(l.state.path) === l) this.#byPath.delete(l.state.path);
    this.#wake(l);
    // Kept a minute for late polls, then forgotten.
    setTimeout(() => this.#byId.delete(l.state.id), 60_000).unref();
  }
}

/** The trigger's parameters with each property's default, as the production router compiles them. */
function propsOf(specs: Record<string, { default?: unknown }>, params: Record<string, unknown>) {
  const props: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) props[name] = params[name] ?? spec.default;
  return { ...params, ...props };
}

const registry = new WeakMap<HostRuntime, TestWebhooks>();

/** The runtime's test listeners (one registry per runtime). */
export function testWebhooks(rt: HostRuntime): TestWebhooks {
  let t = registry.get(rt);
  if (!t) {
    t = new TestWebhooks(rt);
    registry.set(rt, t);
  }
  return t;
}
