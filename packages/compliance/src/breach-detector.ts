import type { AuditEntry } from '@weft/engine';
import { type BreachCounters, MemoryBreachCounters } from './breach-counters.js';

/** One breach rule: which entries count, what they are counted by, and how many in how long raise it. */
export interface BreachRule {
  id: string;
  /** The key an entry is counted under (`ip:1.2.3.4`), or undefined when it does not count. */
  keyOf(entry: AuditEntry): string | undefined;
  threshold: number;
  windowMs: number;
}

/** An alert raised by a {@link BreachRule}: `count` matching entries for `key` within `windowMs`. */
export interface BreachAlert {
  rule: string;
  key: string;
  count: number;
  windowMs: number;
  /** The workspace chain of the entry that crossed the threshold. */
  workspaceId: string;
  at: number;
}

/** The action of alert entries; never counted by the rules themselves. */
export const BREACH_ALERT_ACTION = 'security.alert';

const failedLogin = (e: AuditEntry) => e.action === 'auth.login' && e.outcome !== 'success';

/**
 * The default rules: a burst of failed logins per claimed account and per IP (10 in 5 minutes),
 * a burst of refused requests (401/403) per actor (20 in 5 minutes), and mass exports per actor
 * (10 successful exports in 10 minutes).
 */
export const DEFAULT_BREACH_RULES: readonly BreachRule[] = [
  {
    id: 'failed-login-burst-account',
    keyOf: (e) => (failedLogin(e) && e.actor.id ? `account:${e.actor.id.toLowerCase()}` : undefined),
    threshold: 10,
    windowMs: 5 * 60_000,
  },
  {
    id: 'failed-login-burst-ip',
    keyOf: (e) => (failedLogin(e) && e.ip ? `ip:${e.ip}` : undefined),
    threshold: 10,
    windowMs: 5 * 60_000,
  },
  {
    id: 'denied-burst',
    keyOf: (e) =>
      e.outcome === 'denied' && e.action !== 'auth.login' ? `${e.actor.type}:${e.actor.id || e.ip}` : undefined,
    threshold: 20,
    windowMs: 5 * 60_000,
  },
  {
    id: 'mass-export',
    keyOf: (e) =>
      e.outcome === 'success' && /(^|\.)export(\.|$)/.test(e.action) ? `${e.actor.type}:${e.actor.id}` : undefined,
    threshold: 10,
    windowMs: 10 * 60_000,
  },
];

/**
 * Counts audit entries per rule and key in sliding windows and raises an alert when a key reaches
 * its rule's threshold; it then stays quiet for that key for one window (one alert per burst, not
 * one per entry). The counts live in {@link BreachCounters}: in memory by default (per process),
 * or a shared store so that a burst spread over several processes is counted once, whole.
 *
 * @example
 * ```ts
 * const detector = new BreachDetector(DEFAULT_BREACH_RULES, sharedCounters);
 * for (const alert of await detector.observe(entry)) audit.record(alertEntry(alert));
 * ```
 */
export class BreachDetector {
  readonly #rules: readonly BreachRule[];
  readonly #counters: BreachCounters;

  constructor(
    rules: readonly BreachRule[] = DEFAULT_BREACH_RULES,
    counters: BreachCounters = new MemoryBreachCounters(),
  ) {
    this.#rules = rules;
    this.#counters = counters;
  }

  /** Counts one entry; answers the alerts it raises (usually none). */
  async observe(entry: AuditEntry): Promise<BreachAlert[]> {
    if (entry.action === BREACH_ALERT_ACTION) return [];
    const alerts: BreachAlert[] = [];
    for (const rule of this.#rules) {
      const key = rule.keyOf(entry);
      if (key === undefined) continue;
      const { count, alert } = await this.#counters.hit(`${rule.id}\n${key}`, entry.at, rule.windowMs, rule.threshold);
      if (!alert) continue;
      alerts.push({ rule: rule.id, key, count, windowMs: rule.windowMs, workspaceId: entry.workspaceId, at: entry.at });
    }
    return alerts;
  }
}
