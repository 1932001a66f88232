import type {
  AuditCheckpoint,
  AuditHead,
  AuditQuery,
  AuditRecord,
  AuditStore,
  SealedAuditEntry,
} from '../ports/audit-store.js';
import { matchesAuditQuery } from './match-audit-query.js';

/**
 * An {@link AuditStore} in memory, for tests and single-process embedding. Appends per
 * workspace run one after another.
 *
 * @example
 * ```ts
 * const log = new AuditLog({ store: new MemoryAuditStore() });
 * ```
 */
export class MemoryAuditStore implements AuditStore {
  readonly rows: AuditRecord[] = [];
  readonly #checkpoints: AuditCheckpoint[] = [];
  readonly #heads = new Map<string, AuditHead>();
  readonly #tails = new Map<string, Promise<unknown>>();

  append(workspaceId: string, seal: (head: AuditHead) => Promise<SealedAuditEntry>): Promise<AuditRecord> {
    const run = (this.#tails.get(workspaceId) ?? Promise.resolve()).then(async () => {
      const sealed = await seal(await this.head(workspaceId));
      const record: AuditRecord = { ...sealed, seq: this.rows.length + 1 };
      this.rows.push(record);
      this.#heads.set(workspaceId, { position: record.position, hash: record.hash });
      return record;
    });
    this.#tails.set(
      workspaceId,
      run.catch(() => undefined),
    );
    return run;
  }

  async head(workspaceId: string): Promise<AuditHead> {
    return this.#heads.get(workspaceId) ?? { position: 0, hash: '' };
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    return this.rows
      .filter((r) => matchesAuditQuery(r, query))
      .reverse()
      .slice(0, query.limit);
  }

  async walk(workspaceId: string, afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return this.rows.filter((r) => r.workspaceId === workspaceId && r.seq > afterSeq).slice(0, limit);
  }

  async addCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    this.#checkpoints.push(checkpoint);
  }

  async checkpoints(workspaceId: string): Promise<AuditCheckpoint[]> {
    return this.#checkpoints.filter((c) => c.workspaceId === workspaceId).sort((a, b) => a.position - b.position);
  }

  async workspaces(): Promise<string[]> {
    return [...this.#heads.keys()].sort();
  }
}
