import type { AuditCheckpoint, AuditEntry, AuditQuery, AuditRecord, AuditStore } from '@weft/engine';
import { checkpointPayload, linkHash } from './audit-hash.js';
import type { AuditSigner } from './audit-signer.js';
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

  /** Links `entry` to its workspace's chain and stores it; signs a checkpoint when one is due. */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    const record = await this.#store.append(entry.workspaceId, async (head) => {
      const unsealed = { ...entry, position: head.position + 1, prevHash: head.hash };
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
