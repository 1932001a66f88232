import type { AuditEntry } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { MemoryBreachCounters } from './breach-counters.js';
import { BREACH_ALERT_ACTION, type BreachAlert, BreachDetector } from './breach-detector.js';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  workspaceId: 'ws_1',
  actor: { type: 'user', id: 'u_1' },
  action: 'workflow.update',
  resource: { type: 'workflow', id: 'wf' },
  outcome: 'success',
  at: 0,
  ip: '10.0.0.1',
  userAgent: null,
  requestId: null,
  changes: null,
  ...over,
});

describe('BreachDetector', () => {
  it('raises one alert per burst of failed logins, per account and per IP, within the window', async () => {
    const d = new BreachDetector();
    const fail = (i: number, ip = '203.0.113.7') =>
      d.observe(
        entry({
          workspaceId: '_instance',
          actor: { type: 'anonymous', id: 'Ada@Example.org' },
          action: 'auth.login',
          outcome: 'denied',
          at: i * 1000,
          ip,
        }),
      );
    for (let i = 0; i < 9; i++) expect(await fail(i)).toEqual([]);
    const raised = await fail(9);
    expect(raised.map((a) => [a.rule, a.key, a.count])).toEqual([
      ['failed-login-burst-account', 'account:ada@example.org', 10],
      ['failed-login-burst-ip', 'ip:203.0.113.7', 10],
    ]);
    expect(await fail(10)).toEqual([]); // quiet for the rest of the window
    // Spread thinner than the window: never.
    const slow = new BreachDetector();
    for (let i = 0; i < 30; i++)
      expect(
        await slow.observe(entry({ action: 'auth.login', outcome: 'denied', at: i * 60_000, ip: `198.51.100.${i}` })),
      ).toEqual([]);
  });

  it('counts refused requests per actor and exports per actor, never its own alerts', async () => {
    const d = new BreachDetector();
    const denied: BreachAlert[] = [];
    for (let i = 0; i < 20; i++) denied.push(...(await d.observe(entry({ outcome: 'denied', at: i }))));
    expect(denied.map((a) => a.rule)).toEqual(['denied-burst']);
    const exports: BreachAlert[] = [];
    for (let i = 0; i < 10; i++) {
      exports.push(
        ...(await d.observe(entry({ action: i % 2 ? 'workspace.export' : 'workspace.export.bundle', at: i }))),
      );
    }
    expect(exports).toMatchObject([{ rule: 'mass-export', key: 'user:u_1', workspaceId: 'ws_1' }]);
    for (let i = 0; i < 50; i++)
      expect(await d.observe(entry({ action: BREACH_ALERT_ACTION, outcome: 'denied' }))).toEqual([]);
  });
});

describe('BreachDetector over shared counters', () => {
  it('two detectors on one store see one burst and raise one alert', async () => {
    const counters = new MemoryBreachCounters();
    const a = new BreachDetector(undefined, counters);
    const b = new BreachDetector(undefined, counters);
    const alerts: BreachAlert[] = [];
    for (let i = 0; i < 20; i++) {
      alerts.push(...(await (i % 2 ? a : b).observe(entry({ outcome: 'denied', at: i }))));
    }
    expect(alerts.map((x) => [x.rule, x.count])).toEqual([['denied-burst', 20]]);
    // Each on its own store sees half the burst: nothing.
    const alone = new BreachDetector();
    for (let i = 0; i < 10; i++) expect(await alone.observe(entry({ outcome: 'denied', at: i }))).toEqual([]);
  });
});
