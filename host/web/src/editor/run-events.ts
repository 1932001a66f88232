import type { ExecutionDetail } from '@weft/client';
import type { EngineEvent } from '@weft/engine';

/**
 * Rebuilds the event sequence of a finished (or waiting) execution from its stored record and
 * node runs, so the canvas overlay can show a past execution exactly like a live one.
 *
 * @example
 * ```ts
 * canvas.events = executionEvents(await client.executions.get(ws, id));
 * ```
 */
export function executionEvents(x: ExecutionDetail): EngineEvent[] {
  const base = { executionId: x.id, workspaceId: x.workspaceId, workflowId: x.workflowId };
  let seq = 0;
  const events: EngineEvent[] = [
    { ...base, seq: seq++, at: x.startedAt, type: 'workflow:started', mode: x.mode, resumed: false },
  ];
  for (const run of [...x.nodeRuns].sort((a, b) => a.seq - b.seq)) {
    if (run.status === 'running') {
      events.push({
        ...base,
        seq: seq++,
        at: run.startedAt,
        type: 'node:started',
        nodeId: run.nodeId,
        nodeName: run.nodeName,
        runIndex: run.runIndex,
      });
      continue;
    }
    const itemsOut: Record<string, number> = {};
    for (const [port, items] of Object.entries(run.output ?? {})) itemsOut[port] = items.length;
    events.push({
      ...base,
      seq: seq++,
      at: run.finishedAt,
      type: 'node:executed',
      nodeId: run.nodeId,
      nodeName: run.nodeName,
      runIndex: run.runIndex,
      status: run.status,
      durationMs: run.finishedAt - run.startedAt,
      attempts: run.attempts,
      itemsIn: Object.values(run.input ?? {}).reduce((n, items) => n + items.length, 0),
      itemsOut,
      ...(run.error ? { error: run.error } : {}),
    });
  }
  const at = x.finishedAt ?? Date.now();
  const durationMs = at - x.startedAt;
  if (x.status === 'succeeded')
    events.push({ ...base, seq, at, type: 'workflow:completed', durationMs, output: x.output ?? {} });
  else if (x.status === 'failed' && x.error)
    events.push({ ...base, seq, at, type: 'workflow:failed', durationMs, error: x.error });
  else if (x.status === 'cancelled')
    events.push({ ...base, seq, at, type: 'workflow:cancelled', durationMs, reason: 'cancelled' });
  else if (x.status === 'waiting' && x.wait)
    events.push({ ...base, seq, at, type: 'workflow:waiting', nodeId: x.wait.nodeId });
  return events;
}
