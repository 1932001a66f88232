import { connect } from 'node:net';

/**
 * External services the suites can run against, with the variable naming each one's URL.
 *
 * @example
 * ```ts
 * const url = process.env[SERVICE_ENV.pg]; // WEFT_TEST_PG_URL
 * ```
 */
export const SERVICE_ENV = { pg: 'WEFT_TEST_PG_URL', redis: 'WEFT_TEST_REDIS_URL' } as const;

/** A service a test suite depends on. */
export type ServiceName = keyof typeof SERVICE_ENV;

/** Whether a service-backed suite runs, and against which URL. */
export interface ServiceTarget {
  /** True when the suite must be skipped (the URL is unset or the server unreachable, and services are not required). */
  skip: boolean;
  /** Why the suite is skipped, or why it will fail; empty when the service is usable. */
  reason: string;
  /** The URL to connect to. Throws `reason` when the service is unusable, so a required-but-missing service fails the suite. */
  url(): string;
  /** A suite title carrying the skip reason, so it shows up in the test report. */
  title(base: string): string;
}

/**
 * Resolves the URL of a service for tests: `WEFT_TEST_PG_URL` / `WEFT_TEST_REDIS_URL`. Without it
 * (or when the server does not accept a TCP connection) the suite is skipped with the reason
 * printed; with `WEFT_REQUIRE_SERVICES=1` it is not skipped, and `url()` throws so it fails.
 *
 * @example
 * ```ts
 * const pg = await serviceUrl('pg');
 * describe.skipIf(pg.skip)(pg.title('postgres store'), () => {
 *   beforeAll(() => { pool = new Pool({ connectionString: pg.url() }); });
 * });
 * ```
 */
export async function serviceUrl(
  name: ServiceName,
  env: Record<string, string | undefined> = process.env,
): Promise<ServiceTarget> {
  const variable = SERVICE_ENV[name];
  const required = env.WEFT_REQUIRE_SERVICES === '1';
  const raw = env[variable];
  let reason = '';
  if (!raw) reason = `${variable} is not set`;
  else {
    const problem = await probe(raw);
    if (problem) reason = `${name} at ${redact(raw)} is unreachable (${problem})`;
  }
  if (reason && required) reason = `${reason}, and WEFT_REQUIRE_SERVICES=1 makes it mandatory`;
  const skip = reason !== '' && !required;
  if (reason && env === process.env)
    console.warn(`[weft/testing] ${skip ? 'skipping' : 'FAILING'} ${name} suites: ${reason}`);
  return {
    skip,
    reason,
    url() {
      if (reason || !raw) throw new Error(`Service ${name}: ${reason}`);
      return raw;
    },
    title: (base) => (skip ? `${base} (skipped: ${reason})` : base),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function probe(raw: string): Promise<string | undefined> {
  let host: string;
  let port: number;
  try {
    const u = new URL(raw);
    host = u.hostname || '127.0.0.1';
    port = Number(u.port) || (u.protocol.startsWith('redis') ? 6379 : 5432);
  } catch {
    return `not a URL: ${redact(raw)}`;
  }
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (problem?: string) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(2000, () => done('connection timed out after 2000 ms'));
    socket.once('connect', () => done());
    socket.once('error', (err) => done(err.message));
  });
}
