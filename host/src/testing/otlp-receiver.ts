import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/JSON export carries it, flattened with its resource's service name. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  status: number;
  attributes: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

/**
 * A minimal OTLP/HTTP trace receiver on loopback for tests and benches: accepts
 * `POST /v1/traces` with `http/json` bodies (and counts `http/protobuf` ones without decoding),
 * and keeps the spans it received.
 *
 * @example
 * ```ts
 * const receiver = await startOtlpReceiver();
 * // OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url OTEL_EXPORTER_OTLP_PROTOCOL=http/json
 * const spans = receiver.spans.filter((s) => s.traceId === id);
 * await receiver.close();
 * ```
 */
export async function startOtlpReceiver(): Promise<{
  url: string;
  spans: ReceivedSpan[];
  requests: { contentType: string; bytes: number; headers: IncomingHttpHeaders }[];
  close: () => Promise<void>;
}> {
  const spans: ReceivedSpan[] = [];
  const requests: { contentType: string; bytes: number; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      requests.push({ contentType, bytes: body.length, headers: req.headers });
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const json = contentType.startsWith('application/json');
      if (json) collect(JSON.parse(body.toString('utf8')), spans);
      // An empty ExportTraceServiceResponse: `{}` in JSON, zero bytes in protobuf (a `{}` body
      // made the protobuf exporter warn that it could not decode the answer).
      res.writeHead(200, { 'content-type': contentType || 'application/json' }).end(json ? '{}' : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function collect(
  body: {
    resourceSpans?: {
      resource?: { attributes?: { key: string; value: OtlpValue }[] };
      scopeSpans?: {
        spans?: {
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          kind: number;
          status?: { code?: number };
          attributes?: { key: string; value: OtlpValue }[];
        }[];
      }[];
    }[];
  },
  into: ReceivedSpan[],
): void {
  for (const rs of body.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? [])
        into.push({
          service: String(resource['service.name'] ?? ''),
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          name: s.name,
          kind: s.kind,
          status: s.status?.code ?? 0,
          attributes: attributesOf(s.attributes),
        });
  }
}

function attributesOf(
  list: { key: string; value: OtlpValue }[] | undefined,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (v !== undefined) out[key] = typeof v === 'string' && value.intValue !== undefined ? Number(v) : v;
  }
  return out;
}
