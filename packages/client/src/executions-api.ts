import type { Item } from '@weft/engine';
import type { ExecutionDetail, ExecutionQuery, ExecutionRecord, Launched, Page, RunResult } from './api-types.js';
import type { HttpTransport } from './http-transport.js';

const enc = encodeURIComponent;

/**
 * Executions and approvals: list with filters, get with node runs, cancel, retry, replay from a
 * node, approve/reject a waiting approval.
 *
 * @example
 * ```ts
 * const failed = await client.executions.list(ws, { status: 'failed', limit: 20 });
 * await client.executions.retry(ws, failed.items[0].id);
 * ```
 */
export class ExecutionsApi {
  constructor(private readonly t: HttpTransport) {}

  private path(ws: string, id?: string): string {
    return `/workspaces/${enc(ws)}/executions${id ? `/${enc(id)}` : ''}`;
  }

  /**
   * Newest first, filtered by workflow, statuses, modes, start time and duration; `q` matches an
   * id prefix or error text, `contains` and `field`/`value` search the trigger input and node runs.
   * Page with `nextCursor`; a content search that examined `scanLimit` executions without filling
   * the page says `scanLimitReached` (continue with `nextCursor`).
   */
  list(ws: string, query: ExecutionQuery = {}): Promise<Page<ExecutionRecord> & { scanLimitReached?: true }> {
    const { status, ...rest } = query;
    return this.t.request('GET', this.path(ws), {
      query: { ...rest, status: Array.isArray(status) ? status : status ? [status] : undefined },
    });
  }

  /** One execution with every node run (input, output, error, timings). */
  get(ws: string, id: string): Promise<ExecutionDetail> {
    return this.t.request('GET', this.path(ws, id));
  }

  /** Deletes a finished execution. */
  delete(ws: string, id: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws, id));
  }

  /** Cancels a queued, running or waiting execution. */
  cancel(ws: string, id: string): Promise<{ executionId: string; cancelled: boolean }> {
    return this.t.request('POST', `${this.path(ws, id)}/cancel`);
  }

  /** Runs the same workflow version again with the same input. */
  retry(ws: string, id: string, options: { wait?: boolean } = {}): Promise<Launched> {
    return this.t.request('POST', `${this.path(ws, id)}/retry`, { body: options });
  }

  /** Re-runs from a node (id or name); earlier nodes reuse this execution's outputs. */
  replay(
    ws: string,
    id: string,
    options: { fromNode: string; pinData?: Record<string, Item[]>; stopAfter?: string },
  ): Promise<RunResult> {
    return this.t.request('POST', `${this.path(ws, id)}/replay`, { body: options });
  }

  /** Jobs that exhausted their retries, with everything needed to replay them. */
  deadLetters(ws: string, query: { limit?: number } = {}): Promise<{ items: Record<string, unknown>[] }> {
    return this.t.request('GET', `/workspaces/${enc(ws)}/dead-letters`, { query });
  }

  /** Puts a dead-lettered job back on the queue. */
  replayDeadLetter(ws: string, deadLetterId: string): Promise<{ replayed: boolean; executionId: string }> {
    return this.t.request('POST', `/workspaces/${enc(ws)}/dead-letters/${enc(deadLetterId)}/replay`);
  }

  /** Drops a dead-lettered job. */
  discardDeadLetter(ws: string, deadLetterId: string): Promise<void> {
    return this.t.request('DELETE', `/workspaces/${enc(ws)}/dead-letters/${enc(deadLetterId)}`);
  }

  /** Executions waiting for an approval. */
  approvals(ws: string): Promise<{ items: ExecutionRecord[] }> {
    return this.t.request('GET', `/workspaces/${enc(ws)}/approvals`);
  }

  /**
   * Approves (or with `approved: false` rejects) a waiting approval. A `decisionId` makes it safe
   * to resend: once applied, the same id answers `replayed: true` instead of a 409.
   */
  decide(
    ws: string,
    id: string,
    approved: boolean,
    options: { comment?: string; data?: Record<string, unknown>; decisionId?: string } = {},
  ): Promise<{ executionId: string; status: ExecutionRecord['status']; replayed?: boolean }> {
    return this.t.request('POST', `${this.path(ws, id)}/${approved ? 'approve' : 'reject'}`, { body: options });
  }
}
