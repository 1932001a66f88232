import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';

/** A workspace's compliance settings; null fields fall back to the host's defaults. */
export interface ComplianceSettings {
  /** Activation is refused for scan findings at or above this severity (`off`: never). */
  scanBlockSeverity: string | null;
  /** Dot paths into the first trigger item that name the data subject (`customer.email`). */
  subjectPaths: string[];
  /**
   * Encrypt every execution payload of the workspace at rest with its payload key (HIPAA-style;
   * migration 18). Unset: false.
   */
  encryptPayloads?: boolean;
}

/**
 * Per-workspace compliance settings (migration 13).
 *
 * @example
 * ```ts
 * await new SqlComplianceSettings(h).put('ws_1', { scanBlockSeverity: 'high', subjectPaths: ['email'] });
 * ```
 */
export class SqlComplianceSettings {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  async get(workspaceId: string): Promise<ComplianceSettings> {
    const r = await this.#db
      .selectFrom('compliance_settings')
      .select(['scan_block_severity', 'subject_paths', 'encrypt_payloads'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return {
      scanBlockSeverity: r?.scan_block_severity ?? null,
      subjectPaths: r?.subject_paths ? (JSON.parse(r.subject_paths) as string[]) : [],
      encryptPayloads: Number(r?.encrypt_payloads ?? 0) === 1,
    };
  }

  async put(workspaceId: string, s: ComplianceSettings, now = Date.now()): Promise<void> {
    const row = {
      scan_block_severity: s.scanBlockSeverity,
      subject_paths: s.subjectPaths.length ? JSON.stringify(s.subjectPaths) : null,
      ...(s.encryptPayloads === undefined ? {} : { encrypt_payloads: s.encryptPayloads ? 1 : 0 }),
      updated_at: now,
    };
    await this.#db
      .insertInto('compliance_settings')
      .values({ workspace_id: workspaceId, ...row })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
      .execute();
  }
}
