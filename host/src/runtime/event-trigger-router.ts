import {
  type ConnectorDefinition,
  coreTriggers,
  EVENT_NAME_PATTERN,
  type EventSubscription,
  type EventTriggerDefinition,
  eventSubscription,
  eventTriggerItem,
  findTrigger,
  type PublishedEvent,
} from '@weft/connectors';
import {
  type JsonValue,
  type Logger,
  type StoredWorkflow,
  timeOrderedId,
  type Workflow,
  type WorkflowStore,
} from '@weft/engine';
import type { EventTriggerStore } from '@weft/sql';
import type { ExecutionLauncher } from './execution-launcher.js';
import { InvalidInputError, InvalidWorkflowError, OperationFailedError } from './host-error.js';

/**
 * Events of this prefix are the host's own (see `PlatformEvents`); callers cannot publish them.
 *
 * @example
 * ```ts
 * if (name.startsWith(PLATFORM_EVENT_PREFIX)) throw new Error('reserved');
 * ```
 */
export const PLATFORM_EVENT_PREFIX = 'weft.';

const NAME = new RegExp(EVENT_NAME_PATTERN);

/**
 * What publishing an event did: the event as triggers received it and the executions it started.
 *
 * @example
 * ```ts
 * const { id, executions }: PublishResult = await runtime.events.publish('ws1', 'order.created', { orderId: 7 });
 * ```
 */
export interface PublishResult {
  id: string;
  event: string;
  publishedAt: string;
  executions: Array<{ workflowId: string; nodeId: string; executionId: string }>;
}

interface Compiled {
  stored: StoredWorkflow;
  subscriptions: Map<string, EventSubscription>;
}

/**
 * Event triggers of active workflows: `weft.event` (the event named in its properties, optionally
 * filtered by the payload) and connector triggers of `kind: 'event'`. Each save, activation,
 * deactivation or deletion re-syncs the workflow's rows in the `event_triggers` table; publishing
 * reads the subscribers from that table (one index lookup, so changes made by other processes
 * count at once) and launches one execution per matching trigger node, with the item
 * `{ event, payload, publishedAt, id }`. In queue mode launching enqueues, so any worker runs it.
 *
 * @example
 * ```ts
 * const events = new EventTriggerRouter({ store, workflows, launcher, logger });
 * await events.sync('ws1', 'on-order');
 * const { executions } = await events.publish('ws1', 'order.created', { orderId: 7 });
 * ```
 */
export class EventTriggerRouter {
  readonly #connectors: ConnectorDefinition[];
  readonly #compiled = new Map<string, Compiled>();
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly options: {
      store: EventTriggerStore;
      workflows: WorkflowStore;
      launcher: ExecutionLauncher;
      logger: Logger;
      connectors?: ConnectorDefinition[];
    },
  ) {
    this.#connectors = options.connectors ?? [coreTriggers];
  }

  /** The event trigger nodes of a workflow with what they listen to; a bad event name or filter is a 422 problem. */
  subscriptionsOf(workflow: Workflow): Array<{ nodeId: string; subscription: EventSubscription }> {
    const out: Array<{ nodeId: string; subscription: EventSubscription }> = [];
    for (const node of workflow.nodes) {
      const found = findTrigger(this.#connectors, node.type, node.typeVersion);
      if (found?.trigger.kind !== 'event' || node.disabled) continue;
      const trigger = found.trigger as EventTriggerDefinition;
      const props: Record<string, unknown> = { ...node.parameters };
      for (const [k, spec] of Object.entries(trigger.props as Record<string, { default?: unknown }>))
        props[k] = node.parameters[k] ?? spec.default;
      try {
        out.push({ nodeId: node.id, subscription: eventSubscription(trigger, props, `Event trigger "${node.name}"`) });
      } catch (e) {
        throw new InvalidWorkflowError('invalid-event-trigger', (e as Error).message, {
          errors: [
            { in: 'body', path: `/nodes/${workflow.nodes.indexOf(node)}/parameters`, message: (e as Error).message },
          ],
        });
      }
    }
    return out;
  }

  /** Re-registers a workflow's event triggers after it changed: they count only while it is active. */
  async sync(workspaceId: string, workflowId: string): Promise<void> {
    const stored = await this.options.workflows.get(workspaceId, workflowId);
    const subs = stored?.active ? this.subscriptionsOf(stored.workflow) : [];
    await this.options.store.replace(
      workspaceId,
      workflowId,
      stored?.version ?? 0,
      subs.map((s) => ({ nodeId: s.nodeId, event: s.subscription.event })),
    );
    this.#changed();
  }

  /** Forgets a deleted workflow's event triggers. */
  async remove(workspaceId: string, workflowId: string): Promise<void> {
    await this.options.store.removeWorkflow(workspaceId, workflowId);
    this.#changed();
  }

  /** Forgets a deleted workspace's event triggers. */
  async forgetWorkspace(workspaceId: string): Promise<void> {
    await this.options.store.removeWorkspace(workspaceId);
    this.#changed();
  }

  /**
   * On start: brings the table in line with the active workflows of the given workspaces (for
   * workflows activated before this table existed, or whose trigger definitions changed).
   */
  async load(workspaceIds: string[]): Promise<void> {
    const rows = new Map<string, string[]>();
    for (const r of await this.options.store.all()) {
      const k = `${r.workspaceId}/${r.workflowId}`;
      rows.set(k, [...(rows.get(k) ?? []), `${r.workflowVersion}:${r.nodeId}:${r.event}`]);
    }
    const same = (a: string[], b: string[]) => a.length === b.length && a.sort().join('\n') === b.sort().join('\n');
    const seen = new Set<string>();
    for (const ws of workspaceIds) {
      let cursor: string | undefined;
      do {
        const page = await this.options.workflows.list(ws, { limit: 200, ...(cursor ? { cursor } : {}) });
        for (const s of page.items) {
          const k = `${ws}/${s.id}`;
          seen.add(k);
          let subs: Array<{ nodeId: string; event: string }> = [];
          try {
            if (s.active)
              subs = this.subscriptionsOf(s.workflow).map((x) => ({ nodeId: x.nodeId, event: x.subscription.event }));
          } catch (e) {
            this.options.logger.warn({ workflowId: s.id, err: (e as Error).message }, 'event triggers not loaded');
          }
          const want = subs.map((x) => `${s.version}:${x.nodeId}:${x.event}`);
          if (!same(want, rows.get(k) ?? [])) await this.options.store.replace(ws, s.id, s.version, subs);
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
    // Rows of workflows that no longer exist (workspace ids cannot contain "/").
    for (const k of rows.keys()) {
      if (seen.has(k)) continue;
      const i = k.indexOf('/');
      await this.options.store.removeWorkflow(k.slice(0, i), k.slice(i + 1));
    }
    this.#changed();
  }

  /**
   * Publishes an event in a workspace: starts one execution per active workflow whose event
   * trigger listens to `name` and accepts it. Names starting with `weft.` are the host's own; only
   * the host publishes them (`internal`), and then never to the workflow the event is about.
   */
  async publish(
    workspaceId: string,
    name: string,
    payload: JsonValue = {},
    options: { internal?: boolean; sourceWorkflowId?: string } = {},
  ): Promise<PublishResult> {
    if (typeof name !== 'string' || !NAME.test(name))
      throw new InvalidInputError(
        'invalid-event-name',
        `Event name ${JSON.stringify(name)} must match ${EVENT_NAME_PATTERN}`,
        {
          errors: [{ in: 'params', path: 'name', message: `must match pattern "${EVENT_NAME_PATTERN}"` }],
        },
      );
    if (name.startsWith(PLATFORM_EVENT_PREFIX) && !options.internal)
      throw new InvalidInputError(
        'reserved-event-name',
        `Events named ${PLATFORM_EVENT_PREFIX}* are published by the host only`,
        {
          errors: [{ in: 'params', path: 'name', message: `must not start with "${PLATFORM_EVENT_PREFIX}"` }],
        },
      );
    const ev: PublishedEvent = { id: timeOrderedId(), event: name, payload, publishedAt: new Date().toISOString() };
    const result: PublishResult = { id: ev.id, event: name, publishedAt: ev.publishedAt, executions: [] };
    const rows = await this.options.store.subscribers(workspaceId, name);
    const launches = rows.map(async (row) => {
      if (row.workflowId === options.sourceWorkflowId) return;
      const compiled = await this.#compile(row.workspaceId, row.workflowId, row.workflowVersion);
      const sub = compiled?.subscriptions.get(row.nodeId);
      if (!compiled || !sub || !this.#accepts(sub, ev, row.workflowId)) return;
      const { executionId } = await this.options.launcher.launch(compiled.stored, {
        mode: 'trigger',
        input: [eventTriggerItem(ev)],
        startNodeId: row.nodeId,
      });
      result.executions.push({ workflowId: row.workflowId, nodeId: row.nodeId, executionId });
    });
    const failed = (await Promise.allSettled(launches)).filter((r) => r.status === 'rejected');
    if (failed.length) {
      const reason = String((failed[0] as PromiseRejectedResult).reason);
      this.options.logger.error({ event: name, eventId: ev.id, err: reason }, 'event trigger launch failed');
      throw new OperationFailedError(
        'event-launch-failed',
        `${failed.length} subscriber(s) could not be started: ${reason}`,
        {
          eventId: ev.id,
          executions: result.executions,
        },
      );
    }
    return result;
  }

  /** Calls `listener` after the subscriptions changed in this process. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #accepts(sub: EventSubscription, ev: PublishedEvent, workflowId: string): boolean {
    try {
      return sub.accepts(ev);
    } catch (e) {
      this.options.logger.warn({ workflowId, event: ev.event, err: (e as Error).message }, 'event filter failed');
      return false;
    }
  }

  async #compile(workspaceId: string, workflowId: string, version: number): Promise<Compiled | undefined> {
    const key = `${workspaceId}/${workflowId}@${version}`;
    const hit = this.#compiled.get(key);
    if (hit) return hit;
    const stored = await this.options.workflows.getVersion(workspaceId, workflowId, version);
    if (!stored) return undefined;
    let compiled: Compiled;
    try {
      compiled = {
        stored,
        subscriptions: new Map(this.subscriptionsOf(stored.workflow).map((s) => [s.nodeId, s.subscription])),
      };
    } catch (e) {
      this.options.logger.warn({ workflowId, version, err: (e as Error).message }, 'event triggers not compiled');
      return undefined;
    }
    if (this.#compiled.size >= 1000) this.#compiled.clear();
    this.#compiled.set(key, compiled);
    return compiled;
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
