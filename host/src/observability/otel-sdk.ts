import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { SynchronousContextManager } from './synchronous-context-manager.js';
import { PooledIdGenerator } from './tracing-id-generator.js';

/** The OTLP export a process was configured with by its `OTEL_*` variables. */
export interface TracingSettings {
  exporter: 'otlp' | 'console';
  /** Where spans are posted (OTLP/HTTP), for `otlp`. */
  endpoint: string;
  protocol: 'http/protobuf' | 'http/json';
  serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`, parsed. */
  resourceAttributes: Record<string, string>;
}

/** A started OpenTelemetry SDK; see {@link startTracing}. */
export interface Tracing {
  readonly settings: TracingSettings;
  /** Exports the spans ended so far. */
  flush(): Promise<void>;
  /** Exports what is left and stops the SDK once every {@link startTracing} caller has shut down. */
  shutdown(): Promise<void>;
}

type Env = Record<string, string | undefined>;

/**
 * Reads the standard `OTEL_*` variables: tracing is on when `OTEL_TRACES_EXPORTER` names `otlp`
 * (or `console`) or an OTLP endpoint is set, unless `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none`. Undefined when off. Throws, naming the variable, on values Weft
 * does not support (the gRPC protocol, other exporters).
 *
 * @example
 * ```ts
 * tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
 * // { exporter: 'otlp', endpoint: 'http://collector:4318/v1/traces', protocol: 'http/protobuf', … }
 * ```
 */
export function tracingSettings(env: Env, defaultServiceName = 'weft'): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.includes('none')) return undefined;
  const unknown = exporters.filter((e) => e !== 'otlp' && e !== 'console');
  if (unknown.length > 0)
    throw new Error(`OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER}: Weft exports traces with otlp or console only`);
  const signalEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const baseEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (exporters.length === 0 && !signalEndpoint && !baseEndpoint) return undefined;
  const endpoint = signalEndpoint || `${(baseEndpoint || 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`;
  if (!/^https?:\/\/[^/]/.test(endpoint) || !URL.canParse(endpoint))
    throw new Error(
      `OTLP traces endpoint "${endpoint}" (from OTEL_EXPORTER_OTLP_*ENDPOINT) is not an absolute http:// or https:// URL`,
    );
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    'http/protobuf'
  ).trim();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    throw new Error(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: use http/protobuf (default) or http/json (a Collector takes both on port 4318)`,
    );
  const resourceAttributes = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || resourceAttributes['service.name'] || defaultServiceName;
  return {
    exporter: exporters.includes('console') && !exporters.includes('otlp') ? 'console' : 'otlp',
    endpoint,
    protocol,
    serviceName,
    resourceAttributes,
  };
}

function parseResourceAttributes(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new Error(`OTEL_RESOURCE_ATTRIBUTES has a badly percent-encoded pair: "${pair}"`);
    }
  }
  return out;
}

let started: { tracing: Tracing; users: number; stop: () => Promise<void> } | undefined;

/**
 * Starts the OpenTelemetry tracing SDK when the `OTEL_*` variables ask for it (see
 * {@link tracingSettings}) and registers it globally: the host's HTTP spans, the engine's
 * execution and node spans, the connector kit's outbound HTTP spans and the storage's batch spans
 * are then exported over OTLP/HTTP in batches. Off by default, and then the SDK modules are not
 * even loaded. The exporter and batch processor also read their usual variables from
 * `process.env` (`OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT`, `…_COMPRESSION`, `OTEL_BSP_*`, and
 * `OTEL_TRACES_SAMPLER[_ARG]`). One SDK per process: later calls share it.
 *
 * @example
 * ```ts
 * const tracing = await startTracing({ serviceName: 'weft' }); // undefined unless OTEL_* set
 * // … on shutdown:
 * await tracing?.shutdown();
 * ```
 */
export async function startTracing(
  options: { env?: Env; serviceName?: string; serviceVersion?: string } = {},
): Promise<Tracing | undefined> {
  const settings = tracingSettings(options.env ?? process.env, options.serviceName);
  if (!settings) return undefined;
  if (started) {
    started.users++;
    return started.tracing;
  }
  const [{ NodeTracerProvider, BatchSpanProcessor }, { resourceFromAttributes }, semconv] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const exporter = await createExporter(settings);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      ...settings.resourceAttributes,
      [semconv.ATTR_SERVICE_NAME]: settings.serviceName,
      ...(options.serviceVersion ? { [semconv.ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
    // Ids cut from a pool of CSPRNG bytes, not one Math.random-and-hex round per id (ADR 0013).
    idGenerator: new PooledIdGenerator(),
  });
  // W3C trace context + baggage propagation. Span contexts are handed on explicitly, so the
  // context manager is a synchronous one, not AsyncLocalStorage's promise hooks (ADR 0015).
  provider.register({ contextManager: new SynchronousContextManager() });
  let shutdown: Promise<void> | undefined;
  const tracing: Tracing = {
    settings,
    flush: () => provider.forceFlush(),
    shutdown: () => {
      if (!started || started.tracing !== tracing) return shutdown ?? Promise.resolve();
      if (--started.users > 0) return Promise.resolve();
      shutdown = started.stop();
      return shutdown;
    },
  };
  started = {
    tracing,
    users: 1,
    stop: async () => {
      started = undefined;
      const { trace, context, propagation } = await import('@opentelemetry/api');
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  return tracing;
}

async function createExporter(settings: TracingSettings): Promise<SpanExporter> {
  if (settings.exporter === 'console') return new (await import('@opentelemetry/sdk-trace-node')).ConsoleSpanExporter();
  const config = { url: settings.endpoint };
  if (settings.protocol === 'http/json')
    return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(config);
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(config);
}
