import type { DebugSession, NodeRunRecord } from '@weft/client';

/** How a debug session's state reads in the editor, and whether it ended. */
export interface DebugStatusLine {
  text: string;
  ended: boolean;
}

/**
 * The status line for a debug session after a start, step, continue or stop: what ran, where it
 * is paused (and whether that is a breakpoint), what it waits for, or how it ended.
 *
 * @example
 * ```ts
 * debugMessage(await client.debugSessions.step(ws, id), stepped.ran, names)
 * // { text: 'Ran Double. Paused before Label.', ended: false }
 * ```
 */
export function debugMessage(
  s: Pick<DebugSession, 'status' | 'next' | 'breakpoints' | 'wait' | 'error'>,
  ran: Pick<NodeRunRecord, 'nodeId' | 'nodeName' | 'status'>[],
  names: ReadonlyMap<string, string>,
): DebugStatusLine {
  const last = ran.at(-1);
  const did = ran.length === 0 ? '' : ran.length === 1 ? `Ran ${last?.nodeName}. ` : `Ran ${ran.length} nodes. `;
  switch (s.status) {
    case 'paused': {
      const next = s.next[0];
      if (!next) return { text: `${did}Paused.`, ended: false };
      const atBreakpoint =
        ran.length > 0 && (s.breakpoints.includes(next.nodeId) || s.breakpoints.includes(next.nodeName));
      const where = atBreakpoint ? `at the breakpoint before ${next.nodeName}` : `before ${next.nodeName}`;
      return { text: `${did}Paused ${where}.${ran.length ? '' : ' Step runs it.'}`, ended: false };
    }
    case 'waiting': {
      const node = s.wait ? (names.get(s.wait.nodeId) ?? s.wait.nodeId) : 'a node';
      const what =
        s.wait?.kind === 'signal'
          ? `an approval at ${node}: approve or reject it under Approvals`
          : `a timer at ${node}`;
      return { text: `${did}Waiting for ${what}, or stop the session.`, ended: false };
    }
    case 'running':
      return { text: `${did}Running…`, ended: false };
    case 'succeeded':
      return { text: `${did}Debug session ended: the workflow succeeded.`, ended: true };
    case 'failed': {
      const at = s.error?.nodeName ?? (last?.status === 'failed' ? last.nodeName : undefined);
      const why = s.error?.message ? `: ${s.error.message}` : '';
      return { text: `${did}Debug session ended: the workflow failed${at ? ` at ${at}` : ''}${why}.`, ended: true };
    }
    case 'cancelled':
      return { text: 'Debug session stopped.', ended: true };
  }
}
