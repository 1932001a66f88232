import { type Kysely, sql } from 'kysely';
import { aiTables } from './ai/ai-tables.js';
import { analyticsPartials } from './analytics/analytics-partials.js';
import { analyticsRollupsByKey } from './analytics/analytics-rollups-by-key.js';
import { analyticsSettingsTables } from './analytics/analytics-settings-tables.js';
import { analyticsTables } from './analytics/analytics-tables.js';
import { auditTables } from './compliance/audit-tables.js';
import { complianceTables } from './compliance/compliance-tables.js';
import { payloadEncryption } from './compliance/payload-encryption.js';
import { breachCounters } from './compliance/sql-breach-counters.js';
import { debugSessions } from './host/debug-sessions.js';
import { deliveriesAndEventTriggers } from './host/deliveries-and-event-triggers.js';
import { embedIdentities } from './host/embed-identities.js';
import { executionFiles } from './host/execution-files.js';
import { hostTables } from './host/host-tables.js';
import { pushSubscriptions } from './host/push-subscriptions.js';
import { ssoAndPasskeys } from './host/sso-and-passkeys.js';
import { webhookSubscriptionSecretRotation } from './host/webhook-subscription-secret-rotation.js';
import { webhookSubscriptions } from './host/webhook-subscriptions.js';
import { workflowTestSuites } from './host/workflow-test-suites.js';
import { hotExecutionUpdates } from './hot-execution-updates.js';
import { initialSchema } from './initial-schema.js';
import { marketplaceTables } from './marketplace/marketplace-tables.js';
import type { Migration } from './migration.js';
import { migrationTypes } from './migration.js';
import { queuedExecutionsIndex } from './queued-executions-index.js';
import { webhookPathsTable } from './residency/webhook-paths.js';
import { workspaceRegions } from './residency/workspace-regions.js';
import type { WeftDatabase } from './schema.js';
import type { SqlDialectName } from './sql-dialect.js';

/**
 * Weft's migrations, in version order.
 *
 * @example
 * ```ts
 * const latest = Math.max(...weftMigrations.map((m) => m.version));
 * ```
 */
export const weftMigrations: readonly Migration[] = [
  initialSchema,
  hostTables,
  pushSubscriptions,
  embedIdentities,
  deliveriesAndEventTriggers,
  debugSessions,
  queuedExecutionsIndex,
  analyticsTables,
  auditTables,
  marketplaceTables,
  analyticsPartials,
  workflowTestSuites,
  complianceTables,
  executionFiles,
  webhookSubscriptions,
  ssoAndPasskeys,
  aiTables,
  payloadEncryption,
  analyticsSettingsTables,
  workspaceRegions,
  breachCounters,
  webhookSubscriptionSecretRotation,
  analyticsRollupsByKey,
  webhookPathsTable,
  hotExecutionUpdates,
];

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was up to date). */
  applied: number[];
  /** The schema version afterwards. */
  version: number;
}

/**
 * Brings the database to the latest schema version. All pending migrations run in one
 * transaction (both SQLite and Postgres have transactional DDL): if any fails, none is applied
 * and the error names the migration. On Postgres an advisory lock keeps concurrent starters from
 * racing; `schema` is created when missing.
 *
 * @example
 * ```ts
 * const { applied } = await migrate(db, { dialect: 'sqlite' });
 * ```
 */
export async function migrate(
  db: Kysely<WeftDatabase>,
  options: { dialect: SqlDialectName; schema?: string; migrations?: readonly Migration[] },
): Promise<MigrateResult> {
  const migrations = [...(options.migrations ?? weftMigrations)].sort((a, b) => a.version - b.version);
  return db.transaction().execute(async (trx) => {
    if (options.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
      if (options.schema) await trx.schema.createSchema(options.schema).ifNotExists().execute();
    }
    const tx = options.schema ? trx.withSchema(options.schema) : trx;
    await tx.schema
      .createTable('weft_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', migrationTypes(options.dialect).millis, (c) => c.notNull())
      .execute();
    const done = new Set((await tx.selectFrom('weft_migrations').select('version').execute()).map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await m.up(tx, {
          dialect: options.dialect,
          types: migrationTypes(options.dialect),
          schema: options.dialect === 'postgres' ? (options.schema ?? 'public') : undefined,
        });
      } catch (err) {
        const where = options.schema ? ` in schema "${options.schema}"` : '';
        throw new Error(
          `Weft migration ${m.version} (${m.name}) failed${where}; no migration of this run was applied: ${(err as Error).message}`,
          { cause: err },
        );
      }
      await tx
        .insertInto('weft_migrations')
        .values({ version: m.version, name: m.name, applied_at: Date.now() })
        .execute();
      applied.push(m.version);
    }
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  });
}

/** Arbitrary constant identifying Weft's migration lock among the server's advisory locks. */
const LOCK_KEY = 7_270_112_901;
