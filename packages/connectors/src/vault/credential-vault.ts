import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Clock,
  type CredentialRecord,
  type CredentialRecordStore,
  type CredentialResolver,
  type CredentialStatus,
  type JsonObject,
  type ResolvedCredential,
  systemClock,
} from '@weft/engine';
import { type AuthScheme, secretValuesOf } from '../auth/auth-scheme.js';
import { CredentialBrokenError, type CredentialRef, type CredentialWriter } from '../auth/oauth2-token-manager.js';
import { open, seal } from './aes-gcm.js';
import type { MasterKey } from './master-keys.js';
import { Redactor } from './redactor.js';

/**
 * What the public API returns about a credential: never the secret values.
 *
 * @example
 * ```ts
 * const info: CredentialInfo = await vault.create({ workspaceId: 'ws1', type: 'github.token', name: 'CI', data: { token } });
 * info.fields; // ['token']
 * ```
 */
export interface CredentialInfo {
  id: string;
  workspaceId: string;
  type: string;
  name: string;
  status: CredentialStatus;
  statusReason: string | null;
  createdAt: number;
  /** Names of the fields that hold a value. */
  fields: string[];
  /**
   * OAuth2 credentials: whether tokens are stored, until when the access token is valid, who
   * connected (when the provider said) and the granted scope. No token values.
   */
  oauth2?: { connected: boolean; expiresAt?: number; account?: string; scope?: string };
}

/**
 * Field of a credential's data where a started OAuth2 authorization waits for its callback (the
 * host's state store keeps it there, encrypted, so any process can finish it). Never listed.
 *
 * @example
 * ```ts
 * await vault.updateData(ref, { [OAUTH2_PENDING_FIELD]: null }); // forget a started authorization
 * ```
 */
export const OAUTH2_PENDING_FIELD = 'oauth2Pending';

/**
 * Options of {@link CredentialVault}.
 *
 * @example
 * ```ts
 * new CredentialVault({ store, masterKeys: parseMasterKeys(process.env.WEFT_MASTER_KEYS!), schemes: authSchemesOf(github) });
 * ```
 */
export interface CredentialVaultOptions {
  store: CredentialRecordStore;
  /** Every master key that may have wrapped a data key; from configuration (see `parseMasterKeys`). */
  masterKeys: readonly MasterKey[];
  /** The key new data keys are wrapped with. Default: the last of `masterKeys`. */
  activeMasterKeyId?: string;
  /**
   * Auth schemes by credential type: required fields are checked on create, and only secret fields
   * (plus their wire forms, e.g. basic auth's pair) are taught to `redactor`. Without a scheme
   * every string field of the credential is treated as secret.
   */
  schemes?: readonly AuthScheme[];
  clock?: Clock;
  /**
   * Learns every secret the vault decrypts or writes (OAuth2 tokens refreshed at run time
   * included). Pass your own to share it with a logger built before the vault.
   */
  redactor?: Redactor;
}

/**
 * The credential vault: AES-256-GCM envelope encryption with one data key per workspace, wrapped
 * by a master key from configuration (its id stored with every wrap, so keys rotate). Secrets are
 * write-only: `get` and `list` return metadata and field names; only `resolve` (the engine's
 * {@link CredentialResolver}) decrypts. Every decrypted or written secret is added to `redactor`.
 *
 * @example
 * ```ts
 * const vault = new CredentialVault({ store, masterKeys: parseMasterKeys(process.env.WEFT_MASTER_KEYS!) });
 * const info = await vault.create({ workspaceId: 'ws1', type: 'github.token', name: 'CI bot', data: { token: 'ghp_...' } });
 * const engine = new WorkflowEngine({ credentials: vault, ... });
 * ```
 */
export class CredentialVault implements CredentialResolver, CredentialWriter {
  readonly redactor: Redactor;
  readonly #store: CredentialRecordStore;
  readonly #masters: Map<string, Uint8Array>;
  #active: string;
  readonly #clock: Clock;
  readonly #schemes: Map<string, AuthScheme>;
  readonly #dataKeys = new Map<string, { id: string; key: Uint8Array }>();

  constructor(options: CredentialVaultOptions) {
    if (options.masterKeys.length === 0) throw new Error('CredentialVault needs at least one master key');
    for (const k of options.masterKeys) {
      if (k.key.length !== 32) throw new Error(`Master key "${k.id}" must be 32 bytes, got ${k.key.length}`);
    }
    this.#store = options.store;
    this.#masters = new Map(options.masterKeys.map((k) => [k.id, k.key]));
    this.#active = options.activeMasterKeyId ?? options.masterKeys.at(-1)!.id;
    if (!this.#masters.has(this.#active)) throw new Error(`Active master key "${this.#active}" is not configured`);
    this.#clock = options.clock ?? systemClock;
    this.#schemes = new Map((options.schemes ?? []).map((s) => [s.type, s]));
    this.redactor = options.redactor ?? new Redactor();
  }

  /** Stores a new credential; returns its metadata. */
  async create(input: {
    workspaceId: string;
    type: string;
    name: string;
    data: JsonObject;
    id?: string;
  }): Promise<CredentialInfo> {
    this.#validate(input.type, input.data);
    const id = input.id ?? randomUUID();
    const record = await this.#encrypt(
      {
        id,
        workspaceId: input.workspaceId,
        type: input.type,
        name: input.name,
        createdAt: this.#clock.now(),
        status: 'active',
        statusReason: null,
      },
      input.data,
    );
    await this.#store.insert(record);
    return this.#info(record, input.data);
  }

  /** Metadata of one credential (no secret values), or undefined. */
  async get(workspaceId: string, id: string): Promise<CredentialInfo | undefined> {
    const r = await this.#store.get(workspaceId, id);
    return r && this.#info(r, await this.#decrypt(r));
  }

  /** Metadata of every credential in a workspace (no secret values). */
  async list(workspaceId: string): Promise<CredentialInfo[]> {
    const rows = await this.#store.list(workspaceId);
    return Promise.all(rows.map(async (r) => this.#info(r, await this.#decrypt(r))));
  }

  /** Renames and/or merges new field values; a field set to null is removed. */
  async update(workspaceId: string, id: string, change: { name?: string; data?: JsonObject }): Promise<CredentialInfo> {
    const r = await this.#require(workspaceId, id);
    const data = await this.#decrypt(r);
    const merged: JsonObject = { ...data };
    for (const [k, v] of Object.entries(change.data ?? {})) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    // Writing fields reconnects a broken credential; starting an OAuth2 authorization does not yet.
    const fieldsWritten = Object.keys(change.data ?? {}).some((k) => k !== OAUTH2_PENDING_FIELD);
    const reconnect = fieldsWritten ? { status: 'active' as const, statusReason: null } : {};
    const next = await this.#encrypt({ ...r, name: change.name ?? r.name, ...reconnect }, merged);
    await this.#store.update(next);
    return this.#info(next, merged);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    return this.#store.delete(workspaceId, id);
  }

  /**
   * The decrypted credential, for the engine only. Broken credentials throw
   * {@link CredentialBrokenError}, except for the OAuth2 handlers (`nodeType` starting `oauth2.`),
   * which reconnect them.
   */
  async resolve(request: { workspaceId: string; credentialId: string; nodeType: string }): Promise<ResolvedCredential> {
    const r = await this.#require(request.workspaceId, request.credentialId);
    if (r.status === 'broken' && !request.nodeType.startsWith('oauth2.')) {
      throw new CredentialBrokenError(r.id, r.statusReason ?? 'marked broken');
    }
    return { id: r.id, type: r.type, data: await this.#decrypt(r) };
  }

  /** {@link CredentialWriter}: merges refreshed tokens; writing tokens reconnects a broken credential. */
  async updateData(ref: CredentialRef, patch: JsonObject): Promise<void> {
    await this.update(ref.workspaceId, ref.credentialId, { data: patch });
  }

  /** {@link CredentialWriter}: marks the credential broken with a reason users see. */
  async markBroken(ref: CredentialRef, reason: string): Promise<void> {
    const r = await this.#require(ref.workspaceId, ref.credentialId);
    await this.#store.update({ ...r, status: 'broken', statusReason: reason });
  }

  /**
   * Re-wraps every data key with master key `toKeyId` (which must be configured alongside the old
   * ones) and makes it the active key. Reads keep working throughout: each wrap names its master
   * key, and old keys stay configured until this returns. Remove old keys from configuration only
   * afterwards. Returns how many data keys were re-wrapped.
   */
  async rotateMasterKey(toKeyId: string): Promise<{ rewrapped: number }> {
    const target = this.#masters.get(toKeyId);
    if (!target) throw new Error(`Cannot rotate to master key "${toKeyId}": it is not configured`);
    this.#active = toKeyId;
    let rewrapped = 0;
    for (const row of await this.#store.listDataKeys(toKeyId)) {
      const old = this.#masters.get(row.masterKeyId);
      if (!old)
        throw new Error(`Data key ${row.id} is wrapped by master key "${row.masterKeyId}", which is not configured`);
      const plain = open(old, { iv: row.iv, tag: row.tag, ciphertext: row.wrappedKey }, `${row.workspaceId}|${row.id}`);
      const wrap = seal(target, plain, `${row.workspaceId}|${row.id}`);
      const ok = await this.#store.rewrapDataKey(row.id, row.masterKeyId, {
        masterKeyId: toKeyId,
        iv: wrap.iv,
        tag: wrap.tag,
        wrappedKey: wrap.ciphertext,
      });
      if (ok) rewrapped++;
    }
    return { rewrapped };
  }

  #validate(type: string, data: JsonObject) {
    const scheme = this.#schemes.get(type);
    if (!scheme) return;
    for (const [name, spec] of Object.entries(scheme.fields)) {
      if (spec.required && (data[name] === undefined || data[name] === '')) {
        throw new Error(`Credential of type ${type} needs field "${name}" (${spec.label})`);
      }
    }
  }

  #info(r: CredentialRecord, data: JsonObject): CredentialInfo {
    const { id, workspaceId, type, name, status, statusReason, createdAt } = r;
    const fields = Object.keys(data)
      .filter((k) => k !== OAUTH2_PENDING_FIELD)
      .sort();
    const info: CredentialInfo = { id, workspaceId, type, name, status, statusReason, createdAt, fields };
    if (this.#schemes.get(type)?.kind === 'oauth2') {
      const text = (k: string) => (typeof data[k] === 'string' && data[k] ? { [k]: data[k] as string } : {});
      info.oauth2 = {
        connected: typeof data.accessToken === 'string' && data.accessToken !== '',
        ...(typeof data.expiresAt === 'number' ? { expiresAt: data.expiresAt } : {}),
        ...text('account'),
        ...text('scope'),
      };
    }
    return info;
  }

  async #require(workspaceId: string, id: string): Promise<CredentialRecord> {
    const r = await this.#store.get(workspaceId, id);
    if (!r) throw new Error(`Credential ${id} not found in workspace ${workspaceId}`);
    return r;
  }

  // Without the type's scheme every string field counts as secret (user names and header names
  // included): pass `schemes` so only the secret fields and their wire forms are redacted.
  #remember(type: string, data: JsonObject) {
    const scheme = this.#schemes.get(type);
    if (scheme) this.redactor.add(...secretValuesOf(scheme, data));
    else for (const v of Object.values(data)) if (typeof v === 'string') this.redactor.add(v);
  }

  async #encrypt(meta: Omit<CredentialRecord, 'keyId' | 'iv' | 'tag' | 'ciphertext'>, data: JsonObject) {
    const dk = await this.#dataKey(meta.workspaceId);
    const sealed = seal(dk.key, Buffer.from(JSON.stringify(data)), `${meta.workspaceId}|${meta.id}|${meta.type}`);
    this.#remember(meta.type, data);
    return { ...meta, keyId: dk.id, ...sealed };
  }

  async #decrypt(r: CredentialRecord): Promise<JsonObject> {
    const dk = await this.#dataKey(r.workspaceId);
    if (dk.id !== r.keyId) throw new Error(`Credential ${r.id} was encrypted with unknown data key ${r.keyId}`);
    const data = JSON.parse(open(dk.key, r, `${r.workspaceId}|${r.id}|${r.type}`).toString('utf8')) as JsonObject;
    this.#remember(r.type, data);
    return data;
  }

  async #dataKey(workspaceId: string): Promise<{ id: string; key: Uint8Array }> {
    const cached = this.#dataKeys.get(workspaceId);
    if (cached) return cached;
    let row = await this.#store.getDataKey(workspaceId);
    if (!row) {
      const id = `dk_${randomUUID()}`;
      const wrap = seal(this.#masters.get(this.#active)!, randomBytes(32), `${workspaceId}|${id}`);
      const fresh = {
        id,
        workspaceId,
        masterKeyId: this.#active,
        iv: wrap.iv,
        tag: wrap.tag,
        wrappedKey: wrap.ciphertext,
        createdAt: this.#clock.now(),
      };
      if (await this.#store.insertDataKey(fresh)) row = fresh;
      else row = await this.#store.getDataKey(workspaceId);
      if (!row) throw new Error(`Data key for workspace ${workspaceId} could not be created`);
    }
    const master = this.#masters.get(row.masterKeyId);
    if (!master)
      throw new Error(
        `Data key of workspace ${workspaceId} is wrapped by unconfigured master key "${row.masterKeyId}"`,
      );
    const key = open(master, { iv: row.iv, tag: row.tag, ciphertext: row.wrappedKey }, `${workspaceId}|${row.id}`);
    const dk = { id: row.id, key: new Uint8Array(key) };
    this.#dataKeys.set(workspaceId, dk);
    return dk;
  }
}
