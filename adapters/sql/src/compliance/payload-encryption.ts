import type { Migration } from '../migration.js';

/**
 * Migration 18: the workspace option to encrypt execution payloads at rest (HIPAA-style,
 * issue 13). `compliance_settings.encrypt_payloads` is 1 when every execution of the workspace has
 * its payloads (trigger input, output, node-run input, output and state) sealed with the
 * workspace's payload key: a `subject_keys` row whose subject hash is `#payload`, an AES-256 key
 * wrapped with the master key like the per-subject keys, re-wrapped by `weft keys rotate`.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const payloadEncryption: Migration = {
  version: 18,
  name: 'workspace payload encryption setting',
  async up(db) {
    await db.schema.alterTable('compliance_settings').addColumn('encrypt_payloads', 'integer').execute();
  },
};
