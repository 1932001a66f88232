import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  importSubjectKey,
  normaliseSubject,
  type SubjectKey,
  type SubjectKeys,
  SubjectSealingExecutionStore,
  subjectAt,
} from '@weft/compliance';
import { open, parseMasterKeys, seal } from '@weft/connectors';
import type { ExecutionStore } from '@weft/engine';
import { type HostDb, SqlComplianceSettings, SqlSubjectKeys, type SubjectKeyRow } from '@weft/sql';

/** How long a process trusts a cached subject key or workspace setting before reading it again. */
const CACHE_MS = 5_000;
/** The subject hash of a workspace's payload key: never a hex HMAC, never the hashing key's `*`. */
const PAYLOAD_SUBJECT = '#payload';

/**
 * The host's per-subject data keys: random AES-256 keys wrapped with the active master key
 * (AES-256-GCM, bound to workspace and key id) in `subject_keys`, found by an HMAC-SHA-256 of the
 * normalised identifier under a per-workspace hashing key kept in the same table (subject `*`).
 * Neither the identifier nor an unwrapped key is ever stored.
 *
 * @example
 * ```ts
 * const keys = new HostSubjectKeys(h, config.masterKeys);
 * const { keyId } = await keys.keyFor('ws_1', 'ada@example.com');
 * ```
 */
export class HostSubjectKeys implements SubjectKeys {
  readonly rows: SqlSubjectKeys;
  readonly #masters: Map<string, Uint8Array>;
  readonly #active: string;
  readonly #keys = new Map<string, { key: SubjectKey; at: number }>();
  readonly #peppers = new Map<string, Buffer>();
  readonly #payloadKeys = new Map<string, string>();

  constructor(h: HostDb, masterKeys: string) {
    const masters = parseMasterKeys(masterKeys);
    this.rows = new SqlSubjectKeys(h);
    this.#masters = new Map(masters.map((k) => [k.id, k.key]));
    this.#active = (masters.at(-1) as { id: string }).id;
  }

  /** The keyed hash a subject is stored under in a workspace. */
  async subjectHash(workspaceId: string, subject: string): Promise<string> {
    let pepper = this.#peppers.get(workspaceId);
    if (!pepper) {
      const row = await this.#ensure(workspaceId, '*');
      pepper = this.#unwrap(row);
      this.#peppers.set(workspaceId, pepper);
    }
    return createHmac('sha256', pepper).update(normaliseSubject(subject)).digest('hex');
  }

  async keyFor(workspaceId: string, subject: string): Promise<{ keyId: string; key: SubjectKey }> {
    const row = await this.#ensure(workspaceId, await this.subjectHash(workspaceId, subject));
    const key = importSubjectKey(this.#unwrap(row));
    this.#keys.set(row.keyId, { key, at: Date.now() });
    return { keyId: row.keyId, key };
  }

  async key(keyId: string): Promise<SubjectKey | undefined> {
    const cached = this.#keys.get(keyId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.key;
    const row = await this.rows.byId(keyId);
    if (!row) {
      this.#keys.delete(keyId);
      return undefined;
    }
    const key = importSubjectKey(this.#unwrap(row));
    this.#keys.set(keyId, { key, at: Date.now() });
    return key;
  }

  /**
   * The id of the workspace's payload key (created on first use): the data key every execution
   * payload of a workspace that encrypts payloads at rest is sealed with (subject hash `#payload`).
   */
  async payloadKeyId(workspaceId: string): Promise<string> {
    let keyId = this.#payloadKeys.get(workspaceId);
    if (!keyId) {
      keyId = (await this.#ensure(workspaceId, PAYLOAD_SUBJECT)).keyId;
      this.#payloadKeys.set(workspaceId, keyId);
    }
    return keyId;
  }

  /**
   * Re-wraps every data key (subject, hashing and payload keys) with master key `toKeyId`, in
   * batches, while the host runs: each key is replaced in one conditional update, readers unwrap
   * with whichever master key a row names, and a run stopped half-way resumes where it stopped
   * (keys already under `toKeyId` are not read again). Answers how many keys were re-wrapped.
   */
  async rotateMasterKey(toKeyId: string, onBatch?: (rewrapped: number) => void): Promise<number> {
    const target = this.#masterKey(toKeyId);
    let rewrapped = 0;
    let after = '';
    for (;;) {
      const rows = await this.rows.notWrappedBy(toKeyId, 500, after);
      if (rows.length === 0) return rewrapped;
      for (const row of rows) {
        const w = seal(target, this.#unwrap(row), `${row.workspaceId}|${row.keyId}`);
        if (await this.rows.rewrap(row.keyId, row.masterKeyId, toKeyId, `${w.iv}.${w.tag}.${w.ciphertext}`))
          rewrapped++;
      }
      after = rows.at(-1)?.keyId as string;
      onBatch?.(rewrapped);
    }
  }

  bindExecution(workspaceId: string, executionId: string, keyId: string): Promise<void> {
    return this.rows.bind(workspaceId, executionId, keyId);
  }

  executionKey(executionId: string): Promise<string | null> {
    return this.rows.keyOfExecution(executionId);
  }

  /** The subject's key row, if they have one. */
  async find(workspaceId: string, subject: string): Promise<SubjectKeyRow | undefined> {
    return this.rows.bySubject(workspaceId, await this.subjectHash(workspaceId, subject));
  }

  /** Destroys a key (crypto-shredding); answers how many executions were sealed with it. */
  async destroy(workspaceId: string, keyId: string): Promise<number> {
    this.#keys.delete(keyId);
    return this.rows.destroy(workspaceId, keyId);
  }

  async #ensure(workspaceId: string, subjectHash: string): Promise<SubjectKeyRow> {
    const known = await this.rows.bySubject(workspaceId, subjectHash);
    if (known) return known;
    const keyId = `${subjectHash === '*' ? 'sp' : 'sk'}_${randomUUID()}`;
    const w = seal(this.#masterKey(this.#active), randomBytes(32), `${workspaceId}|${keyId}`);
    return this.rows.insert({
      keyId,
      workspaceId,
      subjectHash,
      masterKeyId: this.#active,
      wrappedKey: `${w.iv}.${w.tag}.${w.ciphertext}`,
      createdAt: Date.now(),
    });
  }

  #unwrap(row: SubjectKeyRow): Buffer {
    const [iv = '', tag = '', ciphertext = ''] = row.wrappedKey.split('.');
    return open(this.#masterKey(row.masterKeyId), { iv, tag, ciphertext }, `${row.workspaceId}|${row.keyId}`);
  }

  #masterKey(id: string): Uint8Array {
    const key = this.#masters.get(id);
    if (!key) throw new Error(`Subject keys wrapped by master key "${id}" need that key in WEFT_MASTER_KEY`);
    return key;
  }
}

/** The sealing store and keys of a database handle, for the GDPR routes. */
export interface SubjectSealing {
  executions: SubjectSealingExecutionStore;
  keys: HostSubjectKeys;
  /** Reads a workspace's subject paths again at its next execution (after a settings change). */
  refresh(workspaceId: string): void;
}

const built = new WeakMap<HostDb, SubjectSealing>();

/**
 * Wraps the execution store so that executions whose trigger input names a data subject (the
 * workspace's `subjectPaths` compliance setting, read at most every 5 s) are sealed with that
 * subject's key (ADR 0012), and every other execution of a workspace with `encryptPayloads` on
 * (HIPAA-style encryption at rest) with the workspace's payload key. Executions of other
 * workspaces pass through.
 *
 * @example
 * ```ts
 * const executions = sealSubjectPayloads(h, config.masterKeys, storage.executions);
 * ```
 */
export function sealSubjectPayloads(h: HostDb, masterKeys: string, inner: ExecutionStore): ExecutionStore {
  const keys = new HostSubjectKeys(h, masterKeys);
  const settings = new SqlComplianceSettings(h);
  const known = new Map<string, { paths: string[]; encrypt: boolean; at: number }>();
  const settingsOf = async (workspaceId: string) => {
    let s = known.get(workspaceId);
    if (!s || Date.now() - s.at >= CACHE_MS) {
      const read = await settings.get(workspaceId);
      s = { paths: read.subjectPaths, encrypt: read.encryptPayloads === true, at: Date.now() };
      known.set(workspaceId, s);
    }
    return s;
  };
  const executions = new SubjectSealingExecutionStore(inner, {
    keys,
    async subjectOf(record) {
      return subjectAt(record.input, (await settingsOf(record.workspaceId)).paths);
    },
    async payloadKeyOf(record) {
      return (await settingsOf(record.workspaceId)).encrypt ? keys.payloadKeyId(record.workspaceId) : undefined;
    },
  });
  built.set(h, { executions, keys, refresh: (ws) => known.delete(ws) });
  return executions;
}

/**
 * The sealing of a runtime's database handle (built by `createRuntime`).
 *
 * @example
 * ```ts
 * const { keys } = subjectSealing(runtime.h);
 * ```
 */
export function subjectSealing(h: HostDb): SubjectSealing {
  const s = built.get(h);
  if (!s) throw new Error('Subject sealing was not built for this database handle');
  return s;
}
