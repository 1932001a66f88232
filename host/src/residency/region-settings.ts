import { isAbsolute, join, resolve } from 'node:path';
import type { BlobSettings } from '../config/blob-settings.js';

/** One data-residency region: its own database and blob stores. */
export interface RegionSetting {
  /** Lower-case name, as in `WEFT_REGIONS` (`eu`, `us-east`). */
  name: string;
  /** The region's database (`postgres://…`; `sqlite:<file>` for local trials). */
  databaseUrl: string;
  /** The region's blob buckets (files, exports, compliance documents, backups). */
  blob: BlobSettings;
  /** Directory of the region's large node-run payloads (above the 64 KiB inline threshold). */
  payloadBlobRoot: string;
}

/** Data residency (`WEFT_REGIONS`, `WEFT_REGION_BLOBS`, `WEFT_DEFAULT_REGION`). */
export interface RegionSettings {
  regions: RegionSetting[];
  /** The region of workspaces created without one (sign-up, the first-run owner, the CLI). */
  defaultRegion: string;
}

type Read = (name: string, fallback?: string) => string | undefined;

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** Entries are split at commas followed by `<name>=`, so a URL's own commas survive. */
const ENTRY_SPLIT = /,(?=\s*[a-z][a-z0-9-]{0,31}=)/;

/**
 * Reads the data-residency regions. `WEFT_REGIONS=eu=postgres://…,us=postgres://…` names each
 * region's database; `WEFT_REGION_BLOBS=eu=file:/srv/eu/buckets,us=s3:weft-us-` its blob store
 * (`file:<dir>`, or `s3:<bucket prefix>` on the S3 store `WEFT_S3_*` configures; default
 * `<data dir>/regions/<name>/buckets`); `WEFT_DEFAULT_REGION` the region of workspaces created
 * without one (default: the first listed). Unset `WEFT_REGIONS`: undefined, one database as
 * before. Problems are appended to `problems`, each naming its variable and entry.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * const env: Record<string, string> = { WEFT_REGIONS: 'eu=postgres://db-eu/weft,us=postgres://db-us/weft' };
 * const regions = regionSettings((n) => env[n], baseBlob, '/var/lib/weft', problems);
 * regions?.defaultRegion; // 'eu'
 * ```
 */
export function regionSettings(
  str: Read,
  base: BlobSettings,
  dataDir: string,
  problems: string[],
): RegionSettings | undefined {
  const raw = str('WEFT_REGIONS');
  const blobsRaw = str('WEFT_REGION_BLOBS');
  const defaultRaw = str('WEFT_DEFAULT_REGION');
  if (raw === undefined) {
    if (blobsRaw !== undefined) problems.push('WEFT_REGION_BLOBS is set but WEFT_REGIONS is not');
    if (defaultRaw !== undefined) problems.push('WEFT_DEFAULT_REGION is set but WEFT_REGIONS is not');
    return undefined;
  }
  const dbs = entries('WEFT_REGIONS', raw, problems);
  const blobs = blobsRaw === undefined ? new Map<string, string>() : entries('WEFT_REGION_BLOBS', blobsRaw, problems);
  if (dbs.size === 0) {
    problems.push('WEFT_REGIONS needs at least one region, e.g. eu=postgres://db-eu/weft');
    return undefined;
  }
  for (const name of blobs.keys())
    if (!dbs.has(name)) problems.push(`WEFT_REGION_BLOBS names region "${name}", which WEFT_REGIONS does not list`);
  const regions: RegionSetting[] = [];
  for (const [name, databaseUrl] of dbs) {
    if (!/^(postgres(ql)?:\/\/|sqlite:)/.test(databaseUrl))
      problems.push(`WEFT_REGIONS region "${name}": the database must be postgres://… or sqlite:<file>`);
    const regionDir = join(dataDir, 'regions', name);
    regions.push({
      name,
      databaseUrl,
      blob: regionBlob(name, blobs.get(name), base, regionDir, dataDir, problems),
      payloadBlobRoot: join(regionDir, 'payloads'),
    });
  }
  sharedStores(regions, problems);
  const defaultRegion = defaultRaw ?? regions[0]?.name ?? '';
  if (!dbs.has(defaultRegion))
    problems.push(
      `WEFT_DEFAULT_REGION "${defaultRegion}" is not a region of WEFT_REGIONS (${[...dbs.keys()].join(', ')})`,
    );
  return { regions, defaultRegion };
}

function entries(variable: string, raw: string, problems: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split(ENTRY_SPLIT)) {
    const entry = part.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq).trim() : '';
    const value = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!NAME.test(name) || !value) {
      problems.push(`${variable}: "${entry}" must be <region>=<value> with a lower-case region name like eu`);
      continue;
    }
    if (out.has(name)) problems.push(`${variable}: region "${name}" is listed twice`);
    out.set(name, value);
  }
  return out;
}

function regionBlob(
  name: string,
  value: string | undefined,
  base: BlobSettings,
  regionDir: string,
  dataDir: string,
  problems: string[],
): BlobSettings {
  // Signed links of a region's file-system buckets go through its region-bound path.
  const urlPath = `/regions/${name}/blobs`;
  if (value === undefined) return { ...base, store: 'fs', root: join(regionDir, 'buckets'), urlPath };
  if (value.startsWith('file:')) {
    const dir = value.slice('file:'.length);
    if (!dir) problems.push(`WEFT_REGION_BLOBS region "${name}": file: needs a directory`);
    return { ...base, store: 'fs', root: isAbsolute(dir) ? dir : resolve(dataDir, dir), urlPath };
  }
  if (value.startsWith('s3:')) {
    const bucketPrefix = value.slice('s3:'.length);
    if (!base.s3 || !bucketPrefix) {
      problems.push(
        `WEFT_REGION_BLOBS region "${name}": s3:<bucket prefix> needs WEFT_BLOB_URL=s3: and WEFT_S3_* for the store`,
      );
      return base;
    }
    return { ...base, store: 's3', s3: { ...base.s3, bucketPrefix } };
  }
  problems.push(`WEFT_REGION_BLOBS region "${name}": "${value}" must be file:<dir> or s3:<bucket prefix>`);
  return base;
}

/** Two regions on one database or one blob location would mix their data: refused. */
function sharedStores(regions: RegionSetting[], problems: string[]): void {
  const seen = new Map<string, string>();
  for (const r of regions) {
    const where = r.blob.store === 's3' ? `s3:${r.blob.s3?.bucketPrefix}` : `file:${r.blob.root}`;
    for (const [kind, key] of [
      ['database', r.databaseUrl],
      ['blob store', where],
    ] as const) {
      const other = seen.get(`${kind} ${key}`);
      if (other)
        problems.push(`Regions "${other}" and "${r.name}" must not share one ${kind} (${withoutPassword(key)})`);
      else seen.set(`${kind} ${key}`, r.name);
    }
  }
}

/** A URL as it may appear in an error: without its password. */
function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
