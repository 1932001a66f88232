import type { EventSubscription, WeftClient } from '@weft/client';
import type { EngineEvent } from '@weft/engine';

const FINAL = new Set(['workflow:completed', 'workflow:failed', 'workflow:cancelled', 'workflow:waiting']);

/**
 * Follows one workflow's executions on the workspace event stream. Events are buffered per
 * execution from the moment the editor opens, so the events of a run that starts before its
 * `POST /run` answer arrives are not lost: `follow(executionId)` replays them, then streams.
 *
 * @example
 * ```ts
 * const live = new LiveRuns(client, ws, workflowId, (e) => canvas.applyEvent(e), onFinished);
 * live.follow((await client.workflows.run(ws, workflowId)).executionId);
 * ```
 */
export class LiveRuns {
  private readonly buffered = new Map<string, EngineEvent[]>();
  private readonly sub: EventSubscription;
  private followed: string | undefined;
  workflowId: string | undefined;

  constructor(
    client: WeftClient,
    workspaceId: string,
    workflowId: string | undefined,
    private readonly onEvent: (e: EngineEvent) => void,
    private readonly onFinished: (executionId: string, e: EngineEvent) => void,
    onStatus?: (s: 'open' | 'error' | 'closed') => void,
  ) {
    this.workflowId = workflowId;
    this.sub = client.subscribe(workspaceId, {
      onEvent: (e) => this.receive(e),
      ...(onStatus ? { onStatus: (s) => onStatus(s) } : {}),
    });
  }

  private receive(e: EngineEvent): void {
    if (e.workflowId !== this.workflowId) return;
    if (e.executionId === this.followed) {
      this.deliver(e);
      return;
    }
    const list = this.buffered.get(e.executionId) ?? [];
    list.push(e);
    this.buffered.set(e.executionId, list);
    if (this.buffered.size > 50) this.buffered.delete(this.buffered.keys().next().value as string);
  }

  private deliver(e: EngineEvent): void {
    this.onEvent(e);
    if (FINAL.has(e.type)) this.onFinished(e.executionId, e);
  }

  /** Shows this execution's events: those already received, then live ones. */
  follow(executionId: string): void {
    this.followed = executionId;
    const early = this.buffered.get(executionId) ?? [];
    this.buffered.delete(executionId);
    for (const e of early.sort((a, b) => a.at - b.at || a.seq - b.seq)) this.deliver(e);
  }

  close(): void {
    this.sub.close();
  }
}
