import { AsyncLocalStorage } from 'node:async_hooks';
import { AuditLog } from '@weft/compliance';
import type { CredentialVault } from '@weft/connectors';
import type { AuditEntry, WorkflowStore } from '@weft/engine';
import { ambientDb, type HostDb, inAmbientTransaction, SqlAuditStore, SqlWorkflowStore } from '@weft/sql';
import { buildVault } from '../runtime/build-vault.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { loadAuditSigner } from './ed25519-audit-signer.js';

/** What an audited request lends the writes it makes: its entry, and how many were recorded. */
export interface RequestAudit {
  recorded: number;
  /** The request's success entry, for the resource just written (`undefined`: the route's id). */
  entry(resourceId?: string | null): AuditEntry;
}

const requests = new AsyncLocalStorage<RequestAudit>();
let entered = 0;

/**
 * Makes `ctx` the audit context of the rest of the current request (called by `auditRoute`);
 * call the returned function once the request's handler has settled. The storage is disabled
 * while no request is inside one: on Node 20 an enabled AsyncLocalStorage makes every promise of
 * the process run async-hooks code, ~95 promises per webhook execution on the data plane, which
 * never reads it.
 */
export function enterRequestAudit(ctx: RequestAudit): () => void {
  entered++;
  requests.enterWith(ctx);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    if (--entered === 0) requests.disable();
  };
}

/** Stores that join the transaction {@link auditedMutation} opens. */
export interface AuditedStores {
  workflows: WorkflowStore;
  vault: CredentialVault;
}

interface Ambient extends AuditedStores {
  audit: AuditLog;
}

const ambient = new WeakMap<HostRuntime, Ambient>();

function ambientStores(rt: HostRuntime): Ambient {
  let s = ambient.get(rt);
  if (!s) {
    const h: HostDb = { db: ambientDb(rt.h.db), dialect: rt.h.dialect };
    s = {
      workflows: new SqlWorkflowStore(h),
      vault: buildVault(h, rt.config, rt.vault.redactor),
      audit: new AuditLog({
        store: rt.auditStore ? rt.auditStore(h) : new SqlAuditStore(h),
        signer: loadAuditSigner(rt.config.dataDir, process.env),
      }),
    };
    ambient.set(rt, s);
  }
  return s;
}

/**
 * Runs a workflow or credential write of an API request and appends the request's audit entry in
 * the same database transaction: the change and its entry are stored together or not at all
 * (issue 13). A write answering `false` changed nothing and records nothing. Outside a request (CLI, seeding) the write runs on the runtime's own stores.
 *
 * @example
 * ```ts
 * const stored = await auditedMutation(rt, (s) => s.workflows.save(ws, doc), (r) => r.id);
 * ```
 */
export async function auditedMutation<T>(
  rt: HostRuntime,
  write: (stores: AuditedStores) => Promise<T>,
  resourceId?: (result: T) => string | null,
): Promise<T> {
  const ctx = requests.getStore();
  if (!ctx) return write({ workflows: rt.engine.workflows, vault: rt.vault });
  const s = ambientStores(rt);
  return inAmbientTransaction(rt.h.db, async () => {
    const result = await write(s);
    if (result === false) return result; // nothing changed (e.g. not found): the refusal is recorded after the response
    await s.audit.append(ctx.entry(resourceId ? resourceId(result) : undefined));
    ctx.recorded++;
    return result;
  });
}
