import { randomUUID } from 'node:crypto';
import {
  DEFAULT_LIMITS,
  type ExecutionError,
  type ExecutionRecord,
  type Item,
  type NodeRunRecord,
  timeOrderedId,
  type WaitState,
  type Workflow,
} from '@weft/engine';
import { type DebugSessionRecord, DebugSessionStore } from '@weft/sql';
import { ConflictError, type FieldIssue, InvalidInputError, NotFoundError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** Where a session stands: `paused` before `next[0]`, or its execution's status. */
export type DebugSessionStatus = 'paused' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

/** A debug session as the API returns it. */
export interface DebugSessionView {
  id: string;
  executionId: string;
  workflowId: string;
  workflowVersion: number;
  status: DebugSessionStatus;
  /** Nodes ready to run, in the order they will run; the first is what `step` runs. */
  next: { nodeId: string; nodeName: string }[];
  breakpoints: string[];
  /** Names of the nodes whose output is pinned. */
  pinned: string[];
  /** What the execution waits for when `status` is `waiting` (an approval or a timer). */
  wait?: WaitState;
  /** The workflow's output once it succeeded. */
  output?: Item[];
  error?: ExecutionError;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** What a session starts from: a stored version or a draft document. */
export interface DebugSessionStart {
  workflow: Workflow;
  /** 0 for a draft. */
  workflowVersion: number;
  input?: Item[];
  startNodeId?: string;
  pinData?: Record<string, Item[]>;
  breakpoints?: string[];
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const LEASE_MARGIN_MS = 60_000;

/**
 * Step-through debugging: a session owns one execution (mode `debug`) that the engine parks as
 * `waiting` (`wait.kind: 'debug'`) between calls. `step` resumes it with `stepLimit: 1` (exactly
 * the next ready node), `continue` without a step limit (to the end or the next breakpoint),
 * `stop` cancels it. The session row keeps the document, pin data and breakpoints, so any request
 * to any host process can drive it; a lease keeps two requests from driving it at once.
 *
 * @example
 * ```ts
 * const sessions = new DebugSessions(runtime);
 * const s = await sessions.start('ws1', userId, { workflow, workflowVersion: 0 });
 * const { ran, next } = await sessions.step('ws1', s.id);
 * ```
 */
export class DebugSessions {
  readonly #store: DebugSessionStore;

  constructor(private readonly rt: HostRuntime) {
    this.#store = new DebugSessionStore(rt.h);
  }

  /** Starts an execution paused before its first node and a session driving it. */
  async start(
    workspaceId: string,
    userId: string,
    spec: DebugSessionStart,
  ): Promise<DebugSessionView & { nodeRuns: NodeRunRecord[] }> {
    const wf = spec.workflow;
    checkNodeNames(wf, spec.pinData, spec.breakpoints);
    if (spec.startNodeId && !wf.nodes.some((n) => n.id === spec.startNodeId)) {
      throw unknownNode(`No node with id "${spec.startNodeId}"`, '/startNodeId');
    }
    const executionId = timeOrderedId();
    const paused = await this.rt.launcher.track(
      this.rt.engine.execute(wf, {
        workspaceId,
        executionId,
        mode: 'debug',
        stepLimit: 0,
        recordInputs: true,
        ...(spec.input ? { input: spec.input } : {}),
        ...(spec.startNodeId ? { startNodeId: spec.startNodeId } : {}),
      }),
      executionId,
    );
    const now = Date.now();
    const session: DebugSessionRecord = {
      id: randomUUID(),
      workspaceId,
      executionId: paused.executionId,
      workflowId: wf.id ?? 'draft',
      workflowVersion: spec.workflowVersion,
      workflow: wf,
      pinData: spec.pinData ?? {},
      breakpoints: spec.breakpoints ?? [],
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.#store.create(session);
    } catch (err) {
      await this.rt.engine.cancel(paused.executionId, { workspaceId });
      throw err;
    }
    return { ...(await this.#view(session)), nodeRuns: [] };
  }

  /** The session with every node run so far. */
  async get(workspaceId: string, id: string): Promise<DebugSessionView & { nodeRuns: NodeRunRecord[] }> {
    const session = await this.#session(workspaceId, id);
    return { ...(await this.#view(session)), nodeRuns: await this.#runs(session.executionId) };
  }

  /** Runs exactly the next ready node (with `pinData` merged into the session's first). */
  step(
    workspaceId: string,
    id: string,
    changes: { pinData?: Record<string, Item[]> } = {},
  ): Promise<DebugSessionView & { ran: NodeRunRecord[] }> {
    return this.#advance(workspaceId, id, changes, true);
  }

  /** Runs to the end, or until the next breakpoint (`breakpoints` replaces the session's list). */
  continue(
    workspaceId: string,
    id: string,
    changes: { pinData?: Record<string, Item[]>; breakpoints?: string[] } = {},
  ): Promise<DebugSessionView & { ran: NodeRunRecord[] }> {
    return this.#advance(workspaceId, id, changes, false);
  }

  /** Cancels the session's execution. */
  async stop(workspaceId: string, id: string): Promise<DebugSessionView> {
    const session = await this.#session(workspaceId, id);
    assertOpen(session, await this.#execution(session));
    await this.rt.engine.cancel(session.executionId, { workspaceId });
    return this.#view(session);
  }

  async #advance(
    workspaceId: string,
    id: string,
    changes: { pinData?: Record<string, Item[]>; breakpoints?: string[] },
    oneNode: boolean,
  ): Promise<DebugSessionView & { ran: NodeRunRecord[] }> {
    const session = await this.#session(workspaceId, id);
    assertPaused(session, await this.#execution(session));
    checkNodeNames(session.workflow, changes.pinData, changes.breakpoints);
    const pinData = changes.pinData ? { ...session.pinData, ...changes.pinData } : session.pinData;
    const breakpoints = changes.breakpoints ?? session.breakpoints;
    const leaseMs = (session.workflow.settings?.timeoutMs ?? DEFAULT_LIMITS.maxDurationMs) + LEASE_MARGIN_MS;
    const leased = await this.#store.lease(workspaceId, id, Date.now() + leaseMs, {
      ...(changes.pinData ? { pinData } : {}),
      ...(changes.breakpoints ? { breakpoints } : {}),
    });
    if (!leased) {
      throw new ConflictError('debug-session-busy', `Debug session "${id}" is running a step; try again after it`);
    }
    let before: number;
    try {
      // Read again under the lease: the step that held it may have finished the run meanwhile.
      assertPaused(session, await this.#execution(session));
      before = (await this.rt.engine.executions.listNodeRuns(session.executionId)).length;
      await this.rt.launcher.track(
        this.rt.engine.resume(session.executionId, {
          workspaceId,
          workflow: session.workflow,
          pinData,
          recordInputs: true,
          ...(oneNode ? { stepLimit: 1 } : { breakpoints }),
        }),
        session.executionId,
      );
    } finally {
      await this.#store.release(workspaceId, id);
    }
    const updated = { ...session, pinData, breakpoints };
    const ran = (await this.rt.engine.executions.listNodeRuns(session.executionId))
      .slice(before)
      .filter((r) => r.status !== 'running');
    return { ...(await this.#view(updated)), ran };
  }

  async #session(workspaceId: string, id: string): Promise<DebugSessionRecord> {
    const session = await this.#store.get(workspaceId, id);
    if (!session) throw new NotFoundError('debug-session-not-found', `Debug session "${id}" not found`);
    return session;
  }

  async #execution(session: DebugSessionRecord): Promise<ExecutionRecord> {
    const record = await this.rt.engine.executions.get(session.workspaceId, session.executionId);
    if (!record) {
      throw new NotFoundError('debug-session-not-found', `Execution of debug session "${session.id}" is gone`);
    }
    return record;
  }

  async #runs(executionId: string): Promise<NodeRunRecord[]> {
    return (await this.rt.engine.executions.listNodeRuns(executionId)).filter((r) => r.status !== 'running');
  }

  async #view(session: DebugSessionRecord): Promise<DebugSessionView> {
    const record = await this.#execution(session);
    const names = new Map(session.workflow.nodes.map((n) => [n.id, n.name]));
    const paused = record.status === 'waiting' && record.wait?.kind === 'debug';
    const next = paused
      ? (record.wait?.next ?? []).map((nodeId) => ({ nodeId, nodeName: names.get(nodeId) ?? nodeId }))
      : [];
    return {
      id: session.id,
      executionId: session.executionId,
      workflowId: session.workflowId,
      workflowVersion: session.workflowVersion,
      status: paused ? 'paused' : record.status === 'queued' ? 'running' : record.status,
      next,
      breakpoints: session.breakpoints,
      pinned: Object.keys(session.pinData),
      ...(!paused && record.wait ? { wait: record.wait } : {}),
      ...(record.status === 'succeeded' ? { output: record.output?.main ?? [] } : {}),
      ...(record.error ? { error: record.error } : {}),
      createdBy: session.createdBy,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
    };
  }
}

function unknownNode(message: string, path: string, more: FieldIssue[] = []): InvalidInputError {
  return new InvalidInputError('unknown-node', message, {
    errors: [{ in: 'body', path, message: 'Unknown node' }, ...more],
  });
}

/** Pin data must name nodes; breakpoints may name nodes or give their ids. */
function checkNodeNames(wf: Workflow, pinData?: Record<string, Item[]>, breakpoints?: string[]): void {
  const names = new Set(wf.nodes.map((n) => n.name));
  const ids = new Set(wf.nodes.map((n) => n.id));
  for (const name of Object.keys(pinData ?? {})) {
    if (!names.has(name)) throw unknownNode(`Pin data names no node "${name}"`, `/pinData/${pointer(name)}`);
  }
  (breakpoints ?? []).forEach((b, i) => {
    if (!names.has(b) && !ids.has(b))
      throw unknownNode(`Breakpoint "${b}" is neither a node name nor an id`, `/breakpoints/${i}`);
  });
}

const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function assertOpen(session: DebugSessionRecord, record: ExecutionRecord): void {
  if (TERMINAL.has(record.status)) {
    throw new ConflictError(
      'debug-session-finished',
      `Debug session "${session.id}" has finished (its execution ${record.status}); start a new session to debug again`,
      { executionId: record.id, executionStatus: record.status },
    );
  }
}

function assertPaused(session: DebugSessionRecord, record: ExecutionRecord): void {
  assertOpen(session, record);
  if (record.status === 'waiting' && record.wait?.kind !== 'debug') {
    const what = record.wait?.kind === 'signal' ? 'an approval' : 'a timer';
    throw new ConflictError(
      'debug-session-waiting',
      `Debug session "${session.id}" is waiting for ${what} at node "${record.wait?.nodeId}"; approve or reject execution ${record.id}, or stop the session`,
      { executionId: record.id },
    );
  }
}
