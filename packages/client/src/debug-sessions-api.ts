import type { Item } from '@weft/engine';
import type {
  DebugAdvance,
  DebugSession,
  DebugSessionDetail,
  DebugSessionOptions,
  DebugSessionSource,
} from './api-types.js';
import type { HttpTransport } from './http-transport.js';

const enc = encodeURIComponent;

/**
 * Step-through debugging (editor role and above). `start` creates an execution (mode `debug`)
 * paused before its first node, from a stored workflow or an unsaved document; `step` runs
 * exactly the next ready node and answers its input and output; `continue` runs to the end or
 * until the next breakpoint; `stop` cancels. Driving a finished session throws a
 * {@link WeftApiError} with code `debug-session-finished`; one parked on an approval or a timer,
 * `debug-session-waiting`; one another request is driving, `debug-session-busy`.
 *
 * @example
 * ```ts
 * let s = await client.debugSessions.start(ws, { workflow: draft }, { breakpoints: ['Charge'] });
 * while (s.status === 'paused') {
 *   const step = await client.debugSessions.step(ws, s.id);
 *   console.log(step.ran[0]?.nodeName, step.ran[0]?.output?.main);
 *   s = step;
 * }
 * ```
 */
export class DebugSessionsApi {
  constructor(private readonly t: HttpTransport) {}

  private path(ws: string, id?: string): string {
    return `/workspaces/${enc(ws)}/debug-sessions${id ? `/${enc(id)}` : ''}`;
  }

  /**
   * Starts a session paused before the first node. `source` is `{ workflowId, version? }` (the
   * latest version unless `version` is given) or `{ workflow }`, a draft that need not be saved.
   *
   * @example
   * ```ts
   * const s = await client.debugSessions.start(ws, { workflowId: 'orders' }, { input: [{ json: { n: 1 } }] });
   * s.next; // [{ nodeId: 'start', nodeName: 'Start' }]
   * ```
   */
  start(ws: string, source: DebugSessionSource, options: DebugSessionOptions = {}): Promise<DebugSessionDetail> {
    return this.t.request('POST', this.path(ws), { body: { ...source, ...options } });
  }

  /** The session with every node run so far (e.g. after an approval let it run on). */
  get(ws: string, id: string): Promise<DebugSessionDetail> {
    return this.t.request('GET', this.path(ws, id));
  }

  /**
   * Runs exactly the next ready node; `ran` holds its run. `pinData` (by node name) is merged into
   * the session's pin data first.
   *
   * @example
   * ```ts
   * const { ran, next, status } = await client.debugSessions.step(ws, s.id);
   * ```
   */
  step(ws: string, id: string, options: { pinData?: Record<string, Item[]> } = {}): Promise<DebugAdvance> {
    return this.t.request('POST', `${this.path(ws, id)}/step`, { body: options });
  }

  /**
   * Runs to the end, or pauses before the next breakpoint; `breakpoints` (node names or ids)
   * replaces the session's list. `ran` holds every node run of this call, in order.
   *
   * @example
   * ```ts
   * const r = await client.debugSessions.continue(ws, s.id, { breakpoints: ['Label'] });
   * if (r.status === 'paused') console.log('stopped before', r.next[0]?.nodeName);
   * ```
   */
  continue(
    ws: string,
    id: string,
    options: { breakpoints?: string[]; pinData?: Record<string, Item[]> } = {},
  ): Promise<DebugAdvance> {
    return this.t.request('POST', `${this.path(ws, id)}/continue`, { body: options });
  }

  /** Cancels the session's execution; the answer has `status: 'cancelled'`. */
  stop(ws: string, id: string): Promise<DebugSession> {
    return this.t.request('POST', `${this.path(ws, id)}/stop`);
  }
}
