import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** A loopback HTTP server answering through a web-standard handler set after it starts. */
export interface WebHandlerServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  handler: (request: Request) => Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on an ephemeral loopback port that turns each request into a web
 * `Request` (body streamed) and streams back the handler's `Response`. The port is known before the
 * handler is set, so URL signers can be built with it.
 *
 * @example
 * ```ts
 * const server = await startWebHandlerServer();
 * const signer = new BlobUrlSigner({ baseUrl: `${server.url}/blobs`, secret });
 * server.handler = (req) => serveSignedBlob(req, { signer, bucket: (n) => storage.byName(n) });
 * ```
 */
export async function startWebHandlerServer(): Promise<WebHandlerServer> {
  const state: WebHandlerServer = {
    url: '',
    handler: async () => new Response('no handler', { status: 503 }),
    close: async () => {},
  };
  const server = createServer((req, res) => {
    answer(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  return state;
}

async function answer(state: WebHandlerServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const request = new Request(new URL(req.url ?? '/', state.url), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' }),
  } as RequestInit);
  const response = await state.handler(request);
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] = value;
  });
  res.writeHead(response.status, outHeaders);
  if (!response.body) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
      .on('error', reject);
  });
}
