import type {
  CreateQueued,
  ExecutionError,
  ExecutionFilter,
  ExecutionPatch,
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  JobQueue,
  NodeRunRecord,
  Page,
  PortItems,
  PruneOptions,
  PruneProgress,
} from '@weft/engine';
import { isSealedError, openError, sealError } from './sealed-error.js';
import { isSealed, openJson, type SealedPayload, type SubjectKey, sealJson } from './sealed-payload.js';

/**
 * Where {@link SubjectSealingExecutionStore} finds per-subject keys: created on first use,
 * destroyed on erasure. The host keeps them wrapped with its master key (`SqlSubjectKeys`).
 */
export interface SubjectKeys {
  /** The subject's key in the workspace, created on first use. */
  keyFor(workspaceId: string, subject: string): Promise<{ keyId: string; key: SubjectKey }>;
  /** A key by id; undefined once destroyed. */
  key(keyId: string): Promise<SubjectKey | undefined>;
  /** Remembers that an execution's payloads are sealed with `keyId`. */
  bindExecution(workspaceId: string, executionId: string, keyId: string): Promise<void>;
  /** The key an execution's payloads are sealed with; null when it carries no subject. */
  executionKey(executionId: string): Promise<string | null>;
}

/** What an erased payload reads as. */
export const ERASED_ITEMS: PortItems = { main: [{ json: { $erased: true } }] };

/** Options of {@link SubjectSealingExecutionStore}. */
export interface SubjectSealingOptions {
  keys: SubjectKeys;
  /** The data subject a new execution carries (from its trigger input), or undefined. */
  subjectOf(record: ExecutionRecord): Promise<string | undefined> | string | undefined;
  /**
   * The id of the workspace's payload key when the workspace encrypts every execution payload at
   * rest (HIPAA-style), else undefined: executions without a subject are then sealed with it.
   */
  payloadKeyOf?(record: ExecutionRecord): Promise<string | undefined> | string | undefined;
  /** Executions whose sealing decision is remembered in memory (default 10,000). */
  remember?: number;
}

/**
 * An {@link ExecutionStore} decorator for GDPR crypto-shredding: an execution whose trigger input
 * names a data subject has its payloads (trigger input, output, every node run's input, output
 * and state, and the message and details of every error) encrypted with that subject's key before they reach the inner store, and opened again
 * on read. Destroying the key erases them everywhere, backups included; they then read as
 * {@link ERASED_ITEMS}. With `payloadKeyOf`, executions of workspaces that encrypt every payload
 * at rest and name no subject are sealed the same way with the workspace's payload key. Other
 * executions pass through untouched (one map lookup). Encryption is synchronous (node:crypto).
 *
 * @example
 * ```ts
 * const executions = new SubjectSealingExecutionStore(sqlExecutions, {
 *   keys, subjectOf: (r) => r.input.main?.[0]?.json.email as string | undefined,
 * });
 * ```
 */
export class SubjectSealingExecutionStore implements ExecutionStore {
  readonly #inner: ExecutionStore;
  readonly #keys: SubjectKeys;
  readonly #subjectOf: SubjectSealingOptions['subjectOf'];
  readonly #payloadKeyOf: SubjectSealingOptions['payloadKeyOf'];
  readonly #remember: number;
  /** executionId -> key id (null: no subject), for executions this process wrote. */
  readonly #decided = new Map<string, string | null>();

  constructor(inner: ExecutionStore, options: SubjectSealingOptions) {
    this.#inner = inner;
    this.#keys = options.keys;
    this.#subjectOf = options.subjectOf;
    this.#payloadKeyOf = options.payloadKeyOf;
    this.#remember = options.remember ?? 10_000;
  }

  async create(record: ExecutionRecord): Promise<{ created: boolean; record: ExecutionRecord }> {
    return this.#createSealed(record, (stored) => this.#inner.create(stored));
  }

  createQueuedIn(queue: JobQueue): CreateQueued | undefined {
    const inner = this.#inner.createQueuedIn?.(queue);
    return inner && ((record, job, options) => this.#createSealed(record, (stored) => inner(stored, job, options)));
  }

  async #createSealed(
    record: ExecutionRecord,
    write: (stored: ExecutionRecord) => Promise<{ created: boolean; record: ExecutionRecord }>,
  ): Promise<{ created: boolean; record: ExecutionRecord }> {
    const keyId = await this.#keyForNew(record);
    this.#note(record.id, keyId);
    if (keyId === null) return write(record);
    const key = await this.#sealingKey(keyId);
    const sealed = { ...record, input: seal(record.input, key, keyId) };
    if (record.output !== undefined) sealed.output = seal(record.output, key, keyId);
    if (record.error !== undefined) sealed.error = sealError(record.error, key, keyId);
    const result = await write(sealed);
    if (!result.created) return { created: false, record: await this.#openRecord(result.record) };
    return { created: true, record };
  }

  async get(workspaceId: string | undefined, executionId: string): Promise<ExecutionRecord | undefined> {
    const r = await this.#inner.get(workspaceId, executionId);
    if (!r) return undefined;
    // The stored input tells the key (create seals it whenever there is one): a worker that read the
    // execution need not ask the key table again when it checkpoints.
    if (!this.#decided.has(executionId)) this.#note(executionId, isSealed(r.input) ? r.input.$sealed.kid : null);
    return this.#openRecord(r);
  }

  async update(executionId: string, patch: ExecutionPatch): Promise<void> {
    return this.#inner.update(executionId, await this.#sealPatch(executionId, patch));
  }

  async transition(executionId: string, from: ExecutionStatus, patch: ExecutionPatch): Promise<boolean> {
    return this.#inner.transition(executionId, from, await this.#sealPatch(executionId, patch));
  }

  checkpoint(executionId: string, runs: NodeRunRecord[], patch?: ExecutionPatch): Promise<void> {
    // An execution this process created without a subject (the webhook hot path): no await.
    if (this.#decided.get(executionId) === null) return this.#inner.checkpoint(executionId, runs, patch);
    return this.#checkpointSealed(executionId, runs, patch);
  }

  async #checkpointSealed(executionId: string, runs: NodeRunRecord[], patch?: ExecutionPatch): Promise<void> {
    const keyId = await this.#keyOf(executionId);
    if (keyId === null) return this.#inner.checkpoint(executionId, runs, patch);
    const key = await this.#sealingKey(keyId);
    const sealedRuns = runs.map((r) => sealRun(r, key, keyId));
    return this.#inner.checkpoint(executionId, sealedRuns, patch && (await this.#sealPatch(executionId, patch)));
  }

  async listNodeRuns(executionId: string, options?: { nodeIds?: readonly string[] }): Promise<NodeRunRecord[]> {
    const runs = await this.#inner.listNodeRuns(executionId, options);
    if (!runs.some((r) => isSealed(r.input) || isSealed(r.output) || isSealed(r.state) || isSealedError(r.error))) {
      return runs;
    }
    const keys = new Map<string, Promise<SubjectKey | undefined>>();
    return Promise.all(runs.map((r) => this.#openRun(r, keys)));
  }

  async list(workspaceId: string, filter?: ExecutionFilter): Promise<Page<ExecutionRecord>> {
    const page = await this.#inner.list(workspaceId, filter);
    return { ...page, items: await this.openRecords(page.items) };
  }

  async listDueWaiting(dueBy: number, limit: number): Promise<ExecutionRecord[]> {
    return this.openRecords(await this.#inner.listDueWaiting(dueBy, limit));
  }

  async listQueued(startedBefore: number, limit: number): Promise<ExecutionRecord[]> {
    return this.openRecords(await this.#inner.listQueued(startedBefore, limit));
  }

  delete(workspaceId: string, executionId: string): Promise<boolean> {
    this.#decided.delete(executionId);
    return this.#inner.delete(workspaceId, executionId);
  }

  pruneExecutions(options: PruneOptions): AsyncIterable<PruneProgress> {
    return this.#inner.pruneExecutions(options);
  }

  /** Opens sealed payloads of records read elsewhere (e.g. an SQL search), erased ones as {@link ERASED_ITEMS}. */
  async openRecords(records: ExecutionRecord[]): Promise<ExecutionRecord[]> {
    if (!records.some((r) => isSealed(r.input) || isSealed(r.output) || isSealedError(r.error))) return records;
    const keys = new Map<string, Promise<SubjectKey | undefined>>();
    return Promise.all(records.map((r) => this.#openRecord(r, keys)));
  }

  async #keyForNew(record: ExecutionRecord): Promise<string | null> {
    if (record.parentExecutionId) {
      const parent = await this.#keyOf(record.parentExecutionId);
      if (parent) return parent;
    }
    const subject = await this.#subjectOf(record);
    const keyId =
      subject === undefined
        ? await this.#payloadKeyOf?.(record)
        : (await this.#keys.keyFor(record.workspaceId, subject)).keyId;
    if (keyId === undefined) return null;
    await this.#keys.bindExecution(record.workspaceId, record.id, keyId);
    return keyId;
  }

  async #keyOf(executionId: string): Promise<string | null> {
    const known = this.#decided.get(executionId);
    if (known !== undefined) return known;
    const keyId = await this.#keys.executionKey(executionId);
    this.#note(executionId, keyId);
    return keyId;
  }

  #note(executionId: string, keyId: string | null): void {
    if (this.#decided.size >= this.#remember) {
      const oldest = this.#decided.keys().next().value;
      if (oldest !== undefined) this.#decided.delete(oldest);
    }
    this.#decided.set(executionId, keyId);
  }

  async #sealingKey(keyId: string): Promise<SubjectKey> {
    const key = await this.#keys.key(keyId);
    if (!key) throw new Error(`The data-subject key ${keyId} was erased: nothing more is stored for this execution`);
    return key;
  }

  async #sealPatch(executionId: string, patch: ExecutionPatch): Promise<ExecutionPatch> {
    if (patch.output === undefined && patch.error === undefined) return patch;
    const keyId = await this.#keyOf(executionId);
    if (keyId === null) return patch;
    const key = await this.#sealingKey(keyId);
    const sealed = { ...patch };
    if (patch.output !== undefined) sealed.output = seal(patch.output, key, keyId);
    if (patch.error !== undefined) sealed.error = sealError(patch.error, key, keyId);
    return sealed;
  }

  #lookup(kid: string, keys: Map<string, Promise<SubjectKey | undefined>>): Promise<SubjectKey | undefined> {
    let key = keys.get(kid);
    if (!key) {
      key = this.#keys.key(kid);
      keys.set(kid, key);
    }
    return key;
  }

  async #open<T>(value: T, keys: Map<string, Promise<SubjectKey | undefined>>, erased: unknown): Promise<T> {
    if (!isSealed(value)) return value;
    const k = await this.#lookup(value.$sealed.kid, keys);
    return (k ? openJson(value, k) : erased) as T;
  }

  async #openError(error: ExecutionError, keys: Map<string, Promise<SubjectKey | undefined>>): Promise<ExecutionError> {
    if (!isSealedError(error)) return error;
    const kid = (error.details as unknown as SealedPayload).$sealed.kid;
    return openError(error, await this.#lookup(kid, keys));
  }

  async #openRecord(
    r: ExecutionRecord,
    keys = new Map<string, Promise<SubjectKey | undefined>>(),
  ): Promise<ExecutionRecord> {
    if (!isSealed(r.input) && !isSealed(r.output) && !isSealedError(r.error)) return r;
    const out = { ...r, input: await this.#open(r.input, keys, ERASED_ITEMS) };
    if (r.output !== undefined) out.output = await this.#open(r.output, keys, ERASED_ITEMS);
    if (r.error !== undefined) out.error = await this.#openError(r.error, keys);
    return out;
  }

  async #openRun(r: NodeRunRecord, keys: Map<string, Promise<SubjectKey | undefined>>): Promise<NodeRunRecord> {
    const out = { ...r };
    if (r.input !== undefined) out.input = await this.#open(r.input, keys, ERASED_ITEMS);
    if (r.output !== undefined) out.output = await this.#open(r.output, keys, ERASED_ITEMS);
    if (r.state !== undefined) out.state = await this.#open(r.state, keys, null);
    if (r.error !== undefined) out.error = await this.#openError(r.error, keys);
    return out;
  }
}

/** The sealed envelope, typed as the payload column it replaces (it is stored as that JSON). */
function seal(value: unknown, key: SubjectKey, keyId: string): PortItems {
  return sealJson(value, key, keyId) as unknown as PortItems;
}

function sealRun(run: NodeRunRecord, key: SubjectKey, keyId: string): NodeRunRecord {
  const out = { ...run };
  if (run.input !== undefined) out.input = seal(run.input, key, keyId);
  if (run.output !== undefined) out.output = seal(run.output, key, keyId);
  if (run.state !== undefined) out.state = seal(run.state, key, keyId) as never;
  if (run.error !== undefined) out.error = sealError(run.error, key, keyId);
  return out;
}
