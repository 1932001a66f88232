/** Who did it: a signed-in user, an API key, a user of an embedding product, Weft itself, or nobody known. */
export interface AuditActor {
  type: 'user' | 'api-key' | 'embed-user' | 'system' | 'anonymous';
  /** The user id, API key id or embed identity; for `anonymous`, what the caller claimed (an email). */
  id: string;
}

/** What it was done to: `{ type: 'workflow', id: 'wf_1' }`; `id` is null for collections. */
export interface AuditResource {
  type: string;
  id: string | null;
}

/** `success`, `failure` (refused for bad input or failed), or `denied` (not authenticated or not allowed). */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One action to record. `changes` is a summary (field names, counts, states) and never holds
 * secrets: callers pass {@link summariseChanges} output, not request bodies.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = {
 *   workspaceId: 'ws_1', actor: { type: 'user', id: 'usr_1' }, action: 'workflow.update',
 *   resource: { type: 'workflow', id: 'wf_1' }, outcome: 'success', at: Date.now(),
 *   ip: '203.0.113.7', userAgent: 'curl/8', requestId: 'req_1', changes: { fields: ['nodes'] },
 * };
 * ```
 */
export interface AuditEntry {
  workspaceId: string;
  actor: AuditActor;
  /** Dotted verb, e.g. `workflow.activate`, `auth.login`, `credential.test`. */
  action: string;
  resource: AuditResource;
  outcome: AuditOutcome;
  /** Epoch milliseconds. */
  at: number;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: Record<string, unknown> | null;
}

/**
 * A stored entry: its place in the workspace's chain (`position`, from 1), the hash of the entry
 * before it (`''` for the first) and its own hash. `seq` is the store's row id, not hashed: it
 * orders rows across workspaces and is what verification names.
 */
export interface AuditRecord extends AuditEntry {
  seq: number;
  position: number;
  prevHash: string;
  hash: string;
}

/** An entry sealed into the chain, before the store gives it a `seq`. */
export type SealedAuditEntry = Omit<AuditRecord, 'seq'>;

/** The last link of a workspace's chain: position 0 and hash `''` when it is empty. */
export interface AuditHead {
  position: number;
  hash: string;
}

/**
 * A signed statement of a chain's head: whoever holds the public key can tell that entries up to
 * `position` were exactly these, even if the database and its head row are rewritten later.
 */
export interface AuditCheckpoint {
  workspaceId: string;
  position: number;
  hash: string;
  at: number;
  keyId: string;
  /** Base64 signature over {@link checkpointPayload}. */
  signature: string;
}

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|cookie|private|credential|code$|otp|mfa/i;

/**
 * A change summary that is safe to keep forever: the names of the fields a request set (not their
 * values), with names that look secret kept but marked, plus any scalar `keep` values.
 *
 * @example
 * ```ts
 * summariseChanges({ name: 'x', data: { token: 'abc' } }); // { fields: ['data', 'name'] }
 * summariseChanges({ role: 'admin' }, ['role']); // { fields: ['role'], role: 'admin' }
 * ```
 */
export function summariseChanges(body: unknown, keep: readonly string[] = []): Record<string, unknown> | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const fields = Object.keys(record).sort();
  if (fields.length === 0) return null;
  const out: Record<string, unknown> = { fields };
  for (const k of keep) {
    const v = record[k];
    if (!SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
      out[k] = typeof v === 'string' ? v.slice(0, 200) : v;
  }
  return out;
}
