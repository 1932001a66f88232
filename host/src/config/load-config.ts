import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AddressPolicy } from '@weft/connectors';
import { parse as parseYaml } from 'yaml';
import { type OidcLoginSettings, oidcSettings } from '../auth/oidc-settings.js';
import { type PasskeySettings, passkeySettings } from '../auth/passkey-settings.js';
import { resolveVapidKeys, type VapidDetails } from '../push/vapid-keys.js';
import { type RegionSettings, regionSettings } from '../residency/region-settings.js';
import { type AiSettings, aiSettings } from './ai-settings.js';
import { type BlobSettings, blobSettings } from './blob-settings.js';
import { ConfigError } from './config-error.js';
import { type EmbedSettings, embedSettings } from './embed-settings.js';
import { type GraphqlSettings, graphqlSettings } from './graphql-settings.js';
import { makePrivateDir } from './make-private-dir.js';
import { type MarketplaceSettings, marketplaceSettings } from './marketplace-settings.js';
import { type OutboundWebhookSettings, outboundWebhookSettings } from './outbound-webhook-settings.js';
import { type ScaleOutSettings, scaleOutSettings } from './scale-out-settings.js';

/** White-label settings the web app and API docs use. */
export interface Branding {
  name: string;
  logoUrl?: string;
  primaryColor: string;
  accentColor: string;
  fontFamily?: string;
}

/** Everything the host reads from its environment or config file, validated. */
export interface HostConfig extends ScaleOutSettings {
  port: number;
  host: string;
  /** Public base URL used in printed links (sign-up, webhooks). */
  publicUrl: string;
  /** Directory for the SQLite file, the generated master key and blobs. */
  dataDir: string;
  /** `sqlite:<file>` or `postgres://...`. */
  databaseUrl: string;
  redisUrl?: string;
  /** Key prefix of everything the host keeps in Redis (queue, rate limits, event channels). */
  redisPrefix: string;
  /** `id:base64` entries, comma-separated (see `parseMasterKeys` in @weft/connectors). */
  masterKeys: string;
  /** HS256 secret signing session tokens. */
  jwtSecret: Uint8Array;
  /** Web Push VAPID keys (`WEFT_VAPID_*`, else generated into `<dataDir>/vapid.json`). */
  vapid: VapidDetails;
  /** `$env` allow-list: these variables are visible to expressions. */
  envAllow: string[];
  /**
   * CIDR ranges, addresses or host names connectors' outbound HTTP may reach although they are
   * private, loopback or link-local (`WEFT_HTTP_ALLOW`); empty: public addresses only.
   */
  httpAllow: string[];
  branding: Branding;
  corsOrigins: string[];
  /** Requests per hour per workspace on `/api/v1`. */
  rateLimitPerWorkspace: number;
  /** Requests per hour per API key. */
  rateLimitPerApiKey: number;
  /** Requests per minute per webhook path (0: unlimited). */
  rateLimitPerWebhook: number;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  ownerEmail?: string;
  ownerPassword?: string;
  seedExamples: boolean;
  workerConcurrency: number;
  /** `sync` (fastest; a looping code node blocks the event loop up to its timeout) or `async` (isolate thread pool). */
  sandboxDispatch: 'sync' | 'async';
  sessionTtlSec: number;
  refreshTtlSec: number;
  oidc?: { issuer: string; audience: string; jwksUri: string };
  /** OpenID Connect authorization-code login (`WEFT_OIDC_CLIENT_ID` and friends). */
  sso?: OidcLoginSettings;
  /** WebAuthn relying party of passkeys (`WEFT_WEBAUTHN_*`). */
  passkeys: PasskeySettings;
  /** Embed tokens and framing of `/embed/*` (`WEFT_EMBED_*`). */
  embed: EmbedSettings;
  /** Milliseconds graceful shutdown waits for in-flight executions. */
  shutdownGraceMs: number;
  /** Days the webhook delivery log keeps entries (0: until `weft prune`). */
  deliveryRetentionDays: number;
  /**
   * Whether execution analytics are collected (`WEFT_ANALYTICS`, default on). The ingest folds runs
   * into in-memory 5-minute buckets (about 1 µs per execution on the webhook path, see
   * host/bench/analytics-webhook.bench.mjs); `0` turns it off.
   */
  analytics: boolean;
  /**
   * Days each analytics tier is kept: the ingest's partial 5-minute buckets
   * (`WEFT_ANALYTICS_PARTIAL_DAYS`, 7), 5-minute rollups (`WEFT_ANALYTICS_FIVE_MINUTE_DAYS`, 30),
   * hourly and daily rollups (`WEFT_ANALYTICS_HOURLY_DAYS`, 365).
   */
  analyticsRetentionDays: { partials: number; fiveMinute: number; hourly: number };
  /** Blob storage: file system or S3, bucket settings, workspace quota, scheduled backups. */
  blob: BlobSettings;
  /** Data residency (`WEFT_REGIONS`…): each region's database and blob stores; unset: one database. */
  regions?: RegionSettings;
  /** Template marketplace: central catalogue URL, fee, moderators, Stripe. */
  marketplace: MarketplaceSettings;
  /** Outbound webhook subscriptions: retries, auto-disable, polling (`WEFT_WEBHOOK_OUT_*`). */
  outboundWebhooks: OutboundWebhookSettings;
  /** Depth and cost limits of GraphQL operations (`WEFT_GRAPHQL_MAX_DEPTH`, `WEFT_GRAPHQL_MAX_COST`). */
  graphql: GraphqlSettings;
  /** The model behind the AI routes (`WEFT_AI_*`); none set means the offline planner. */
  ai: AiSettings;
  /** When set, `/metrics` requires `Authorization: Bearer <this token>`. */
  metricsToken?: string;
  /** Warnings produced while loading (e.g. a generated master key). */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads the host configuration from `WEFT_*` environment variables, optionally layered over a
 * JSON/YAML file named by `WEFT_CONFIG` (file keys are the variable names without `WEFT_`, in any
 * case: `{ port: 8080 }`). Every bad value throws a {@link ConfigError} naming the setting. When no
 * master key is configured one is generated and persisted under `dataDir` (with a warning).
 *
 * @example
 * ```ts
 * const config = loadConfig({ WEFT_PORT: '8080' });
 * console.log(config.port, config.databaseUrl);
 * ```
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): HostConfig {
  const merged: Env = { ...fileSettings(env.WEFT_CONFIG, cwd), ...env };
  const problems: string[] = [];
  const warnings: string[] = [];
  const str = (name: string, fallback?: string): string | undefined => {
    const v = merged[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const list = (name: string): string[] =>
    (str(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const color = (name: string, fallback: string): string => {
    const v = str(name, fallback) as string;
    if (!/^#[0-9a-fA-F]{3,8}$/.test(v)) problems.push(`${name} must be a hex colour like #4f46e5, got "${v}"`);
    return v;
  };

  const oneOf = <T extends string>(name: string, options: readonly T[], fallback: T): T => {
    const v = str(name, fallback) as T;
    if (!options.includes(v)) problems.push(`${name} must be one of ${options.join(', ')}, got "${v}"`);
    return v;
  };

  const port = int('WEFT_PORT', 3000, 0, 65535);
  const host = str('WEFT_HOST', '0.0.0.0') as string;
  const dataDir = resolve(cwd, str('WEFT_DATA_DIR', '.weft') as string);
  const databaseUrl = str('WEFT_DATABASE_URL', `sqlite:${join(dataDir, 'weft.db')}`) as string;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push(`WEFT_DATABASE_URL must start with sqlite: or postgres://, got "${redact(databaseUrl)}"`);
  }
  const redisUrl = str('WEFT_REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push(`WEFT_REDIS_URL must start with redis:// or rediss://, got "${redact(redisUrl)}"`);
  }
  const logLevel = str('WEFT_LOG_LEVEL', 'info') as HostConfig['logLevel'];
  if (!LEVELS.includes(logLevel))
    problems.push(`WEFT_LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${logLevel}"`);
  const corsOrigins = list('WEFT_CORS_ORIGINS');
  for (const o of corsOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/]+$/.test(o))
      problems.push(`WEFT_CORS_ORIGINS entry "${o}" must be * or an origin like https://app.example.com`);
  }
  const publicUrl = (str('WEFT_PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\//.test(publicUrl)) problems.push(`WEFT_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const ownerEmail = str('WEFT_OWNER_EMAIL');
  const ownerPassword = str('WEFT_OWNER_PASSWORD');
  if (ownerEmail && !ownerEmail.includes('@'))
    problems.push(`WEFT_OWNER_EMAIL must be an email address, got "${ownerEmail}"`);
  if ((ownerEmail === undefined) !== (ownerPassword === undefined)) {
    problems.push('WEFT_OWNER_EMAIL and WEFT_OWNER_PASSWORD must be set together');
  }
  if (ownerPassword !== undefined && ownerPassword.length < 8)
    problems.push('WEFT_OWNER_PASSWORD must be at least 8 characters');
  const oidc = oidcSettings(str, publicUrl, problems);
  const config: HostConfig = {
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl,
    ...(redisUrl ? { redisUrl } : {}),
    redisPrefix: str('WEFT_REDIS_PREFIX', 'weft') as string,
    ...scaleOutSettings(str, bool, { databaseUrl, redisUrl }, problems),
    masterKeys: '',
    jwtSecret: new Uint8Array(),
    vapid: { publicKey: '', privateKey: '', subject: '' },
    envAllow: list('WEFT_ENV_ALLOW'),
    httpAllow: httpAllow(list('WEFT_HTTP_ALLOW'), problems),
    branding: {
      name: str('WEFT_BRAND_NAME', 'Weft') as string,
      ...(str('WEFT_BRAND_LOGO_URL') ? { logoUrl: str('WEFT_BRAND_LOGO_URL') } : {}),
      primaryColor: color('WEFT_BRAND_PRIMARY_COLOR', '#4f46e5'),
      accentColor: color('WEFT_BRAND_ACCENT_COLOR', '#0ea5e9'),
      ...(str('WEFT_BRAND_FONT') ? { fontFamily: str('WEFT_BRAND_FONT') } : {}),
    },
    corsOrigins,
    rateLimitPerWorkspace: int('WEFT_RATE_LIMIT_WORKSPACE', 5000, 1),
    rateLimitPerApiKey: int('WEFT_RATE_LIMIT_API_KEY', 5000, 1),
    rateLimitPerWebhook: int('WEFT_RATE_LIMIT_WEBHOOK', 0, 0),
    bodyLimitBytes: int('WEFT_BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    requestTimeoutMs: int('WEFT_REQUEST_TIMEOUT_MS', 30_000, 100),
    logLevel,
    ...(ownerEmail ? { ownerEmail } : {}),
    ...(ownerPassword ? { ownerPassword } : {}),
    seedExamples: bool('WEFT_SEED_EXAMPLES', true),
    workerConcurrency: int('WEFT_WORKER_CONCURRENCY', 8, 1, 1000),
    sandboxDispatch: oneOf('WEFT_SANDBOX_DISPATCH', ['sync', 'async'] as const, 'sync'),
    sessionTtlSec: int('WEFT_SESSION_TTL_SEC', 900, 30),
    refreshTtlSec: int('WEFT_REFRESH_TTL_SEC', 30 * 24 * 3600, 60),
    ...(oidc.verifier ? { oidc: oidc.verifier } : {}),
    ...(oidc.login ? { sso: oidc.login } : {}),
    passkeys: passkeySettings(str, publicUrl, problems),
    embed: embedSettings(str, publicUrl, problems),
    shutdownGraceMs: int('WEFT_SHUTDOWN_GRACE_MS', 10_000, 0),
    deliveryRetentionDays: int('WEFT_DELIVERY_RETENTION_DAYS', 14, 0, 3650),
    analytics: bool('WEFT_ANALYTICS', true),
    analyticsRetentionDays: {
      partials: int('WEFT_ANALYTICS_PARTIAL_DAYS', 7, 1, 3650),
      fiveMinute: int('WEFT_ANALYTICS_FIVE_MINUTE_DAYS', 30, 1, 3650),
      hourly: int('WEFT_ANALYTICS_HOURLY_DAYS', 365, 1, 36500),
    },
    blob: blobSettings(str, int, bool, dataDir, problems),
    marketplace: marketplaceSettings(str, int, ownerEmail, problems),
    outboundWebhooks: outboundWebhookSettings(int),
    graphql: graphqlSettings(int),
    ai: aiFrom(merged, problems),
    ...(str('WEFT_METRICS_TOKEN') ? { metricsToken: str('WEFT_METRICS_TOKEN') } : {}),
    warnings,
  };
  const regions = regionSettings(str, config.blob, dataDir, problems);
  if (regions) config.regions = regions;
  if (problems.length) throw new ConfigError(problems);
  config.masterKeys = secretSetting(
    merged,
    'WEFT_MASTER_KEY',
    dataDir,
    'master.key',
    () => `k1:${randomBytes(32).toString('base64')}`,
    warnings,
    problems,
  );
  const jwt = secretSetting(
    merged,
    'WEFT_JWT_SECRET',
    dataDir,
    'jwt.secret',
    () => randomBytes(48).toString('base64'),
    undefined,
    problems,
  );
  config.vapid = resolveVapidKeys(merged, dataDir, { publicUrl, ownerEmail, problems, warnings });
  if (problems.length) throw new ConfigError(problems);
  config.jwtSecret = new TextEncoder().encode(jwt);
  return config;
}

function secretSetting(
  env: Env,
  name: string,
  dataDir: string,
  file: string,
  generate: () => string,
  warnings: string[] | undefined,
  problems: string[],
): string {
  const given = env[name];
  if (given) {
    if (name === 'WEFT_MASTER_KEY') {
      for (const [i, entry] of given.split(',').entries()) {
        const sep = entry.indexOf(':');
        const key = sep > 0 ? Buffer.from(entry.slice(sep + 1).trim(), 'base64') : undefined;
        if (key?.length !== 32) problems.push(`${name} entry ${i + 1} must look like "id:<32 bytes in base64>"`);
      }
    } else if (given.length < 32) problems.push(`${name} must be at least 32 characters`);
    return given;
  }
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = generate();
  makePrivateDir(dirname(path));
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  warnings?.push(
    `${name} is not set: generated one and saved it to ${path}. Back it up — credentials cannot be decrypted without it.`,
  );
  return value;
}

function fileSettings(file: string | undefined, cwd: string): Env {
  if (!file) return {};
  const path = resolve(cwd, file);
  let doc: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    doc = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`WEFT_CONFIG file ${path} cannot be read: ${(e as Error).message.split('\n')[0]}`]);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError([`WEFT_CONFIG file ${path} must hold an object of settings`]);
  }
  const out: Env = {};
  for (const [k, v] of Object.entries(doc)) {
    const key = `WEFT_${k
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toUpperCase()
      .replace(/^WEFT_/, '')}`;
    // Lists become comma lists; objects (e.g. `embedPublicKeys`, a JWKS) stay JSON.
    out[key] = Array.isArray(v) ? v.join(',') : v && typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function httpAllow(entries: string[], problems: string[]): string[] {
  for (const entry of entries) {
    try {
      new AddressPolicy({ allow: [entry] });
    } catch (e) {
      problems.push(`WEFT_HTTP_ALLOW: ${(e as Error).message}`);
    }
  }
  return entries;
}

function aiFrom(env: Env, problems: string[]): AiSettings {
  try {
    return aiSettings(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
    return { timeoutMs: 60_000, rateLimitPerMinute: 30 };
  }
}
