import { AuditLog, BREACH_ALERT_ACTION, type BreachAlert, BreachDetector } from '@weft/compliance';
import type { AuditEntry } from '@weft/engine';
import { SqlAuditStore, SqlBreachCounters } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { loadAuditSigner } from './ed25519-audit-signer.js';
import { RedisBreachCounters } from './redis-breach-counters.js';

/**
 * The chain for events that belong to no workspace the caller may see: sign-up, login, logout,
 * MFA, workspace creation, and requests refused before a workspace role was established.
 */
export const INSTANCE_AUDIT_CHAIN = '_instance';

/** The host's audit log and its writes in flight. */
export interface HostAudit {
  log: AuditLog;
  /**
   * Appends in the background (never delays or fails the request); failures are logged. Each
   * entry also goes through the breach rules ({@link BreachDetector}), counted in Redis when the
   * host has it, else in the database, so every host process adds to one count: an alert is
   * recorded as a `security.alert` entry on the chain of the entry that raised it, and logged as a
   * warning.
   */
  record(entry: AuditEntry): void;
  /** Resolves when every entry recorded so far is stored. */
  settled(): Promise<void>;
}

const audits = new WeakMap<HostRuntime, HostAudit>();

/**
 * The audit log of a runtime: `SqlAuditStore` on the runtime's database (or `rt.auditStore`'s), checkpoints signed with
 * the key {@link loadAuditSigner} keeps beside the master key. Built once per runtime, whose
 * `close()` then waits for the entries still being written.
 *
 * @example
 * ```ts
 * hostAudit(runtime).record({ ...entry, action: 'auth.login', outcome: 'denied' });
 * ```
 */
export function hostAudit(rt: HostRuntime, env: Record<string, string | undefined> = process.env): HostAudit {
  const known = audits.get(rt);
  if (known) return known;
  const store = rt.auditStore ? rt.auditStore(rt.h) : new SqlAuditStore(rt.h);
  const log = new AuditLog({ store, signer: loadAuditSigner(rt.config.dataDir, env) });
  const pending = new Set<Promise<unknown>>();
  const counters = rt.redis ? new RedisBreachCounters(rt.redis, rt.config.redisPrefix) : new SqlBreachCounters(rt.h);
  const detector = new BreachDetector(undefined, counters);
  const track = (p: Promise<unknown>) => {
    const tracked = p.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const alertEntry = (a: BreachAlert): AuditEntry => ({
    workspaceId: a.workspaceId,
    actor: { type: 'system', id: 'breach-detector' },
    action: BREACH_ALERT_ACTION,
    resource: { type: 'security-alert', id: a.rule },
    outcome: 'success',
    at: a.at,
    ip: null,
    userAgent: null,
    requestId: null,
    changes: { rule: a.rule, key: a.key, count: a.count, windowMs: a.windowMs },
  });
  const audit: HostAudit = {
    log,
    record(entry) {
      track(
        detector.observe(entry).then(
          (alerts) => {
            for (const alert of alerts) {
              rt.logger.warn({ rule: alert.rule, key: alert.key, count: alert.count }, 'security alert');
              audit.record(alertEntry(alert));
            }
          },
          (err) => rt.logger.error({ err: (err as Error).message, action: entry.action }, 'breach rules not applied'),
        ),
      );
      track(
        log
          .append(entry)
          .catch((err) =>
            rt.logger.error({ err: (err as Error).message, action: entry.action }, 'audit entry not written'),
          ),
      );
    },
    async settled() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
  audits.set(rt, audit);
  // Entries are appended after their response is sent: let them land before storage closes.
  const close = rt.close.bind(rt);
  rt.close = async () => {
    await audit.settled();
    await close();
  };
  return audit;
}
