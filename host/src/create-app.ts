import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { aiRoutes } from './api/ai-routes.js';
import { analyticsRoutes } from './api/analytics-routes.js';
import { auditLogRoutes } from './api/audit-log-routes.js';
import { authRoutes } from './api/auth-routes.js';
import { credentialRoutes } from './api/credential-routes.js';
import { deadLetterRoutes } from './api/dead-letter-routes.js';
import { debugSessionRoutes } from './api/debug-session-routes.js';
import { deliveryRoutes } from './api/delivery-routes.js';
import { embedAuthRoutes } from './api/embed-auth-routes.js';
import { eventRoutes } from './api/event-routes.js';
import { executionFileRoutes } from './api/execution-file-routes.js';
import { executionRoutes } from './api/execution-routes.js';
import { exportLinkRoutes } from './api/export-link-routes.js';
import { gdprRoutes } from './api/gdpr-routes.js';
import { marketplaceRoutes } from './api/marketplace-routes.js';
import { nodeTypeRoutes } from './api/node-type-routes.js';
import { oauth2Routes } from './api/oauth2-routes.js';
import { reportRoutes } from './api/report-routes.js';
import { scanRoutes } from './api/scan-routes.js';
import { securityAlertRoutes } from './api/security-alert-routes.js';
import { testSuiteRoutes } from './api/test-suite-routes.js';
import { testWebhookIngress, testWebhookRoutes } from './api/test-webhook-routes.js';
import { webhookSubscriptionRoutes } from './api/webhook-subscription-routes.js';
import { workflowRoutes } from './api/workflow-routes.js';
import { workspaceBundleRoutes } from './api/workspace-bundle-routes.js';
import { workspaceRoutes } from './api/workspace-routes.js';
import { GRAPHQL_PATH, graphqlHttpHandler } from './graphql/graphql-server.js';
import { embedFraming } from './http/embed-framing.js';
import { problemErrorHandler } from './http/error-handler.js';
import { checkJsonBodyDepth } from './http/json-depth.js';
import { mountRoutes } from './http/mount-routes.js';
import { apiDocsPage, openApiDocument } from './http/openapi.js';
import { ProblemError, sendProblem } from './http/problem.js';
import type { AnyRoute } from './http/route.js';
import { signedBlobRoute } from './http/signed-blob-route.js';
import { webhookIngress } from './http/webhook-ingress.js';
import { pushRoutes } from './push/push-routes.js';
import type { HostRuntime } from './runtime/host-runtime.js';
import { noteWorkspaceWrites } from './runtime/read-routing.js';

/** Every API route of the host, in mount order. */
export function apiRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    ...authRoutes(rt),
    ...embedAuthRoutes(rt),
    ...workspaceRoutes(rt),
    ...workflowRoutes(rt),
    ...executionRoutes(rt),
    ...executionFileRoutes(rt),
    ...exportLinkRoutes(rt),
    ...debugSessionRoutes(rt),
    ...credentialRoutes(rt),
    ...oauth2Routes(rt),
    ...testWebhookRoutes(rt),
    ...deadLetterRoutes(rt),
    ...deliveryRoutes(rt),
    ...eventRoutes(rt),
    ...nodeTypeRoutes(rt),
    ...pushRoutes(rt),
    ...analyticsRoutes(rt),
    ...aiRoutes(rt),
    ...auditLogRoutes(rt),
    ...scanRoutes(rt),
    ...gdprRoutes(rt),
    ...marketplaceRoutes(rt),
    ...testSuiteRoutes(rt),
    ...webhookSubscriptionRoutes(rt),
    ...workspaceBundleRoutes(rt),
    ...securityAlertRoutes(rt),
    ...reportRoutes(rt),
  ];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the host's Express app over a runtime: `/api/v1` (validated JSON API), `/hooks/*`
 * (webhook ingress), `/api/openapi.json` + `/api/docs`, `/healthz`, `/readyz`, `/metrics`, and
 * the web app from `webDir` when it exists. Mount it in your own server or let `createHost` listen.
 *
 * @example
 * ```ts
 * const app = express();
 * app.use('/automation', createApp(runtime, logger));
 * ```
 */
export function createApp(rt: HostRuntime, logger: Logger, options: { webDir?: string } = {}): Express {
  const cfg = rt.config;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  const routes = apiRoutes(rt);
  const httpHist = rt.metrics.http;

  // Webhooks are the data plane: a plain node:http handler with its own request id, metrics and
  // log line, ahead of the API's middleware (and without the browser security headers).
  app.all('/hooks/{*path}', webhookIngress(rt, logger));
  app.all('/hooks-test/{*path}', testWebhookIngress(rt, logger));
  // Pre-signed file-system blob URLs: the signature is the credential; the route sets its own headers.
  app.all('/blobs/{*key}', signedBlobRoute(rt, logger));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      httpHist.observe(
        { method: req.method, route: `${req.baseUrl}${route}`, status: String(res.statusCode) },
        seconds,
      );
      if (logger.isLevelEnabled('info')) {
        logger.info(
          {
            reqId: id,
            method: req.method,
            url: req.originalUrl.split('?')[0],
            status: res.statusCode,
            ms: Math.round(seconds * 1e4) / 10,
            ...(res.hasHeader('x-weft-execution-id') ? { executionId: res.getHeader('x-weft-execution-id') } : {}),
          },
          'request',
        );
      }
    });
    if (!req.path.endsWith('/events')) {
      res.setTimeout(cfg.requestTimeoutMs, () => {
        if (!res.headersSent)
          sendProblem(
            res,
            new ProblemError(503, 'request-timeout', `The request took longer than ${cfg.requestTimeoutMs} ms`),
            id,
          );
      });
    }
    next();
  });
  const brandOrigins = [cfg.branding.logoUrl]
    .filter((u): u is string => typeof u === 'string' && /^https?:/.test(u))
    .map((u) => new URL(u).origin);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // QuickJS (the expression preview) is WebAssembly, compiled in the page.
          'script-src': ["'self'", "'wasm-unsafe-eval'"],
          // blob: previews of execution files, fetched with the session.
          'img-src': ["'self'", 'data:', 'blob:', ...brandOrigins],
          'font-src': ["'self'", 'https:', 'data:', ...brandOrigins],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use('/embed', embedFraming(cfg.embed.allowedOrigins));
  if (cfg.corsOrigins.length) {
    const any = cfg.corsOrigins.includes('*');
    app.use(
      cors({
        origin: (origin, allow) =>
          allow(null, origin !== undefined && (any ? '*' : cfg.corsOrigins.includes(origin) && origin)),
        allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id', 'x-request-id'],
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposedHeaders: ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'x-weft-execution-id'],
        optionsSuccessStatus: 204,
      }),
    );
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await rt.ping();
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ready' : 'unavailable', mode: rt.launcher.mode, webhooks: rt.webhooks.size });
  });
  app.get('/metrics', async (req, res, next) => {
    try {
      if (cfg.metricsToken && req.headers.authorization !== `Bearer ${cfg.metricsToken}`) {
        throw new ProblemError(401, 'unauthenticated', 'Metrics need Authorization: Bearer <WEFT_METRICS_TOKEN>');
      }
      res.type(rt.metrics.registry.contentType).send(await rt.metrics.registry.metrics());
    } catch (e) {
      next(e);
    }
  });
  const doc = openApiDocument(routes, {
    title: `${cfg.branding.name} API`,
    version: '1.0.0',
    serverUrl: cfg.publicUrl,
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(doc);
  });
  app.get('/api/docs', (_req, res) => {
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'content-security-policy',
      `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'`,
    );
    res
      .type('html')
      .send(
        apiDocsPage(cfg.branding.name).replace('<script type="module">', `<script type="module" nonce="${nonce}">`),
      );
  });

  // GraphQL over HTTP (graphql-http); subscriptions go over WebSocket on the same path (create-host).
  app.all(GRAPHQL_PATH, graphqlHttpHandler(rt, logger));

  const api = express.Router();
  api.use(
    express.json({
      limit: cfg.bodyLimitBytes,
      type: ['application/json', 'application/*+json'],
      verify: (req, _res, body, charset) => {
        checkJsonBodyDepth(body, charset);
        // Signed webhooks (Stripe's) are verified over the exact bytes received.
        if (req.url === '/marketplace/stripe/webhook') (req as { rawBody?: Buffer }).rawBody = body;
      },
    }),
  );
  // Read-your-writes on the read replica (WEFT_DATABASE_READ_URL): a workspace's writes pin its reads to the primary.
  api.use('/workspaces/:workspaceId', noteWorkspaceWrites(rt.reads));
  mountRoutes(api, routes, rt);
  api.use((req, _res, next) =>
    next(new ProblemError(404, 'route-not-found', `No API route ${req.method} ${req.baseUrl}${req.path}`)),
  );
  app.use('/api/v1', api);

  const webDir = options.webDir ?? join(import.meta.dirname, '..', 'web', 'dist');
  if (existsSync(webDir)) {
    // Hashed assets may be cached; the page and the service worker must be revalidated so a new
    // version reaches users.
    const noCache = (path: string) => /(index\.html|sw\.js|manifest\.webmanifest)$/.test(path);
    app.use(
      express.static(webDir, {
        index: 'index.html',
        maxAge: '1h',
        setHeaders: (res, path) => {
          if (noCache(path)) res.setHeader('cache-control', 'no-cache');
        },
      }),
    );
    app.get('/{*spa}', (req, res, next) => {
      if (req.path.startsWith('/api/') || req.path.startsWith('/hooks/') || req.path.startsWith('/hooks-test/'))
        return next();
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(join(webDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.json({ name: cfg.branding.name, api: '/api/v1', docs: '/api/docs', openapi: '/api/openapi.json' });
    });
  }
  app.use((req, _res, next) => next(new ProblemError(404, 'not-found', `Nothing at ${req.method} ${req.path}`)));
  app.use(problemErrorHandler(logger));
  return app;
}
