import {
  type DebugSession,
  type DebugSessionOptions,
  type DebugSessionSource,
  type NodeRunRecord,
  WeftApiError,
} from '@weft/client';
import type { Workflow } from '@weft/engine';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { appState } from '../app/app-state.js';
import { errorMessage } from '../app/format.js';
import { type DebugStatusLine, debugMessage } from './debug-message.js';

/** What the editor does with each answer: show the run, highlight what ran and what is next. */
export type DebugListener = (session: DebugSession, ran: NodeRunRecord[]) => void | Promise<void>;

/**
 * Drives one step-through debug session for an editor: start (from the saved version or the
 * unsaved document), step, continue, stop, and the breakpoints (node ids) the editor toggles.
 * Breakpoints changed during a session apply on the next Continue. A session still open when the
 * editor goes away is stopped, so no paused execution is left behind.
 *
 * @example
 * ```ts
 * this.debug = new DebugController(this, (s, ran) => this.showDebugRun(s, ran));
 * await this.debug.start({ workflow: doc }, doc);
 * await this.debug.step();
 * ```
 */
export class DebugController implements ReactiveController {
  session: DebugSession | undefined;
  /** The latest status line (kept after the session ended, until `dismiss` or a new start). */
  status: DebugStatusLine | undefined;
  error: string | undefined;
  busy = false;
  readonly breakpoints = new Set<string>();
  private names = new Map<string, string>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly listener: DebugListener,
  ) {
    host.addController(this);
  }

  /** Whether a session is open (paused or waiting): the document is locked meanwhile. */
  get open(): boolean {
    return this.session !== undefined && !(this.status?.ended ?? false);
  }

  /** Whether `step`/`continue` can run now. */
  get canAdvance(): boolean {
    return this.session?.status === 'paused' && !this.busy;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    const s = this.session;
    if (s && this.open) void appState.client.debugSessions.stop(appState.workspaceId as string, s.id).catch(() => {});
  }

  /** Turns the breakpoint before a node on or off. */
  toggleBreakpoint(nodeId: string): void {
    if (this.breakpoints.has(nodeId)) this.breakpoints.delete(nodeId);
    else this.breakpoints.add(nodeId);
    this.host.requestUpdate();
  }

  /** Starts a session paused before the first node (with trigger input and pins); stops one still open first. */
  async start(
    source: DebugSessionSource,
    workflow: Workflow,
    data: Pick<DebugSessionOptions, 'input' | 'pinData'> = {},
  ): Promise<void> {
    if (this.busy) return;
    if (this.open) await this.stop();
    this.names = new Map(workflow.nodes.map((n) => [n.id, n.name]));
    await this.run(async (ws) => {
      const s = await appState.client.debugSessions.start(ws, source, { ...data, breakpoints: this.breakpointList() });
      return { session: s, ran: [] };
    });
  }

  /** Runs exactly the next node. */
  step(): Promise<void> {
    return this.advance((ws, id) => appState.client.debugSessions.step(ws, id));
  }

  /** Runs to the end or the next breakpoint (with the breakpoints as they are now). */
  continue(): Promise<void> {
    return this.advance((ws, id) =>
      appState.client.debugSessions.continue(ws, id, { breakpoints: this.breakpointList() }),
    );
  }

  /** Cancels the session's execution. */
  async stop(): Promise<void> {
    const s = this.session;
    if (!s || !this.open) return;
    await this.run(async (ws) => ({ session: await appState.client.debugSessions.stop(ws, s.id), ran: [] }));
  }

  /** Forgets an ended session and its status line. */
  dismiss(): void {
    if (this.open) return;
    this.session = undefined;
    this.status = undefined;
    this.error = undefined;
    this.host.requestUpdate();
  }

  /** Breakpoints on nodes of the session's document (others would be refused). */
  private breakpointList(): string[] {
    return [...this.breakpoints].filter((id) => this.names.has(id));
  }

  private advance(call: (ws: string, id: string) => Promise<DebugSession & { ran: NodeRunRecord[] }>) {
    const s = this.session;
    if (!s || !this.canAdvance) return Promise.resolve();
    return this.run(async (ws) => {
      try {
        const r = await call(ws, s.id);
        return { session: r, ran: r.ran };
      } catch (e) {
        // Ended meanwhile (elsewhere, or an approval let it run on): show how, instead of an error.
        if (e instanceof WeftApiError && (e.code === 'debug-session-finished' || e.code === 'debug-session-waiting'))
          return { session: await appState.client.debugSessions.get(ws, s.id), ran: [] };
        throw e;
      }
    });
  }

  private async run(call: (ws: string) => Promise<{ session: DebugSession; ran: NodeRunRecord[] }>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      const { session, ran } = await call(appState.workspaceId as string);
      this.session = session;
      this.status = debugMessage(session, ran, this.names);
      await this.listener(session, ran);
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}
