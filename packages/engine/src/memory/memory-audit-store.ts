import type { ArchivableAuditStore, AuditArchive } from '../ports/archivable-audit-store.js';
import type { AuditCheckpoint, AuditHead, AuditQuery, AuditRecord, SealedAuditEntry } from '../ports/audit-store.js';
import { matchesAuditQuery } from './match-audit-query.js';

/**
 * An {@link ArchivableAuditStore} in memory, for tests and single-process embedding. Appends per
 * workspace run one after another; like the SQL stores, it refuses to prune entries no archive
 * covers.
 *
 * @example
 * ```ts
 * const log = new AuditLog({ store: new MemoryAuditStore() });
 * ```
 */
export class MemoryAuditStore implements ArchivableAuditStore {
  readonly rows: AuditRecord[] = [];
  readonly #checkpoints: AuditCheckpoint[] = [];
  readonly #archives: AuditArchive[] = [];
  #seq = 0;
  readonly #heads = new Map<string, AuditHead>();
  readonly #tails = new Map<string, Promise<unknown>>();

  append(workspaceId: string, seal: (head: AuditHead) => Promise<SealedAuditEntry>): Promise<AuditRecord> {
    const run = (this.#tails.get(workspaceId) ?? Promise.resolve()).then(async () => {
      const sealed = await seal(await this.head(workspaceId));
      const record: AuditRecord = { ...sealed, seq: ++this.#seq };
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

  async archives(workspaceId: string): Promise<AuditArchive[]> {
    return this.#archives
      .filter((a) => a.workspaceId === workspaceId)
      .sort((a, b) => a.throughPosition - b.throughPosition)
      .map((a) => ({ ...a }));
  }

  async addArchive(archive: AuditArchive): Promise<void> {
    this.#archives.push({ ...archive });
  }

  async prune(workspaceId: string, throughPosition: number): Promise<number> {
    const doomed = this.rows.filter((r) => r.workspaceId === workspaceId && r.position <= throughPosition);
    const uncovered = doomed.find(
      (r) => !this.#archives.some((a) => a.workspaceId === workspaceId && a.throughPosition >= r.position),
    );
    if (uncovered)
      throw new Error(
        `Audit entry ${uncovered.position} of workspace ${workspaceId} is not covered by an archive: it cannot be pruned`,
      );
    const gone = new Set(doomed);
    this.rows.splice(0, this.rows.length, ...this.rows.filter((r) => !gone.has(r)));
    return doomed.length;
  }

  async workspaces(): Promise<string[]> {
    return [...this.#heads.keys()].sort();
  }
}
