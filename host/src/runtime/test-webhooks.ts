import { randomUUID } from 'node:crypto';
import { AUTH_SLOT, builtinConnectors, findTrigger, handleTriggerWebhook, type WebhookRequest } from '@weft/connectors';
import type { Item, Workflow } from '@weft/engine';
import { ConflictError, InvalidInputError, NotFoundError } from './host-error.js';
import type { HostRuntime } from './host-runtime.js';
import { SharedTestHooks, type SharedTestListener } from './shared-test-hooks.js';
import { normalizeHookPath } from './webhook-router.js';

/** How often a long poll reads a listener's state that another process may change. */
const POLL_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
 * Listeners expire after `timeoutMs`. With Redis they are shared ({@link SharedTestHooks}): the
 * test URL and the editor's polls may reach any host process; without it, the process that
 * registered them answers.
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
  readonly #shared: SharedTestHooks | undefined;

  constructor(private readonly rt: HostRuntime) {
    this.#shared = rt.redis ? new SharedTestHooks(rt.redis, rt.config.redisPrefix) : undefined;
  }

  async listen(request: {
    workspaceId: string;
    workflow: Workflow;
    nodeId: string;
    timeoutMs: number;
  }): Promise<TestWebhookState> {
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
    const elsewhere = taken ? undefined : await this.#shared?.onPath(path);
    if ((taken ?? elsewhere) && (taken ?? elsewhere)?.workspaceId !== request.workspaceId) {
      throw new ConflictError('test-webhook-busy', `Another workspace is listening on /hooks-test/${path}`);
    }
    if (taken) this.#end(taken, 'cancelled');
    if (elsewhere) await this.#shared?.setState(elsewhere.workspaceId, { ...elsewhere.state, status: 'cancelled' });
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
      timer: setTimeout(() => void this.#expire(listener), request.timeoutMs),
    };
    listener.timer.unref();
    this.#byId.set(id, listener);
    this.#byPath.set(path, listener);
    await this.#shared?.register(
      { state: listener.state, workspaceId: listener.workspaceId, workflow: listener.workflow, nodeId: node.id },
      request.timeoutMs,
    );
    return { ...listener.state };
  }

  /** The listener's state once it changed, or after `waitMs` (a long poll). */
  async wait(workspaceId: string, id: string, waitMs: number): Promise<TestWebhookState> {
    const l = this.#byId.get(id);
    if (!l || l.workspaceId !== workspaceId) return this.#waitShared(workspaceId, id, waitMs);
    if (l.state.status === 'listening' && waitMs > 0) {
      let done = () => {};
      const woken = new Promise<void>((resolve) => {
        done = () => {
          clearTimeout(t);
          l.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, waitMs);
        l.waiters.add(done);
      });
      // A request that reached another process ends the listener there: read its outcome meanwhile.
      if (this.#shared) void this.#adopt(l, woken).finally(done);
      await woken;
    }
    return { ...l.state };
  }

  async cancel(workspaceId: string, id: string): Promise<void> {
    const l = this.#byId.get(id);
    if (l && l.workspaceId === workspaceId) {
      if (l.state.status === 'listening') this.#end(l, 'cancelled');
      return;
    }
    const s = await this.#sharedState(workspaceId, id);
    if (s.status !== 'listening') return;
    await this.#shared?.setState(workspaceId, { ...s, status: 'cancelled' });
    await this.#shared?.release(s.path, s.id);
  }

  /** Polls the shared state of this process's listener until it ends or `until` settles. */
  async #adopt(l: Listener, until: Promise<void>): Promise<void> {
    let settled = false;
    void until.then(() => {
      settled = true;
    });
    while (!settled && l.state.status === 'listening') {
      await sleep(POLL_MS);
      const remote = (await this.#shared?.state(l.state.id).catch(() => undefined))?.state;
      if (remote && remote.status !== 'listening' && l.state.status === 'listening') {
        Object.assign(l.state, remote);
        this.#end(l, remote.status, false);
      }
    }
  }

  /** A long poll of a listener another process registered. */
  async #waitShared(workspaceId: string, id: string, waitMs: number): Promise<TestWebhookState> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const s = await this.#sharedState(workspaceId, id);
      if (s.status !== 'listening' || Date.now() >= deadline) return s;
      await sleep(Math.min(POLL_MS, deadline - Date.now()));
    }
  }

  async #sharedState(workspaceId: string, id: string): Promise<TestWebhookState> {
    const found = await this.#shared?.state(id);
    if (!found || found.workspaceId !== workspaceId)
      throw new NotFoundError('test-webhook-not-found', `No test listener "${id}"`);
    return found.state;
  }

  /** The timer ran out: expired, unless a request to another process ended it first. */
  async #expire(l: Listener): Promise<void> {
    const remote = (await this.#shared?.state(l.state.id).catch(() => undefined))?.state;
    if (l.state.status !== 'listening') return;
    if (remote && remote.status !== 'listening') {
      Object.assign(l.state, remote);
      this.#end(l, remote.status, false);
    } else this.#end(l, 'expired');
  }

  /**
   * A request to `/hooks-test/<path>`: verified and parsed as the trigger does, then the listening
   * document runs with it (test mode). Answers the execution id; 404 when nobody listens.
   */
  async receive(request: WebhookRequest): Promise<{ status: number; body: unknown }> {
    const path = normalizeHookPath(request.path);
    const local = this.#byPath.get(path);
    const peek: SharedTestListener | undefined =
      local?.state.status === 'listening' ? local : await this.#shared?.onPath(path);
    if (peek?.state.status !== 'listening') {
      throw new NotFoundError(
        'test-webhook-not-listening',
        `No editor is listening on /hooks-test/${path}: press "Listen for test event" on the trigger first`,
      );
    }
    if (!peek.state.method.split(',').includes(request.method)) {
      throw new InvalidInputError('method-not-allowed', `/hooks-test/${path} accepts ${peek.state.method}`, {
        errors: [{ in: 'params', path: 'method', message: `Use ${peek.state.method}` }],
      });
    }
    // With Redis, one request takes the listener whichever process it reached.
    const claimed = this.#shared ? await this.#shared.claim(path) : peek;
    if (claimed?.state.id !== peek.state.id) {
      throw new NotFoundError('test-webhook-not-listening', `Another request to /hooks-test/${path} was first`);
    }
    const l = local?.state.id === claimed.state.id ? local : undefined;
    const state = l?.state ?? claimed.state;
    const finish = async (status: TestWebhookState['status']) => {
      if (l) this.#end(l, status);
      else await this.#shared?.setState(claimed.workspaceId, { ...state, status });
    };
    const node = claimed.workflow.nodes.find((n) => n.id === claimed.nodeId);
    const found = node && findTrigger(builtinConnectors, node.type, node.typeVersion);
    if (!node || !found || found.trigger.kind !== 'webhook')
      throw new NotFoundError('test-webhook-gone', 'Trigger gone');
    const credentialId = node.credentials?.[AUTH_SLOT];
    const credential = credentialId
      ? await this.rt.vault.resolve({ workspaceId: claimed.workspaceId, credentialId, nodeType: node.type })
      : undefined;
    const accepted = await handleTriggerWebhook(
      found.connector,
      found.trigger,
      {
        workspaceId: claimed.workspaceId,
        workflowId: claimed.workflow.id ?? 'draft',
        nodeId: node.id,
        props: propsOf(found.trigger.props as Record<string, { default?: unknown }>, node.parameters),
        ...(credential ? { credential } : {}),
      },
      request,
    );
    if (!accepted.accepted) {
      // Refused (a bad signature): the editor hears why and keeps listening.
      state.error = `The trigger refused the test request (HTTP ${accepted.response.status}): ${accepted.response.body}`;
      if (l) this.#wake(l);
      if (this.#shared) {
        await this.#shared.register({ ...claimed, state }, Math.max(1, state.expiresAt - Date.now()));
      }
      return { status: accepted.response.status, body: { error: state.error } };
    }
    state.items = accepted.items;
    const run = this.rt.engine.execute(
      { ...claimed.workflow, id: claimed.workflow.id ?? 'draft' },
      { workspaceId: claimed.workspaceId, mode: 'test', input: accepted.items, startNodeId: node.id },
    );
    let result: Awaited<typeof run>;
    try {
      result = await this.rt.launcher.track(run, 'test');
    } catch (e) {
      state.error = `The test run did not start: ${(e as Error).message}`;
      await finish('received');
      throw e;
    }
    state.executionId = result.executionId;
    await finish('received');
    return {
      status: 200,
      body: { message: 'Test event received: the workflow ran in the editor', executionId: result.executionId },
    };
  }

  #wake(l: Listener): void {
    for (const w of [...l.waiters]) w();
  }

  /** Ends a listener of this process; `share` writes the outcome for the other processes. */
  #end(l: Listener, status: TestWebhookState['status'], share = true): void {
    clearTimeout(l.timer);
    l.state.status = status;
    if (this.#byPath.get(l.state.path) === l) this.#byPath.delete(l.state.path);
    this.#wake(l);
    if (this.#shared && share) {
      const shared = this.#shared;
      void shared
        .setState(l.workspaceId, l.state)
        .then(() => (status === 'received' ? undefined : shared.release(l.state.path, l.state.id)))
        .catch(() => {});
    }
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
