import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { type HostConfig, loadConfig } from '../config/load-config.js';
import { regionConfig } from '../residency/attach-regions.js';
import { type BackupManifest, createBackup, restoreBackup } from '../runtime/backup.js';
import { storeBackup } from '../runtime/backup-schedule.js';
import { buildBlobStorage } from '../runtime/build-blob.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';
import { regionRuntime } from './region-runtime.js';

type Out = (line: string) => void;
type Env = Record<string, string | undefined>;

const summary = (m: BackupManifest) =>
  `${m.counts.executions} executions, ${m.counts.workflows} workflows, ${Object.values(m.blobs).reduce((a, b) => a + b, 0)} blobs`;

/** Backs up one runtime's database and blobs into `file`, or its own backups bucket. */
async function backupOne(rt: HostRuntime, where: string, file: string | undefined, out: Out): Promise<void> {
  if (file) {
    const manifest = await createBackup(rt.config, rt.blob.storage, resolve(file));
    out(`Backed up ${summary(manifest)} of ${where} to ${resolve(file)}`);
    return;
  }
  const { key, manifest } = await storeBackup(rt.config, rt.blob.storage, 'manual');
  out(`Backed up ${summary(manifest)} of ${where} to its backups bucket as ${key}`);
}

/**
 * `weft backup [--region r] [--out file.tar.gz]`: a consistent backup of the database and the
 * blobs, into a file or (default) the backups bucket under `manual/`. Safe while the host runs.
 * With `WEFT_REGIONS` (ADR 0014) each store's data stays in its place: without `--region` the
 * control database and every region are backed up, each into its own backups bucket; with
 * `--region` only that region's database and blobs (to its bucket, or `--out`).
 */
export async function backupCommand(
  options: { out?: string; region?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  return withRuntime(env, async (rt) => {
    const residency = rt.residency;
    if (!residency || options.region !== undefined) {
      const { name, runtime } = regionRuntime(rt, options.region);
      await backupOne(runtime, name ? `region ${name}` : 'the database', options.out, out);
      return 0;
    }
    if (options.out)
      throw new CliError(
        `With WEFT_REGIONS a backup file holds one region's data: add --region <${residency.names.join('|')}>, or leave out --out to back up the control database and every region into its own backups bucket`,
        2,
      );
    await backupOne(rt, 'the control database', undefined, out);
    for (const [name, runtime] of residency.runtimes) await backupOne(runtime, `region ${name}`, undefined, out);
    return 0;
  });
}

/**
 * `weft restore <file> | --key <backups bucket key> [--region r] [--force]`: restores a backup
 * into the configured database and blob storage and verifies it. Run it with the host stopped.
 * With `--region` (`WEFT_REGIONS`) the region's database and blob buckets are restored, and
 * `--key` names a backup in that region's backups bucket.
 */
export async function restoreCommand(
  options: { file?: string; key?: string; region?: string; force?: boolean },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!options.file === !options.key) throw new CliError('weft restore needs a backup file or --key <backups key>', 2);
  const config = restoreTarget(loadConfig(env), options.region);
  const blob = await buildBlobStorage(config);
  const work = await mkdtemp(join(tmpdir(), 'weft-restore-cli-'));
  try {
    let file = options.file ? resolve(options.file) : join(work, 'backup.tar.gz');
    if (options.key) {
      const { body } = await blob.storage.bucket('backups').getStream(options.key);
      await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), createWriteStream(file));
    } else {
      // Fail early and clearly on a path that cannot be read.
      await new Promise<void>((ok, fail) =>
        createReadStream(file)
          .once('open', () => ok())
          .once('error', fail),
      ).catch((err: Error) => {
        throw new CliError(`Cannot read ${file}: ${err.message}`, 2);
      });
      file = resolve(file);
    }
    const manifest = await restoreBackup(config, blob.storage, file, { force: options.force === true });
    out(`Restored and verified ${summary(manifest)} from the backup of ${manifest.createdAt}`);
    return 0;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`Restore failed: ${(err as Error).message}`, 1);
  } finally {
    blob.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The configuration whose database and blobs a restore replaces: the control one, or `--region`'s. */
function restoreTarget(config: HostConfig, region: string | undefined): HostConfig {
  if (region === undefined) return config;
  if (!config.regions) throw new CliError('--region needs WEFT_REGIONS (this host has no regions)', 2);
  const r = config.regions.regions.find((x) => x.name === region);
  if (!r)
    throw new CliError(
      `--region must be one of ${config.regions.regions.map((x) => x.name).join(', ')}, got "${region}"`,
      2,
    );
  return regionConfig(config, r);
}
