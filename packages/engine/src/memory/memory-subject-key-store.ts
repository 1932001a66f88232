import type { SubjectKeyRow, SubjectKeyStore } from '../ports/subject-key-store.js';

/**
 * A {@link SubjectKeyStore} in memory, for tests and single-process embedding.
 *
 * @example
 * ```ts
 * const keys = new HostSubjectKeys(new MemorySubjectKeyStore(), masterKeys);
 * ```
 */
export class MemorySubjectKeyStore implements SubjectKeyStore {
  readonly #keys = new Map<string, SubjectKeyRow>();
  readonly #bySubject = new Map<string, string>();
  /** executionId -> binding, in binding order. */
  readonly #bound = new Map<string, { workspaceId: string; keyId: string; at: number }>();

  async insert(row: SubjectKeyRow): Promise<SubjectKeyRow> {
    const known = await this.bySubject(row.workspaceId, row.subjectHash);
    if (known) return known;
    if (this.#keys.has(row.keyId)) throw new Error(`Subject key ${row.keyId} already exists`);
    this.#keys.set(row.keyId, { ...row });
    this.#bySubject.set(`${row.workspaceId}\n${row.subjectHash}`, row.keyId);
    return { ...row };
  }

  async bySubject(workspaceId: string, subjectHash: string): Promise<SubjectKeyRow | undefined> {
    const keyId = this.#bySubject.get(`${workspaceId}\n${subjectHash}`);
    return keyId === undefined ? undefined : this.byId(keyId);
  }

  async byId(keyId: string): Promise<SubjectKeyRow | undefined> {
    const row = this.#keys.get(keyId);
    return row && { ...row };
  }

  async notWrappedBy(masterKeyId: string, limit: number, after = ''): Promise<SubjectKeyRow[]> {
    return [...this.#keys.values()]
      .filter((r) => r.masterKeyId !== masterKeyId && r.keyId > after)
      .sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0))
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async rewrap(keyId: string, fromMasterKeyId: string, toMasterKeyId: string, wrappedKey: string): Promise<boolean> {
    const row = this.#keys.get(keyId);
    if (!row || row.masterKeyId !== fromMasterKeyId) return false;
    this.#keys.set(keyId, { ...row, masterKeyId: toMasterKeyId, wrappedKey });
    return true;
  }

  async bind(workspaceId: string, executionId: string, keyId: string, now = Date.now()): Promise<void> {
    if (!this.#bound.has(executionId)) this.#bound.set(executionId, { workspaceId, keyId, at: now });
  }

  async keyOfExecution(executionId: string): Promise<string | null> {
    return this.#bound.get(executionId)?.keyId ?? null;
  }

  async executionsOf(workspaceId: string, keyId: string): Promise<string[]> {
    return [...this.#bound.entries()]
      .filter(([, b]) => b.workspaceId === workspaceId && b.keyId === keyId)
      .sort(([a, x], [b, y]) => x.at - y.at || (a < b ? -1 : a > b ? 1 : 0))
      .map(([id]) => id);
  }

  async destroy(workspaceId: string, keyId: string): Promise<number> {
    const row = this.#keys.get(keyId);
    if (!row || row.workspaceId !== workspaceId) return 0;
    this.#keys.delete(keyId);
    this.#bySubject.delete(`${row.workspaceId}\n${row.subjectHash}`);
    let bound = 0;
    for (const [id, b] of this.#bound)
      if (b.keyId === keyId) {
        this.#bound.delete(id);
        bound++;
      }
    return bound;
  }
}
