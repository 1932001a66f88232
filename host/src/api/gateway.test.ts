import { describe, expect, it } from 'vitest';
import { startTestHost } from '../testing/test-host.js';

const approvalFlow = {
  id: 'approval',
  name: 'Approval',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'a', name: 'Approve', type: 'weft.approval', parameters: { message: 'ok?' } },
    { id: 'y', name: 'Yes', type: 'weft.set', parameters: { fields: [{ name: 'decision', value: 'yes' }] } },
  ],
  connections: [
    { source: 't', target: 'a' },
    { source: 'a', sourcePort: 'approved', target: 'y' },
  ],
};

describe('gateway limits', () => {
  it('rate-limits a workspace with RateLimit headers and Retry-After', async () => {
    const t = await startTestHost({ WEFT_RATE_LIMIT_WORKSPACE: '3' });
    try {
      const token = await t.login('owner@example.com', 'owner-password');
      const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      const first = await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token });
      expect(first.headers.get('ratelimit-policy')).toBe('"workspace";q=3;w=3600');
      expect(first.headers.get('ratelimit')).toMatch(/^"workspace";r=2;t=\d+$/);
      await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token });
      await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token });
      const limited = await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body.code).toBe('rate-limited');
    } finally {
      await t.close();
    }
  });

  it('protects /metrics with WEFT_METRICS_TOKEN when set', async () => {
    const t = await startTestHost({ WEFT_METRICS_TOKEN: 'scrape-secret-1234' });
    try {
      expect((await t.call('GET', '/metrics')).status).toBe(401);
      const ok = await t.call('GET', '/metrics', { headers: { authorization: 'Bearer scrape-secret-1234' } });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('weft_http_request_duration_seconds');
    } finally {
      await t.close();
    }
  });

  it('refuses bodies above the size limit with 413', async () => {
    const t = await startTestHost({ WEFT_BODY_LIMIT_BYTES: '2048' });
    try {
      const token = await t.login('owner@example.com', 'owner-password');
      const r = await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'x'.repeat(5000) } });
      expect(r.status).toBe(413);
      expect(r.body.code).toBe('body-too-large');
    } finally {
      await t.close();
    }
  });
});

describe('realtime over WebSocket, CORS and request ids', () => {
  it('streams events over an authenticated WebSocket and refuses strangers', async () => {
    const { WebSocket } = await import('ws');
    const t = await startTestHost({ WEFT_CORS_ORIGINS: 'https://app.example.com' });
    try {
      const token = await t.login('owner@example.com', 'owner-password');
      const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: approvalFlow });
      const url = `${t.base.replace('http', 'ws')}/api/v1/workspaces/${ws}/ws?access_token=${token}`;
      const socket = new WebSocket(url);
      const types: string[] = [];
      await new Promise((r) => socket.once('open', r));
      const waiting = new Promise<void>((resolve) =>
        socket.on('message', (data) => {
          const { id, event } = JSON.parse(String(data));
          expect(id).toMatch(/^\d+-\d+$/);
          types.push(event.type);
          if (event.type === 'workflow:waiting') resolve();
        }),
      );
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows/approval/run`, { token, body: {} });
      await waiting;
      socket.close();
      expect(types).toContain('approval:required');
      const stranger = new WebSocket(`${t.base.replace('http', 'ws')}/api/v1/workspaces/${ws}/ws`);
      const status = await new Promise<number>((r) =>
        stranger.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)),
      );
      expect(status).toBe(401);

      const pre = await fetch(`${t.base}/api/v1/workspaces`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
      expect(pre.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
      const allowed = await fetch(`${t.base}/healthz`, { headers: { origin: 'https://app.example.com' } });
      expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-weft-execution-id/);
      const foreign = await fetch(`${t.base}/healthz`, { headers: { origin: 'https://evil.example.com' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      const withId = await fetch(`${t.base}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
      expect(withId.headers.get('x-request-id')).toBe('trace-123');
      expect(withId.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await t.close();
    }
  });
});

describe('web app', () => {
  it('serves static files from the web build with an SPA fallback, never for API paths', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const web = mkdtempSync(join(tmpdir(), 'weft-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>weft app</title>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    const { createApp } = await import('../create-app.js');
    const pino = (await import('pino')).default;
    const t = await startTestHost();
    try {
      const app = createApp(t.host.runtime, pino({ level: 'silent' }), { webDir: web });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      expect(await (await fetch(`${base}/app.js`)).text()).toBe('console.log(1)');
      expect(await (await fetch(`${base}/workflows/123`)).text()).toContain('weft app');
      const api = await fetch(`${base}/api/v1/nothing`);
      expect(api.status).toBe(404);
      expect(api.headers.get('content-type')).toContain('application/problem+json');
      server.close();
    } finally {
      await t.close();
    }
  });
});
