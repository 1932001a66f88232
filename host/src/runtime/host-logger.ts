import type { Redactor } from '@weft/connectors';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Field and header names whose values never reach a log line. */
const SECRET_FIELDS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-webhook-secret',
  'password',
  'passwd',
  'token',
  'secret',
  'apiKey',
  'api_key',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'signingSecret',
] as const;

/** Where they sit in what the host and its libraries log: top level, header objects, a user or credential. */
const HOLDERS = [
  '',
  'headers',
  'req.headers',
  'res.headers',
  'request.headers',
  'response.headers',
  'err.headers',
  'user',
  'credential',
  'data',
];

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

/**
 * The pino `redact` paths of the host's logger: every name in the secret list at the top level
 * and under the usual holders (`req.headers.authorization`, `user.password`). Explicit paths
 * only: pino's wildcard paths (`*.password`) cost microseconds per line each, and values that
 * escape these paths are still caught by the value layer (the vault's `Redactor`).
 *
 * @example
 * ```ts
 * pino({ redact: { paths: [...LOG_REDACT_PATHS], censor: '[REDACTED]' } });
 * ```
 */
export const LOG_REDACT_PATHS: readonly string[] = HOLDERS.flatMap((holder) =>
  SECRET_FIELDS.map((name) => (holder ? `${holder}${key(name)}` : key(name).replace(/^\./, ''))),
);

/**
 * Options of {@link createHostLogger}.
 *
 * @example
 * ```ts
 * const options: HostLoggerOptions = { level: 'info', service: 'weft-host', redactor: new Redactor() };
 * ```
 */
export interface HostLoggerOptions {
  level: string;
  /** The `service` field of every line. Default `weft-host`. */
  service?: string;
  /** Secret values to remove from every line: give the same one to the vault (`createRuntime`). */
  redactor: Redactor;
  /** Where lines go. Default: stdout. */
  destination?: DestinationStream;
}

/**
 * The host's pino logger, redacting in two layers: secret field and header names
 * (`authorization`, `cookie`, `x-api-key`, `password`, `token`, `secret`, ... — pino `redact`
 * paths, see {@link LOG_REDACT_PATHS}), and every secret value the vault has decrypted or written,
 * wherever it appears in the line (a URL, an error message), matched on the serialised line by
 * the vault's `Redactor`. The second layer returns the line untouched at no cost while the vault
 * knows no secret, and scans it once otherwise.
 *
 * @example
 * ```ts
 * const redactor = new Redactor();
 * const logger = createHostLogger({ level: config.logLevel, redactor });
 * const runtime = await createRuntime(config, { logger, redactor }); // the vault teaches `redactor`
 * ```
 */
export function createHostLogger(options: HostLoggerOptions): Logger {
  const { redactor } = options;
  return pino(
    {
      level: options.level,
      base: { service: options.service ?? 'weft-host' },
      redact: { paths: [...LOG_REDACT_PATHS], censor: '[REDACTED]' },
      hooks: { streamWrite: (line) => redactor.redact(line) },
    },
    options.destination,
  );
}
