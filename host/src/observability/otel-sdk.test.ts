import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tracingSettings } from './otel-sdk.js';

describe('tracingSettings: the standard OTEL_* variables', () => {
  it('is off by default, with OTEL_SDK_DISABLED and with OTEL_TRACES_EXPORTER=none', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_HEADERS: 'a=b' })).toBeUndefined();
    expect(
      tracingSettings({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBeUndefined();
    expect(
      tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBeUndefined();
  });

  it('turns on with an endpoint or OTEL_TRACES_EXPORTER=otlp, adding /v1/traces to the base endpoint only', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      exporter: 'otlp',
      endpoint: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'weft',
      resourceAttributes: {},
    });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' })?.endpoint).toBe('http://localhost:4318/v1/traces');
    expect(
      tracingSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/custom/traces',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      }),
    ).toMatchObject({ endpoint: 'https://otlp.example.com/custom/traces', protocol: 'http/json' });
  });

  it('names the service from OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then the process role', () => {
    const env = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%2Cb' };
    expect(tracingSettings(env, 'weft-worker')).toMatchObject({
      serviceName: 'weft-worker',
      resourceAttributes: { 'deployment.environment': 'prod', team: 'a,b' },
    });
    expect(tracingSettings({ ...env, OTEL_RESOURCE_ATTRIBUTES: 'service.name=billing' })?.serviceName).toBe('billing');
    expect(tracingSettings({ ...env, OTEL_SERVICE_NAME: 'api' })?.serviceName).toBe('api');
  });

  it('refuses what it cannot do, naming the variable', () => {
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: use http\/protobuf/,
    );
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER=zipkin/);
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' })).toThrow(
      /not an absolute http:\/\/ or https:\/\/ URL/,
    );
  });
});

describe('tracing off costs nothing', () => {
  it('never loads an OpenTelemetry SDK module when no OTEL_* variable asks for it', () => {
    // A resolve hook in a fresh process prints every @opentelemetry module the host imports.
    const hook = `data:text/javascript,export async function resolve(s, c, next) { if (s.startsWith('@opentelemetry/')) console.log('LOAD ' + s); return next(s, c); }`;
    const index = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `
      import { register } from 'node:module';
      register(${JSON.stringify(hook)});
      const host = await import(${JSON.stringify(index)});
      const tracing = await host.startTracing({ env: {} });
      console.log('RESULT ' + JSON.stringify({ tracing: tracing ?? null, registered: host.tracerProviderRegistered() }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const loaded = new Set(lines.filter((l) => l.startsWith('LOAD ')).map((l) => l.slice(5)));
    expect([...loaded]).toEqual(['@opentelemetry/api']);
    const result = lines.find((l) => l.startsWith('RESULT '))?.slice(7) ?? 'null';
    expect(JSON.parse(result)).toEqual({ tracing: null, registered: false });
    // A fresh process importing the whole host through a resolve hook took 42 s on a loaded 2-core machine.
  }, 180_000);
});
