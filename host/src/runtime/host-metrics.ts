import type { EngineEvent, JobQueue } from '@weft/engine';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where gauges read their values at scrape time. */
export interface MetricSources {
  queue?: JobQueue;
  sandboxStats?: () => { size: number; busy: number; created: number; disposed: number; queued: number };
  running?: () => number;
  subscribers?: () => number;
}

/**
 * The host's Prometheus metrics (prom-client, its own registry): executions by status, node
 * durations, queue depth and age, HTTP latency, sandbox pool usage, live executions, and
 * prom-client's default Node process metrics (CPU, resident memory, heap, event-loop lag, GC,
 * open handles) under their standard `process_*` and `nodejs_*` names.
 *
 * @example
 * ```ts
 * const metrics = new HostMetrics({ queue: storage.queue, sandboxStats: () => sandbox.stats() });
 * engine.events$.subscribe((e) => metrics.observeEvent(e));
 * res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
 * ```
 */
export class HostMetrics {
  readonly registry = new Registry();
  readonly executions: Counter<'status' | 'mode'>;
  readonly nodeDuration: Histogram<'node_type' | 'status'>;
  readonly http: Histogram<'method' | 'route' | 'status'>;
  readonly #modes = new Map<string, string>();

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.executions = new Counter({
      name: 'weft_executions_total',
      help: 'Executions that ended or parked, by status',
      labelNames: ['status', 'mode'],
      registers,
    });
    this.nodeDuration = new Histogram({
      name: 'weft_node_duration_seconds',
      help: 'Node run duration',
      labelNames: ['node_type', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.http = new Histogram({
      name: 'weft_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const queue = sources.queue;
    if (queue) {
      let cached: { at: number; value: Awaited<ReturnType<JobQueue['stats']>> } | undefined;
      const stats = async () => {
        if (!cached || cached.at < Date.now() - 1000) cached = { at: Date.now(), value: await queue.stats() };
        return cached.value;
      };
      new Gauge({
        name: 'weft_queue_jobs',
        help: 'Queue jobs by state',
        labelNames: ['state'],
        registers,
        async collect() {
          const s = await stats();
          this.set({ state: 'ready' }, s.ready);
          this.set({ state: 'delayed' }, s.delayed);
          this.set({ state: 'running' }, s.running);
          this.set({ state: 'dead' }, s.deadLetters);
        },
      });
      new Gauge({
        name: 'weft_queue_oldest_ready_age_seconds',
        help: 'Age of the oldest ready job',
        registers,
        async collect() {
          this.set((await stats()).oldestReadyAgeMs / 1000);
        },
      });
    }
    const sandbox = sources.sandboxStats;
    if (sandbox) {
      new Gauge({
        name: 'weft_sandbox_isolates',
        help: 'Isolate pool usage',
        labelNames: ['state'],
        registers,
        collect() {
          const s = sandbox();
          this.set({ state: 'size' }, s.size);
          this.set({ state: 'busy' }, s.busy);
          this.set({ state: 'queued' }, s.queued);
          this.set({ state: 'created' }, s.created);
          this.set({ state: 'disposed' }, s.disposed);
        },
      });
    }
    const running = sources.running;
    if (running) {
      new Gauge({
        name: 'weft_executions_running',
        help: 'Executions running in this process',
        registers,
        collect() {
          this.set(running());
        },
      });
    }
    const subscribers = sources.subscribers;
    if (subscribers) {
      new Gauge({
        name: 'weft_realtime_subscribers',
        help: 'Connected SSE/WebSocket subscribers',
        registers,
        collect() {
          this.set(subscribers());
        },
      });
    }
  }

  /** Counts an engine event. `nodeTypes` maps node ids to types for the duration histogram. */
  observeEvent(e: EngineEvent, nodeType?: string): void {
    switch (e.type) {
      case 'workflow:started':
        this.#modes.set(e.executionId, e.mode);
        break;
      case 'node:executed':
        this.nodeDuration.observe({ node_type: nodeType ?? 'unknown', status: e.status }, e.durationMs / 1000);
        break;
      case 'workflow:completed':
      case 'workflow:failed':
      case 'workflow:cancelled':
      case 'workflow:waiting': {
        const status = e.type === 'workflow:completed' ? 'succeeded' : e.type.slice('workflow:'.length);
        this.executions.inc({ status, mode: this.#modes.get(e.executionId) ?? 'unknown' });
        this.#modes.delete(e.executionId);
        break;
      }
    }
  }
}
