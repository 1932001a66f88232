import { type Context, context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@weft/connectors');

/** An outbound request's client span; see {@link startOutboundSpan}. */
export interface OutboundSpan {
  /** Ends the span with the response status (4xx and 5xx mark it as an error). */
  end(status: number): void;
  /** Ends the span with the error that stopped the request. */
  fail(err: unknown): void;
}

/**
 * Starts a client span for one HTTP exchange (each redirect hop and retry is its own) as a child
 * of `parent` (a node's span context), else of the active span, and writes its W3C `traceparent` into `headers`. Undefined, and
 * nothing written, when the span does not record (no OpenTelemetry SDK, or sampled out). The URL
 * is recorded without its query string and credentials, which may hold secrets.
 *
 * @example
 * ```ts
 * const span = startOutboundSpan('GET', url, headers);
 * try { const res = await fetch(url, { headers }); span?.end(res.status); } catch (e) { span?.fail(e); throw e; }
 * ```
 */
export function startOutboundSpan(
  method: string,
  url: URL,
  headers: Record<string, string>,
  parent: Context = context.active(),
): OutboundSpan | undefined {
  const span = tracer.startSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': url.hostname,
        'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        'url.full': `${url.protocol}//${url.host}${url.pathname}`,
      },
    },
    parent,
  );
  if (!span.isRecording()) return undefined;
  propagation.inject(trace.setSpan(parent, span), headers);
  return {
    end: (status) => {
      span.setAttribute('http.response.status_code', status);
      if (status >= 400) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
    fail: (err) => failed(span, err),
  };
}

function failed(span: Span, err: unknown): void {
  span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.end();
}
