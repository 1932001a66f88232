import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a {@link WebhookReceiver} got. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A real node:http receiver on loopback for outbound webhook tests: records every request and
 * answers with what `respond` returns (default 200 `ok`).
 *
 * @example
 * ```ts
 * const rx = await WebhookReceiver.start();
 * rx.respond = () => ({ status: 503, body: 'down' });
 * await rx.close();
 * ```
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: (req: ReceivedWebhook) => { status: number; body?: string } = () => ({ status: 200, body: 'ok' });
  readonly #server: Server;
  readonly url: string;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(path = '/hook'): Promise<WebhookReceiver> {
    let self: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        self?.received.push(got);
        const answer = self?.respond(got) ?? { status: 200 };
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return self;
  }

  /** Resolves once `predicate` holds for the received requests (polling), or throws after `ms`. */
  async until(predicate: (all: ReceivedWebhook[]) => boolean, ms = 10_000): Promise<ReceivedWebhook[]> {
    const end = Date.now() + ms;
    while (!predicate(this.received)) {
      if (Date.now() > end) throw new Error(`webhook receiver: condition not met after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.#server.close(() => r());
      this.#server.closeAllConnections();
    });
  }
}
