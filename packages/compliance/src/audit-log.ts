import type { AuditCheckpoint, AuditEntry, AuditQuery, AuditRecord, AuditStore } from '@weft/engine';
import { type AuditArchive, archivePayload, encodeArchiveBundle, isArchivable } from './audit-archive.js';
import { checkpointPayload, linkHash } from './audit-hash.js';
import type { AuditSigner } from './audit-signer.js';
import { storableJson } from './storable-text.js';
import { type AuditVerification, verifyAuditChain } from './verify-audit-chain.js';

/** Options of {@link AuditLog}. */
export interface AuditLogOptions {
  store: AuditStore;
  /** Signs checkpoints; without one none are written and verification checks links only. */
  signer?: AuditSigner;
  /** Sign a checkpoint of the head every this many entries per workspace (default 100). */
  checkpointEvery?: number;
  now?: () => number;
}

/**
 * The tamper-evident audit log: appends entries to a per-workspace SHA-256 hash chain over
 * RFC 8785 canonical JSON, signs a checkpoint of the head every `checkpointEvery` entries, lists
 * with filters and verifies.
 *
 * @example
 * ```ts
 * const log = new AuditLog({ store: new MemoryAuditStore(), signer });
 * await log.append({ workspaceId: 'ws_1', actor: { type: 'system', id: 'weft' }, action: 'settings.update',
 *   resource: { type: 'settings', id: null }, outcome: 'success', at: Date.now(),
 *   ip: null, userAgent: null, requestId: null, changes: null });
 * (await log.verify('ws_1')).ok; // true
 * ```
 */
export class AuditLog {
  readonly #store: AuditStore;
  readonly #signer: AuditSigner | undefined;
  readonly #every: number;
  readonly #now: () => number;

  constructor(options: AuditLogOptions) {
    this.#store = options.store;
    this.#signer = options.signer;
    this.#every = options.checkpointEvery ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /** The store entries are kept in. */
  get store(): AuditStore {
    return this.#store;
  }

  /** Links `entry` to its workspace's chain and stores it; signs a checkpoint when one is due. */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    const storable = storableJson(entry);
    const record = await this.#store.append(storable.workspaceId, async (head) => {
      const unsealed = { ...storable, position: head.position + 1, prevHash: head.hash };
      return { ...unsealed, hash: await linkHash(unsealed) };
    });
    if (this.#signer && record.position % this.#every === 0) await this.#sign(record);
    return record;
  }

  /** Signs a checkpoint of the workspace's current head (none for an empty chain). */
  async checkpoint(workspaceId: string): Promise<AuditCheckpoint | undefined> {
    const head = await this.#store.head(workspaceId);
    if (!this.#signer || head.position === 0) return undefined;
    const known = await this.#store.checkpoints(workspaceId);
    const existing = known.find((c) => c.position === head.position);
    if (existing) return existing;
    return this.#sign({ workspaceId, ...head });
  }

  list(query: AuditQuery): Promise<AuditRecord[]> {
    return this.#store.list(query);
  }

  verify(workspaceId: string): Promise<AuditVerification> {
    return verifyAuditChain(this.#store, workspaceId, this.#signer);
  }

  /** Verifies every workspace's chain. */
  async verifyAll(): Promise<AuditVerification[]> {
    const out: AuditVerification[] = [];
    for (const ws of await this.#store.workspaces()) out.push(await this.verify(ws));
    return out;
  }

  /**
   * Retention: moves the workspace's entries after the last archive up to `throughPosition` into a
   * bundle (RFC 8785 JSON of the entries and their checkpoints) that `put` stores and locates,
   * signs a statement of the range, its last hash and the bundle's SHA-256, then prunes the range
   * from the store. Verification of the rest starts from the newest statement.
   *
   * @example
   * ```ts
   * const a = await log.archive('ws_1', 1000, (name, bytes) => bucket.put(name, bytes).then(() => `blob:${name}`));
   * ```
   */
  async archive(
    workspaceId: string,
    throughPosition: number,
    put: (name: string, bytes: Uint8Array) => Promise<string>,
  ): Promise<AuditArchive & { pruned: number }> {
    const store = this.#store;
    if (!isArchivable(store)) throw new Error('This audit store cannot archive');
    if (!this.#signer) throw new Error('Archiving needs a signer: the archive statement is signed');
    const last = (await store.archives(workspaceId)).at(-1);
    const from = (last?.throughPosition ?? 0) + 1;
    const head = await store.head(workspaceId);
    if (throughPosition < from || throughPosition > head.position)
      throw new RangeError(
        `Nothing to archive through entry ${throughPosition}: entries ${from}..${head.position} are in the log`,
      );
    const entries: AuditRecord[] = [];
    for (let seq = 0; ; ) {
      const page = await store.walk(workspaceId, seq, 1000);
      for (const r of page) if (r.position >= from && r.position <= throughPosition) entries.push(r);
      if (page.length < 1000 || (page.at(-1) as AuditRecord).position >= throughPosition) break;
      seq = (page.at(-1) as AuditRecord).seq;
    }
    let hash = last?.throughHash ?? '';
    for (const [i, e] of entries.entries())
      if (e.position !== from + i || e.prevHash !== hash || (await linkHash(e)) !== e.hash)
        throw new Error(`Entry ${from + i} does not verify: run verify before archiving`);
      else hash = e.hash;
    if (entries.length !== throughPosition - from + 1)
      throw new Error(`Entries ${from}..${throughPosition} are incomplete`);
    const checkpoints = (await store.checkpoints(workspaceId)).filter(
      (c) => c.position >= from && c.position <= throughPosition,
    );
    const { bytes, sha256 } = await encodeArchiveBundle({
      format: 'weft-audit-archive/1',
      workspaceId,
      prevHash: last?.throughHash ?? '',
      entries,
      checkpoints,
    });
    const location = await put(
      `audit-archives/${encodeURIComponent(workspaceId)}/${from}-${throughPosition}.json`,
      bytes,
    );
    const unsigned = {
      workspaceId,
      fromPosition: from,
      throughPosition,
      throughHash: hash,
      location,
      sha256,
      at: this.#now(),
      keyId: this.#signer.keyId,
    };
    const archive = { ...unsigned, signature: await this.#signer.sign(archivePayload(unsigned)) };
    await store.addArchive(archive);
    return { ...archive, pruned: await store.prune(workspaceId, throughPosition) };
  }

  async #sign(head: { workspaceId: string; position: number; hash: string }): Promise<AuditCheckpoint> {
    const signer = this.#signer as AuditSigner;
    const unsigned = {
      workspaceId: head.workspaceId,
      position: head.position,
      hash: head.hash,
      at: this.#now(),
      keyId: signer.keyId,
    };
    const checkpoint = { ...unsigned, signature: await signer.sign(checkpointPayload(unsigned)) };
    await this.#store.addCheckpoint(checkpoint);
    return checkpoint;
  }
}
