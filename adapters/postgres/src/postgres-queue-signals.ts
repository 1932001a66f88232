import type { QueueSignals } from '@weft/sql';
import pg from 'pg';

/** Options of {@link PostgresQueueSignals}. */
export interface PostgresQueueSignalsOptions {
  /** Pool used to send notifications. */
  pool: pg.Pool;
  /** Connection settings for the dedicated LISTEN connection; default: the pool's. */
  connection?: pg.ClientConfig;
  /** NOTIFY channel; one per schema so tenants of one server do not wake each other. */
  channel: string;
  /** Told about connection failures of the listener (it keeps reconnecting). */
  onError?: (error: Error) => void;
}

/**
 * {@link QueueSignals} over Postgres LISTEN/NOTIFY. A dedicated connection listens; when it drops
 * (server restart, `pg_terminate_backend`, network) it reconnects with backoff and then wakes every
 * subscriber, since notifications sent while it was away are lost. Notifications from one tick are
 * coalesced into one `pg_notify`.
 *
 * @example
 * ```ts
 * const signals = new PostgresQueueSignals({ pool, channel: 'weft_jobs' });
 * await signals.start();
 * const queue = new SqlQueue({ db, dialect: 'postgres', signals });
 * ```
 */
export class PostgresQueueSignals implements QueueSignals {
  readonly #options: PostgresQueueSignalsOptions;
  readonly #listeners = new Set<() => void>();
  readonly #channels = new Map<string, Set<(payload: string) => void>>();
  #client: pg.Client | undefined;
  #closed = false;
  #connecting: Promise<void> | undefined;
  #pendingNotify: Promise<void> | undefined;
  #retryMs = 50;
  #reconnects = 0;

  constructor(options: PostgresQueueSignalsOptions) {
    this.#options = options;
  }

  /** Connects the listener; resolves once LISTEN is in place. */
  start(): Promise<void> {
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** Backend pid of the LISTEN connection (for tests and diagnostics), undefined while disconnected. */
  get listenerPid(): number | undefined {
    return (this.#client as unknown as { processID?: number } | undefined)?.processID ?? undefined;
  }

  /** How many times the listener has reconnected. */
  get reconnects(): number {
    return this.#reconnects;
  }

  async #connect(): Promise<void> {
    const config = this.#options.connection ?? (this.#options.pool as unknown as { options: pg.ClientConfig }).options;
    const client = new pg.Client({
      ...config,
      application_name: `weft-listener:${this.#options.channel}`.slice(0, 63),
    });
    client.on('notification', (msg) => {
      if (msg.channel === this.#options.channel) this.#wake();
      else for (const h of this.#channels.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('listener connection ended')));
    await client.connect();
    await client.query(
      [this.#options.channel, ...this.#channels.keys()].map((c) => `LISTEN ${pg.escapeIdentifier(c)}`).join('; '),
    );
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#retryMs = 50;
  }

  #lost(client: pg.Client, err: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    if (this.#closed) return;
    this.#options.onError?.(err);
    const retry = () => {
      if (this.#closed) return;
      this.start().then(
        () => {
          this.#reconnects++;
          this.#wake();
        },
        (e: Error) => {
          this.#options.onError?.(e);
          this.#retryMs = Math.min(this.#retryMs * 2, 2000);
          setTimeout(retry, this.#retryMs).unref();
        },
      );
    };
    setTimeout(retry, this.#retryMs).unref();
  }

  #wake(): void {
    for (const l of [...this.#listeners]) l();
  }

  notify(): Promise<void> {
    this.#pendingNotify ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.#pendingNotify = undefined;
      await this.#options.pool.query('select pg_notify($1, $2)', [this.#options.channel, '']);
    });
    return this.#pendingNotify;
  }

  /**
   * Also hands the payloads of notifications on `channel` to `handler`, on the same connection;
   * resolves once LISTEN is in place. Notifications sent while the connection was down are lost.
   */
  async listen(channel: string, handler: (payload: string) => void): Promise<() => void> {
    let handlers = this.#channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
      await this.#client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops listening and closes the dedicated connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    const client = this.#client;
    this.#client = undefined;
    await this.#connecting?.catch(() => {});
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
