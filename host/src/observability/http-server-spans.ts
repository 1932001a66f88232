import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  type Context,
  context,
  isSpanContextValid,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { TraceCarrier } from '@weft/engine';

const NO_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * Whether an OpenTelemetry tracer provider is registered in this process (by
 * {@link startTracing} or by the embedding application).
 *
 * @example
 * ```ts
 * const listener = tracerProviderRegistered() ? traceHttpRequests(handler) : handler;
 * ```
 */
export function tracerProviderRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return (provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider) !== NO_PROVIDER;
}

const requestContexts = new WeakMap<IncomingMessage, Context>();

/**
 * The W3C trace context (`traceparent`) of a request's server span, for the work it starts: the
 * webhook ingress hands it to the execution it launches, directly or through the queue. Undefined
 * when the request is not traced.
 *
 * @example
 * ```ts
 * await launcher.launch(stored, { input, traceContext: requestTraceCarrier(req) });
 * ```
 */
export function requestTraceCarrier(req: IncomingMessage): TraceCarrier | undefined {
  const ctx = requestContexts.get(req);
  if (!ctx) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** Webhook paths name a workflow's endpoint and may be secret: spans show the route only. */
const REDACTED_PREFIXES: [string, string][] = [
  ['/hooks/', '/hooks/{path}'],
  ['/hooks-test/', '/hooks-test/{path}'],
  ['/blobs/', '/blobs/{key}'],
];

/**
 * Wraps a `node:http` request listener so each request is a server span (stable HTTP semantic
 * conventions) continuing the caller's W3C `traceparent`. Its context is kept with the request
 * ({@link requestTraceCarrier}): executions a webhook starts, directly or through the queue, join
 * its trace. It is also the active context while the listener runs synchronously.
 * Span names are `METHOD route` with the Express route template when one matched. Query strings
 * are never recorded, nor webhook paths (only `/hooks/{path}`).
 *
 * @example
 * ```ts
 * http.createServer(traceHttpRequests((req, res) => app(req, res)));
 * ```
 */
export function traceHttpRequests(handler: RequestListener): RequestListener {
  const tracer = trace.getTracer('@weft/host');
  return (req: IncomingMessage, res: ServerResponse) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const method = req.method ?? 'GET';
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    let route: string | undefined;
    for (const [prefix, template] of REDACTED_PREFIXES) if (path.startsWith(prefix)) route = template;
    const span = tracer.startSpan(
      route ? `${method} ${route}` : method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': route ?? path,
          'url.scheme': 'http',
          ...(route ? { 'http.route': route } : {}),
        },
      },
      parent,
    );
    if (!span.isRecording()) {
      // Sampled out: still the active context, so a queued execution inherits the decision.
      if (!isSpanContextValid(span.spanContext())) return handler(req, res);
      const ctx = trace.setSpan(parent, span);
      requestContexts.set(req, ctx);
      return context.with(ctx, handler, undefined, req, res);
    }
    res.once('close', () => {
      const status = res.statusCode;
      if (!route) {
        const matched = (req as { route?: { path?: unknown }; baseUrl?: string }).route?.path;
        if (typeof matched === 'string') {
          const template = `${(req as { baseUrl?: string }).baseUrl ?? ''}${matched}`;
          span.setAttribute('http.route', template);
          span.updateName(`${method} ${template}`);
        }
      }
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      } else if (!res.writableFinished) {
        span.setAttribute('error.type', 'aborted');
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the response ended' });
      }
      span.end();
    });
    const ctx = trace.setSpan(parent, span);
    requestContexts.set(req, ctx);
    context.with(ctx, handler, undefined, req, res);
  };
}
