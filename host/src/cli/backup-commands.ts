import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { loadConfig } from '../config/load-config.js';
import { type BackupManifest, createBackup, restoreBackup } from '../runtime/backup.js';
import { storeBackup } from '../runtime/backup-schedule.js';
import { buildBlobStorage } from '../runtime/build-blob.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';

type Out = (line: string) => void;
type Env = Record<string, string | undefined>;

const summary = (m: BackupManifest) =>
  `${m.counts.executions} executions, ${m.counts.workflows} workflows, ${Object.values(m.blobs).reduce((a, b) => a + b, 0)} blobs`;

/**
 * `weft backup [--out file.tar.gz]`: a consistent backup of the database and the blobs, into a
 * file or (default) the backups bucket under `manual/`. Safe while the host runs.
 */
export async function backupCommand(options: { out?: string }, out: Out, env: Env = process.env): Promise<number> {
  return withRuntime(env, async (rt) => {
    if (options.out) {
      const file = resolve(options.out);
      const manifest = await createBackup(rt.config, rt.blob.storage, file);
      out(`Backed up ${summary(manifest)} to ${file}`);
      return 0;
    }
    const { key, manifest } = await storeBackup(rt.config, rt.blob.storage, 'manual');
    out(`Backed up ${summary(manifest)} to the backups bucket as ${key}`);
    return 0;
  });
}

/**
 * `weft restore <file> | --key <backups bucket key> [--force]`: restores a backup into the
 * configured database and blob storage and verifies it. Run it with the host stopped.
 */
export async function restoreCommand(
  options: { file?: string; key?: string; force?: boolean },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!options.file === !options.key) throw new CliError('weft restore needs a backup file or --key <backups key>', 2);
  const config = loadConfig(env);
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
