import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redactor } from '@weft/connectors';
import { type AuditStore, systemClock } from '@weft/engine';
import { seedBundledTemplates } from '@weft/marketplace';
import type { HostDb } from '@weft/sql';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { hashPassword } from './auth/password.js';
import { attachCollab, type CollabServer, isCollabPath } from './collab/collab-socket.js';
import type { HostConfig } from './config/load-config.js';
import { createApp } from './create-app.js';
import { attachGraphqlWebSocket, GRAPHQL_PATH } from './graphql/graphql-server.js';
import { webhookIngress } from './http/webhook-ingress.js';
import { attachWebSocketEvents } from './http/websocket-events.js';
import { traceHttpRequests, tracerProviderRegistered } from './observability/http-server-spans.js';
import { regionalHandler } from './residency/regional-handler.js';
import { attachRegionalSockets, type RegionalSockets } from './residency/regional-sockets.js';
import type { LaunchMode } from './runtime/execution-launcher.js';
import { createHostLogger } from './runtime/host-logger.js';
import { hostMarketplace } from './runtime/host-marketplace.js';
import { createRuntime, type HostRuntime } from './runtime/host-runtime.js';
import { seedExamples } from './workflows/seed-examples.js';

/** A running (or ready to listen) host. */
export interface Host {
  app: Express;
  runtime: HostRuntime;
  logger: Logger;
  /** Listens on `config.port` (0: any free port); resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful shutdown: stops accepting requests, stops the worker, waits for in-flight executions, closes storage. */
  close(): Promise<void>;
}

/** Options of {@link createHost}. */
export interface CreateHostOptions {
  /**
   * Default: `createHostLogger` at `config.logLevel`, which masks secret field and header names
   * and every secret value the vault knows. Bring your own built with `createHostLogger({ redactor })`
   * and pass the same `redactor` to keep the second layer.
   */
  logger?: Logger;
  /** The redactor the vault teaches every secret it sees (default: a new one, shared with the default logger). */
  redactor?: Redactor;
  /** Run a queue worker in this process (default true). */
  worker?: boolean;
  /** How executions start (default: `direct` on SQLite without Redis, else `queue`); `direct` on Postgres is for one process only. */
  launchMode?: LaunchMode;
  /** Directory of the web app build (default `host/web/dist`). */
  webDir?: string;
  /** Print/log the first-run bootstrap (default true). */
  bootstrap?: boolean;
  /** Where first-run messages go (default: stdout). */
  announce?: (line: string) => void;
  /**
   * Builds the store audit entries go to, given the database handle they are written on (the
   * runtime's, or the transaction of the workflow or credential write they record, which the store
   * should join). Default: `SqlAuditStore` in the host's database. For an embedder keeping the
   * audit trail elsewhere, and for the audit-cost bench's baseline.
   *
   * @example
   * ```ts
   * const host = await createHost(loadConfig(), { auditStore: (h) => new SqlAuditStore(h) });
   * ```
   */
  auditStore?: (h: HostDb) => AuditStore;
}

/**
 * Creates the reference host: storage, engine, worker and the Express app, with the first-run
 * owner bootstrap (`WEFT_OWNER_EMAIL`/`WEFT_OWNER_PASSWORD`, or a one-time sign-up link printed to
 * the console) and the example workflows.
 *
 * @example
 * ```ts
 * const host = await createHost(loadConfig());
 * console.log(`listening on ${await host.listen()}`);
 * process.on('SIGTERM', () => host.close());
 * ```
 */
export async function createHost(config: HostConfig, options: CreateHostOptions = {}): Promise<Host> {
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? createHostLogger({ level: config.logLevel, redactor });
  for (const w of config.warnings) logger.warn(w);
  const runtime = await createRuntime(config, {
    logger,
    redactor,
    ...(options.worker === false ? { worker: false } : {}),
    ...(options.launchMode ? { launchMode: options.launchMode } : {}),
  });
  // With WEFT_REGIONS each region's runtime resumes its own workspaces' executions (ADR 0014).
  const regions = [...(runtime.residency?.runtimes.values() ?? [])];
  if (options.auditStore) for (const rt of [runtime, ...regions]) rt.auditStore = options.auditStore;
  for (const rt of [runtime, ...regions]) {
    const resumed = await rt.launcher.resumeOrphans(await rt.identity.listWorkspaceIds());
    if (resumed) logger.info({ executions: resumed }, 'resuming executions left running by a previous process');
  }
  if (options.bootstrap !== false)
    await bootstrap(runtime, options.announce ?? ((l) => process.stdout.write(`${l}\n`)));
  // The bundled marketplace templates are listed with the examples (both off with WEFT_SEED_EXAMPLES=false).
  if (config.seedExamples)
    for (const rt of [runtime, ...regions]) await seedBundledTemplates(hostMarketplace(rt).market.store, systemClock);
  const app = createApp(runtime, logger, options.webDir ? { webDir: options.webDir } : {});
  let server: Server | undefined;
  let collab: CollabServer | undefined;
  let graphqlWs: WebSocketServer | undefined;
  let regionalSockets: RegionalSockets | undefined;
  let closing: Promise<void> | undefined;
  return {
    app,
    runtime,
    logger,
    listen() {
      return new Promise((resolve, reject) => {
        // Webhook requests go straight to the ingress, the rest to the Express app.
        const hooks = webhookIngress(runtime, logger);
        const direct = (req: IncomingMessage, res: ServerResponse) => {
          if (req.url?.startsWith('/hooks/')) hooks(req, res);
          else app(req, res);
        };
        // With WEFT_REGIONS a router hands workspace requests and webhooks to their region's app.
        const handle = runtime.residency
          ? regionalHandler(runtime.residency, direct, logger, options.webDir ? { webDir: options.webDir } : {})
          : direct;
        // Server spans only when a tracer provider is registered: no per-request cost otherwise.
        const s = createServer(tracerProviderRegistered() ? traceHttpRequests(handle) : handle);
        s.listen(config.port, config.host, () => {
          const { port } = s.address() as AddressInfo;
          resolve(`http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`);
        });
        s.keepAliveTimeout = 65_000;
        s.on('error', reject);
        // With WEFT_REGIONS a workspace's sockets go to its region's runtime; the rest (GraphQL) stay here.
        regionalSockets = runtime.residency ? attachRegionalSockets(s, runtime.residency, logger) : undefined;
        const upgrades = regionalSockets?.control ?? s;
        attachWebSocketEvents(upgrades, runtime, (p) => isCollabPath(p) || p === GRAPHQL_PATH);
        collab = attachCollab(upgrades, runtime);
        graphqlWs = attachGraphqlWebSocket(upgrades, runtime, logger);
        server = s;
      });
    },
    close() {
      closing ??= (async () => {
        // Requests waiting for queued executions answer 503 now instead of holding the shutdown.
        runtime.launcher.stopWaiting();
        await collab?.close();
        await regionalSockets?.close();
        for (const c of graphqlWs?.clients ?? []) c.terminate();
        graphqlWs?.close();
        if (server) {
          const s = server;
          await new Promise<void>((r) => {
            s.close(() => r());
            s.closeIdleConnections();
            setTimeout(() => s.closeAllConnections(), config.shutdownGraceMs).unref();
          });
        }
        await runtime.close();
      })();
      return closing;
    },
  };
}

async function bootstrap(rt: HostRuntime, announce: (line: string) => void): Promise<void> {
  if ((await rt.identity.countUsers()) > 0) return;
  const cfg = rt.config;
  if (cfg.ownerEmail && cfg.ownerPassword) {
    const user = await rt.identity.createUser({
      email: cfg.ownerEmail,
      name: null,
      passwordHash: await hashPassword(cfg.ownerPassword),
    });
    const ws = await rt.identity.createWorkspace('Default', user.id);
    const home = rt.residency ? rt.residency.runtime(rt.residency.defaultRegion) : rt;
    if (cfg.seedExamples) await seedExamples(home, ws.id);
    announce(`Created the owner account ${cfg.ownerEmail} (from WEFT_OWNER_EMAIL) with workspace "Default".`);
    return;
  }
  const token = await rt.sessions.createSignupToken({ role: 'owner', ttlSec: 24 * 3600 });
  announce('');
  announce('  First run: create the owner account with this one-time link (valid 24 h):');
  announce(`    ${cfg.publicUrl}/signup?token=${token}`);
  announce('  or from a terminal:');
  announce(`    curl -X POST ${cfg.publicUrl}/api/v1/auth/signup -H 'content-type: application/json' \\`);
  announce(`      -d '{"token":"${token}","email":"you@example.com","password":"at-least-8-chars"}'`);
  announce('');
}
