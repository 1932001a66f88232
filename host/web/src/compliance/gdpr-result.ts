import type { GdprRequestRow } from './compliance-api.js';

/** "1 execution", "3 executions". */
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/**
 * A data-subject request's outcome as a sentence a person reads, from the counts the host records
 * (an export's `executions`, `auditEntries`, `unsealedMentions`; an erasure's `keyDestroyed`,
 * `executionsShredded`, `unsealedMentions`, `unsealedDeleted`, `searchComplete`,
 * `exportBundlesDeleted`; a failure's `error`). The export's download link and its expiry are
 * shown beside it.
 *
 * @example
 * ```ts
 * gdprResultText({ kind: 'erasure', status: 'completed', result: { keyDestroyed: true, executionsShredded: 12 } });
 * // 'Erased: key destroyed, 12 executions made unreadable.'
 * ```
 */
export function gdprResultText(r: Pick<GdprRequestRow, 'kind' | 'status' | 'result'>): string {
  const x = r.result ?? {};
  if (r.status === 'failed') return `Failed: ${typeof x.error === 'string' ? x.error : 'no reason recorded'}.`;
  if (r.status !== 'completed') return 'In progress.';
  const mentions = num(x.unsealedMentions);
  if (r.kind === 'export') {
    const parts = [
      `Exported ${count(num(x.executions), 'execution')} and ${count(num(x.auditEntries), 'audit entry', 'audit entries')}`,
    ];
    if (mentions)
      parts.push(
        `${count(mentions, 'other execution')} ${mentions === 1 ? 'mentions' : 'mention'} the subject in plain text (listed by id)`,
      );
    return `${parts.join('; ')}.`;
  }
  const parts = [
    x.keyDestroyed
      ? `Erased: key destroyed, ${count(num(x.executionsShredded), 'execution')} made unreadable`
      : 'Erased: nothing was sealed for this subject',
  ];
  if (mentions)
    parts.push(
      x.unsealedDeleted
        ? `${count(mentions, 'execution')} mentioning them in plain text deleted`
        : `${count(mentions, 'execution')} still ${mentions === 1 ? 'mentions' : 'mention'} them in plain text (not deleted)`,
    );
  if (num(x.exportBundlesDeleted)) parts.push(`${count(num(x.exportBundlesDeleted), 'export bundle')} deleted`);
  let text = `${parts.join('; ')}.`;
  if (x.searchComplete === false) text += ' The plain-text search stopped early: older executions were not checked.';
  return text;
}
