import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  context,
  isSpanContextValid,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

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

/** Webhook paths name a workflow's endpoint and may be secret: spans show the route only. */
const REDACTED_PREFIXES: [string, string][] = [
  ['/hooks/', '/hooks/{path}'],
  ['/hooks-test/', '/hooks-test/{path}'],
  ['/blobs/', '/blobs/{key}'],
];

/**
 * Wraps a `node:http` request listener so each request is a server span (stable HTTP semantic
 * conventions) continuing the caller's W3C `traceparent`, and is the active span while the
 * request is handled: executions a webhook starts, directly or through the queue, join its trace.
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
      return context.with(trace.setSpan(parent, span), handler, undefined, req, res);
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
    context.with(trace.setSpan(parent, span), handler, undefined, req, res);
  };
}
