import type { AuditCheckpoint, AuditHead, AuditRecord, AuditStore } from '@weft/engine';
import { archivePayload, isArchivable } from './audit-archive.js';
import { checkpointPayload, linkHash } from './audit-hash.js';
import type { AuditSigner } from './audit-signer.js';

/** Why verification stopped. */
export type AuditBreakReason =
  | 'edited'
  | 'missing'
  | 'out-of-order'
  | 'broken-link'
  | 'checkpoint-mismatch'
  | 'checkpoint-signature'
  | 'archive-signature'
  | 'truncated';

/**
 * The outcome of walking a chain. When `ok` is false, `broken` names the first bad entry: its row
 * `seq` (null when the entry is gone), the `position` it holds or should hold, and why.
 */
export interface AuditVerification {
  workspaceId: string;
  ok: boolean;
  /** Entries whose links were checked. */
  entries: number;
  /** Checkpoints whose signatures and hashes were checked. */
  checkpoints: number;
  head: { position: number; hash: string };
  /** Entries up to this position were archived (signed statements checked) and pruned; 0 when none. */
  archivedThrough: number;
  broken?: { seq: number | null; position: number; reason: AuditBreakReason; message: string };
}

const PAGE = 1000;

/**
 * Walks every link of a workspace's chain in row order, recomputing each hash, then checks every
 * signed checkpoint against the entries and the store's head. An edited row fails its own hash,
 * a deleted one leaves a gap in positions, swapped rows come out of order; deleting the newest
 * entries is caught by the head row and by any checkpoint past the end.
 *
 * @example
 * ```ts
 * const v = await verifyAuditChain(store, 'ws_1', signer);
 * if (!v.ok) console.log(`entry ${v.broken?.position}: ${v.broken?.message}`);
 * ```
 */
export async function verifyAuditChain(
  store: AuditStore,
  workspaceId: string,
  signer?: AuditSigner,
): Promise<AuditVerification> {
  const checkpoints = await store.checkpoints(workspaceId);
  const byPosition = new Map<number, AuditCheckpoint>(checkpoints.map((c) => [c.position, c]));
  let position = 0;
  let hash = '';
  let seq = 0;
  let checked = 0;
  let archivedThrough = 0;
  const result = (broken?: AuditVerification['broken']): AuditVerification => ({
    workspaceId,
    ok: !broken,
    entries: position,
    checkpoints: checked,
    head: { position, hash },
    archivedThrough,
    ...(broken ? { broken } : {}),
  });
  for (const a of isArchivable(store) ? await store.archives(workspaceId) : []) {
    const signed = !signer || (await signer.verify(archivePayload(a), a.signature, a.keyId));
    if (a.fromPosition !== position + 1 || !signed)
      return result({
        seq: null,
        position: a.fromPosition,
        reason: 'archive-signature',
        message: signed
          ? `The archive of entries ${a.fromPosition}..${a.throughPosition} does not follow entry ${position}`
          : `The archive statement of entries ${a.fromPosition}..${a.throughPosition} has a bad signature (key ${a.keyId})`,
      });
    position = a.throughPosition;
    hash = a.throughHash;
    archivedThrough = position;
  }
  let head: AuditHead;
  for (;;) {
    for (;;) {
      const page = await store.walk(workspaceId, seq, PAGE);
      for (const row of page) {
        if (row.position <= archivedThrough) {
          seq = row.seq;
          continue;
        }
        const broken = checkRow(row, position, hash, await movedLater(store, workspaceId, row, position + 1));
        if (broken) return result(broken);
        const expected = await linkHash(row);
        if (expected !== row.hash)
          return result({
            seq: row.seq,
            position: row.position,
            reason: 'edited',
            message: `Entry ${row.position} (row ${row.seq}) was changed: its content no longer hashes to its stored hash`,
          });
        position = row.position;
        hash = row.hash;
        seq = row.seq;
        const cp = byPosition.get(position);
        if (cp) {
          const bad = await checkCheckpoint(cp, row, signer);
          if (bad) return result(bad);
          checked++;
        }
      }
      if (page.length < PAGE) break;
    }
    head = await store.head(workspaceId);
    // Entries appended while the walk ran moved the head on: walk on to them rather than report
    // the chain as truncated (a head behind the rows is still caught below).
    if (head.position <= position || (await store.walk(workspaceId, seq, 1)).length === 0) break;
  }
  const past = checkpoints.find((c) => c.position > position);
  if (past)
    return result({
      seq: null,
      position: position + 1,
      reason: 'truncated',
      message: `Entries ${position + 1}..${past.position} are missing: a signed checkpoint covers position ${past.position}`,
    });
  if (head.position !== position || head.hash !== hash)
    return result({
      seq: null,
      position: Math.min(head.position, position + 1),
      reason: 'truncated',
      message: `The chain ends at entry ${position} but the head says ${head.position}`,
    });
  return result();
}

/** Whether the entry expected at `row`'s place sits in a later row (rows swapped, not deleted). */
async function movedLater(
  store: AuditStore,
  workspaceId: string,
  row: AuditRecord,
  expected: number,
): Promise<boolean> {
  if (row.position <= expected) return false;
  for (let seq = row.seq; ; ) {
    const page = await store.walk(workspaceId, seq, PAGE);
    if (page.some((r) => r.position === expected)) return true;
    if (page.length < PAGE) return false;
    seq = (page.at(-1) as AuditRecord).seq;
  }
}

function checkRow(
  row: AuditRecord,
  position: number,
  prev: string,
  moved: boolean,
): AuditVerification['broken'] | undefined {
  if (row.position !== position + 1) {
    const missing = row.position > position + 1 && !moved;
    return {
      seq: missing ? null : row.seq,
      position: missing ? position + 1 : row.position,
      reason: missing ? 'missing' : 'out-of-order',
      message: missing
        ? `Entry ${position + 1} is missing (row ${row.seq} holds entry ${row.position})`
        : `Row ${row.seq} holds entry ${row.position} where entry ${position + 1} belongs: rows were moved`,
    };
  }
  if (row.prevHash !== prev)
    return {
      seq: row.seq,
      position: row.position,
      reason: 'broken-link',
      message: `Entry ${row.position} (row ${row.seq}) does not link to entry ${position}`,
    };
  return undefined;
}

async function checkCheckpoint(
  cp: AuditCheckpoint,
  row: AuditRecord,
  signer: AuditSigner | undefined,
): Promise<AuditVerification['broken'] | undefined> {
  if (cp.hash !== row.hash)
    return {
      seq: row.seq,
      position: row.position,
      reason: 'checkpoint-mismatch',
      message: `Entry ${row.position} (row ${row.seq}) differs from the signed checkpoint at that position`,
    };
  if (signer && !(await signer.verify(checkpointPayload(cp), cp.signature, cp.keyId)))
    return {
      seq: row.seq,
      position: row.position,
      reason: 'checkpoint-signature',
      message: `The checkpoint at entry ${row.position} has a bad signature (key ${cp.keyId})`,
    };
  return undefined;
}
