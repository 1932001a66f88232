import { describe, expect, it } from 'vitest';
import { startTestHost } from '../testing/test-host.js';
import { HostMetrics } from './host-metrics.js';

/** Samples of a Prometheus text exposition: `name{labels} value`, by metric name. */
function samples(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    expect(m, `well-formed sample line: ${line}`).not.toBeNull();
    const [, name, , value] = m as RegExpExecArray;
    out.set(name as string, [...(out.get(name as string) ?? []), Number(value)]);
  }
  return out;
}

describe('Node process metrics on /metrics', () => {
  it("serves prom-client's default process and Node.js metrics beside the host's own", async () => {
    const t = await startTestHost();
    try {
      const res = await t.call('GET', '/metrics');
      expect(res.status).toBe(200);
      const got = samples(res.text);
      const one = (name: string) => {
        const v = got.get(name);
        expect(v, `${name} is exported`).toBeDefined();
        return (v as number[])[0] as number;
      };
      expect(one('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
      expect(one('process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(one('process_start_time_seconds')).toBeGreaterThan(Date.now() / 1000 - 3600);
      expect(one('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(one('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(one('nodejs_active_handles_total')).toBeGreaterThan(0);
      expect(got.get('nodejs_version_info')).toEqual([1]);
      expect(res.text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
      // The host's own metrics are still there, in the same registry.
      expect(res.text).toContain('# TYPE weft_executions_total counter');
      expect(res.text).toContain('# TYPE weft_http_request_duration_seconds histogram');
    } finally {
      await t.close();
    }
  });

  it('keeps one set of default metrics per registry, so several runtimes in one process do not clash', async () => {
    const a = new HostMetrics();
    const b = new HostMetrics();
    const [ta, tb] = await Promise.all([a.registry.metrics(), b.registry.metrics()]);
    for (const text of [ta, tb]) expect(text.match(/^# TYPE process_resident_memory_bytes /gm)).toHaveLength(1);
  });
});
