import type { IncomingMessage } from 'node:http';
import type { Logger } from '@weft/engine';
import type { Request } from 'express';
import { type ExecutionArgs, GraphQLError, getOperationAST, parse, specifiedRules, validate } from 'graphql/index.js';
import { createHandler } from 'graphql-http/lib/use/express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate } from '../http/authenticate.js';
import { ProblemError } from '../http/problem.js';
import { applyRateLimit } from '../http/rate-limit.js';
import type { UpgradeSource } from '../http/upgrade-source.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { GraphqlContext } from './graphql-context.js';
import { costLimit, depthLimit, type GraphqlLimits, maskError } from './graphql-limits.js';
import { buildHostSchema } from './graphql-schema.js';

/** Where the GraphQL endpoint (HTTP and WebSocket) lives. */
export const GRAPHQL_PATH = '/api/graphql';

const schema = buildHostSchema();

function rules(limits: GraphqlLimits, variables: Record<string, unknown> | null | undefined) {
  return [...specifiedRules, depthLimit(limits.maxDepth), costLimit(limits.maxCost, variables)];
}

/**
 * The GraphQL-over-HTTP handler (graphql-http) for `POST`/`GET /api/graphql`: the caller
 * authenticates like on REST (`Authorization: Bearer <session token or API key>`; 401 otherwise),
 * operations are checked against the depth and cost limits, and errors are masked unless meant
 * for the client. Subscriptions go over WebSocket ({@link attachGraphqlWebSocket}).
 *
 * @example
 * ```ts
 * app.all('/api/graphql', graphqlHttpHandler(runtime, logger));
 * ```
 */
export function graphqlHttpHandler(rt: HostRuntime, logger: Logger, limits: GraphqlLimits = rt.config.graphql) {
  return createHandler<GraphqlContext>({
    schema,
    context: async (req) => {
      try {
        const principal = await authenticate(rt, req.raw as Request, { allowQueryToken: false });
        // An API key's hourly budget is shared with its REST requests.
        if (principal.kind === 'apiKey')
          await applyRateLimit(
            rt.rateLimiter,
            req.context.res,
            'api-key',
            `key:${principal.key.id}`,
            rt.config.rateLimitPerApiKey,
            3_600_000,
          );
        return new GraphqlContext(rt, principal);
      } catch (e) {
        if (!(e instanceof ProblemError)) throw e;
        return [
          JSON.stringify({
            errors: [
              { message: e.message, extensions: { code: e.status === 429 ? 'RATE_LIMITED' : 'UNAUTHENTICATED' } },
            ],
          }),
          {
            status: e.status,
            statusText: e.status === 429 ? 'Too Many Requests' : 'Unauthorized',
            headers: {
              'content-type': 'application/json; charset=utf-8',
              ...(e.status === 401 ? { 'www-authenticate': 'Bearer realm="weft"' } : {}),
              ...(e.extra.headers ?? {}),
            },
          },
        ];
      }
    },
    validationRules: (_req, args) => rules(limits, args.variableValues),
    formatError: (err) => maskError(err, logger),
  });
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) at `/api/graphql`. The client sends
 * `{ authorization: 'Bearer <token>' }` as connection params; operations pass the same limits
 * and masking as over HTTP.
 *
 * @example
 * ```ts
 * const wss = attachGraphqlWebSocket(server, runtime, logger);
 * // client: createClient({ url: 'ws://host/api/graphql', connectionParams: { authorization: `Bearer ${token}` } })
 * ```
 */
export function attachGraphqlWebSocket(
  server: UpgradeSource,
  rt: HostRuntime,
  logger: Logger,
  limits: GraphqlLimits = rt.config.graphql,
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH) return;
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const contexts = new WeakMap<object, GraphqlContext>();
  useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          const principal = await authenticate(
            rt,
            {
              headers: { authorization: typeof authorization === 'string' ? authorization : undefined },
              query: {},
            } as never,
            { allowQueryToken: false },
          );
          contexts.set(ctx, new GraphqlContext(rt, principal));
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError('The query does not parse')];
        }
        const errors = validate(schema, document, rules(limits, payload.variables));
        if (errors.length) return errors;
        if (!getOperationAST(document, payload.operationName)) return [new GraphQLError('No such operation')];
        return {
          schema,
          document,
          variableValues: payload.variables ?? null,
          operationName: payload.operationName ?? null,
          contextValue: contexts.get(ctx),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => maskError(e, logger).toJSON()) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => maskError(e, logger).toJSON()),
    },
    wss,
  );
  return wss;
}
