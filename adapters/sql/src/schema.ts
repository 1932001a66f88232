import type { MillisColumn } from './schema-columns.js';
import type {
  AuditArchivesTable,
  AuditCheckpointsTable,
  AuditHeadsTable,
  AuditLogTable,
  BreachHitsTable,
  BreachQuietTable,
  ComplianceSettingsTable,
  ExecutionSubjectsTable,
  GdprRequestsTable,
  ScanRunsTable,
  SubjectKeysTable,
  WebhookPathsTable,
  WorkspaceRegionsTable,
} from './schema-compliance-tables.js';
import type {
  ApiKeysTable,
  CredentialsTable,
  DataKeysTable,
  DeadLettersTable,
  ExecutionsTable,
  MembershipsTable,
  NodeRunsTable,
  QueueJobsTable,
  SchedulesTable,
  SessionsTable,
  SignupTokensTable,
  TriggerStateTable,
  UsersTable,
  WebhooksTable,
  WorkflowsTable,
  WorkflowVersionsTable,
  WorkspacesTable,
} from './schema-core-tables.js';
import type {
  AiResponseCacheTable,
  AiUsageTable,
  AnalyticsAlertStateTable,
  AnalyticsPartialsTable,
  AnalyticsRollupsTable,
  AnalyticsSettingsTable,
  AnalyticsWatermarksTable,
  ExternalIdentitiesTable,
  MetricRollupsTable,
  OidcLoginsTable,
  WebauthnChallengesTable,
  WebauthnCredentialsTable,
  WebhookSubscriptionDeliveriesTable,
  WebhookSubscriptionsTable,
  WorkspaceSsoTable,
} from './schema-service-tables.js';

export type * from './schema-columns.js';
export type * from './schema-compliance-tables.js';
export type * from './schema-core-tables.js';
export type * from './schema-service-tables.js';

/** Applied schema migrations. */
export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: MillisColumn;
}

/**
 * Every table Weft keeps in a SQL database, as kysely sees it. The same schema serves SQLite and
 * Postgres; {@link weftMigrations} creates it.
 *
 * @example
 * ```ts
 * const db = new Kysely<WeftDatabase>({ dialect: new SqliteDialect({ database }) });
 * const rows = await db.selectFrom('executions').select(['id', 'status']).execute();
 * ```
 */
export interface WeftDatabase {
  workspaces: WorkspacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  executions: ExecutionsTable;
  node_runs: NodeRunsTable;
  queue_jobs: QueueJobsTable;
  dead_letters: DeadLettersTable;
  credentials: CredentialsTable;
  data_keys: DataKeysTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  signup_tokens: SignupTokensTable;
  webhooks: WebhooksTable;
  schedules: SchedulesTable;
  trigger_state: TriggerStateTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_archives: AuditArchivesTable;
  scan_runs: ScanRunsTable;
  compliance_settings: ComplianceSettingsTable;
  subject_keys: SubjectKeysTable;
  execution_subjects: ExecutionSubjectsTable;
  gdpr_requests: GdprRequestsTable;
  metric_rollups: MetricRollupsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_subscription_deliveries: WebhookSubscriptionDeliveriesTable;
  external_identities: ExternalIdentitiesTable;
  oidc_logins: OidcLoginsTable;
  workspace_sso: WorkspaceSsoTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  ai_response_cache: AiResponseCacheTable;
  ai_usage: AiUsageTable;
  analytics_partials: AnalyticsPartialsTable;
  analytics_rollups: AnalyticsRollupsTable;
  workspace_regions: WorkspaceRegionsTable;
  webhook_paths: WebhookPathsTable;
  breach_hits: BreachHitsTable;
  breach_quiet: BreachQuietTable;
  analytics_watermarks: AnalyticsWatermarksTable;
  analytics_settings: AnalyticsSettingsTable;
  analytics_alert_state: AnalyticsAlertStateTable;
  weft_migrations: MigrationsTable;
}
