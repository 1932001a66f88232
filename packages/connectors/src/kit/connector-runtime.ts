import { randomUUID } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import {
  type BinaryRef,
  type BlobStore,
  type Logger,
  MemoryTriggerStateStore,
  type NodeContext,
  putBinary,
  type ResolvedCredential,
  readBinary,
  silentLogger,
  systemClock,
  type TriggerStateStore,
} from '@weft/engine';
import { createSigner } from '../auth/create-signer.js';
import type { OAuth2TokenManager } from '../auth/oauth2-token-manager.js';
import { createHttpClient } from '../http/http-client.js';
import type { HttpClient } from '../http/http-types.js';
import { type OutboundRateLimit, waitForRateLimit } from '../http/outbound-rate-limit.js';
import type { ConnectorContext } from './connector-context.js';
import { authSchemesOf, type ConnectorDefinition } from './define-connector.js';
import { scopedState } from './scoped-state.js';

/**
 * What the host gives connectors at run time. Everything is optional: the defaults are a safe
 * HTTP client with no allow-list, in-memory state and inline binary data.
 *
 * @example
 * ```ts
 * const runtime: ConnectorRuntime = { http: createHttpClient({ rateLimit }), tokens, state: sqlStateStore, blobs, rateLimit };
 * registry.register(...connectorNodeTypes(slack, runtime));
 * ```
 */
export interface ConnectorRuntime {
  http?: HttpClient;
  tokens?: OAuth2TokenManager;
  state?: TriggerStateStore;
  /** What `ctx.rateLimit()` waits for. */
  rateLimit?: OutboundRateLimit;
  /** Where binary outputs go; without one they are inlined as `data:` references. */
  blobs?: BlobStore;
}

/**
 * The facts a connector context is built from, inside or outside a node execution.
 *
 * @example
 * ```ts
 * createConnectorContext(slack, { props: {}, credential, workspaceId: 'ws1', scope: 'ws1/wf1/n1' } satisfies ContextInput<object>, runtime);
 * ```
 */
export interface ContextInput<P> {
  props: P;
  credential: ResolvedCredential | undefined;
  workspaceId: string;
  /** State scope, usually `${workspaceId}/${workflowId}/${nodeId}`. */
  scope: string;
  logger?: Logger;
  signal?: AbortSignal;
  execution?: NodeContext['execution'];
  /** The node run's span context (`NodeContext.trace`): the parent of the client spans of `ctx.http`. */
  trace?: Context;
  /** Where `ctx.progress` reports go (the node's `progress`); dropped when absent. */
  progress?: NodeContext['progress'];
  /** Told the secrets the signer obtains at run time (OAuth2 access tokens), for redaction. */
  onSecret?: (value: string) => void;
}

const noProgress = () => {};

const defaults = new WeakMap<ConnectorRuntime, Required<Pick<ConnectorRuntime, 'http' | 'state'>>>();

function resolved(runtime: ConnectorRuntime) {
  let d = defaults.get(runtime);
  if (!d) {
    d = { http: runtime.http ?? createHttpClient(), state: runtime.state ?? new MemoryTriggerStateStore() };
    defaults.set(runtime, d);
  }
  return d;
}

/**
 * Builds the `ctx` connectors receive: the HTTP client signed with the credential's scheme,
 * scoped state, rate limiting and binary storage.
 *
 * @example
 * ```ts
 * const ctx = createConnectorContext(slack, { props, credential, workspaceId: 'ws1', scope: 'ws1/wf1/n1' }, runtime);
 * await ctx.http.request({ url: 'https://slack.com/api/auth.test', method: 'POST' });
 * ```
 */
export function createConnectorContext<P>(
  connector: ConnectorDefinition,
  input: ContextInput<P>,
  runtime: ConnectorRuntime,
): ConnectorContext<P> {
  const { http, state } = resolved(runtime);
  let client = http;
  if (input.credential) {
    const scheme = authSchemesOf(connector).find((s) => s.type === input.credential?.type);
    if (!scheme) {
      const accepted = authSchemesOf(connector).map((s) => s.type);
      throw new Error(
        `Connector "${connector.name}" does not accept credentials of type ${input.credential.type} (accepts: ${accepted.join(', ') || 'none'})`,
      );
    }
    client = http.withSigner(
      createSigner(scheme, input.credential, {
        workspaceId: input.workspaceId,
        ...(runtime.tokens ? { tokens: runtime.tokens } : {}),
        ...(input.onSecret ? { onSecret: input.onSecret } : {}),
      }),
    );
  }
  if (input.trace) client = withTraceContext(client, input.trace);
  const signal = input.signal ?? new AbortController().signal;
  const execution = input.execution ?? {
    id: `adhoc-${randomUUID()}`,
    workspaceId: input.workspaceId,
    mode: 'manual',
    depth: 0,
  };
  return {
    props: input.props,
    http: client,
    credential: input.credential,
    state: scopedState(state, input.scope),
    logger: (input.logger ?? silentLogger).child({ connector: connector.name }),
    signal,
    execution,
    progress: input.progress ?? noProgress,
    async rateLimit(key) {
      const k = key ?? (input.credential ? `cred:${input.credential.id}` : undefined);
      if (k && runtime.rateLimit) await waitForRateLimit(runtime.rateLimit, k, systemClock, signal);
    },
    binary: {
      async put(data, meta): Promise<BinaryRef> {
        const base = {
          mimeType: meta.mimeType,
          size: data.byteLength,
          ...(meta.fileName ? { fileName: meta.fileName } : {}),
        };
        if (!runtime.blobs)
          return { id: `data:${meta.mimeType};base64,${Buffer.from(data).toString('base64')}`, ...base };
        return putBinary(runtime.blobs, { workspaceId: input.workspaceId, executionId: execution.id }, data, meta);
      },
      async get(ref) {
        if (ref.id.startsWith('data:'))
          return new Uint8Array(Buffer.from(ref.id.slice(ref.id.indexOf(',') + 1), 'base64'));
        if (!runtime.blobs) throw new Error(`Binary data ${ref.id} not found: no blob store configured`);
        return readBinary(runtime.blobs, input.workspaceId, ref);
      },
    },
  };
}

/** `client` with `traceContext` set on every request that has none. */
function withTraceContext(client: HttpClient, traceContext: Context): HttpClient {
  return {
    request: (request) => client.request(request.traceContext ? request : { ...request, traceContext }),
    withSigner: (signer) => withTraceContext(client.withSigner(signer), traceContext),
  };
}
