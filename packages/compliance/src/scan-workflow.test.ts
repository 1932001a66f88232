import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { sarifReport } from './sarif-report.js';
import { scanWorkflow } from './scan-workflow.js';
import { shannonEntropy } from './secret-rules.js';

// Built at run time so this file itself holds no token-shaped strings.
const planted = {
  aws: `AKIA${'ABCDEFGHIJKLMNOP'}`,
  github: `ghp_${'a1B2c3D4e5'.repeat(3)}a1B2c3`,
  stripe: `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`,
  pem: `-----BEGIN RSA ${'PRIVATE'} KEY-----\nMIIE...`,
  random: 'Zx8Kq2Lm9Vb4Tn7Wc1Rf5Yh3Pd6Gs0Ja',
};

const wf = (nodes: Workflow['nodes'], settings: Workflow['settings'] = {}): Workflow =>
  ({ id: 'wf', name: 'scan me', nodes, connections: [], settings }) as unknown as Workflow;

describe('scanWorkflow', () => {
  it('finds planted secrets by rule, then by entropy, with a pointer and never the secret', () => {
    const findings = scanWorkflow(
      wf([
        {
          id: 'n1',
          name: 'HTTP',
          type: 'weft.httpRequest',
          parameters: {
            url: 'https://api.example.com',
            headers: { 'x-api/key': planted.aws, auth: `Bearer ${planted.github}` },
            body: { stripe: planted.stripe, list: ['ok', planted.pem] },
            note: `seed ${planted.random}`,
            fine: 'Send the weekly invoice summary to the finance team',
            expr: `{{ $credentials.token }}`,
          },
        },
      ]),
    );
    const secrets = findings.filter((f) => f.ruleId.startsWith('secret/'));
    expect(secrets.map((f) => [f.ruleId, f.pointer])).toEqual([
      ['secret/aws-access-key-id', '/nodes/0/parameters/headers/x-api~1key'],
      ['secret/github-token', '/nodes/0/parameters/headers/auth'],
      ['secret/stripe-secret-key', '/nodes/0/parameters/body/stripe'],
      ['secret/private-key', '/nodes/0/parameters/body/list/1'],
      ['secret/high-entropy-string', '/nodes/0/parameters/note'],
    ]);
    expect(secrets.every((f) => f.nodeId === 'n1' && f.fix.length > 0)).toBe(true);
    expect(JSON.stringify(findings)).not.toContain(planted.github);
  });

  it('flags webhooks without a credential, plain http, expression hosts and risky code', () => {
    const findings = scanWorkflow(
      wf([
        { id: 'w', name: 'Inbound', type: 'weft.webhook', parameters: { path: 'in' } },
        { id: 's', name: 'Signed', type: 'weft.webhook', parameters: { path: 's' }, credentials: { auth: 'c1' } },
        {
          id: 'h',
          name: 'Fetch',
          type: 'weft.httpRequest',
          parameters: {
            url: 'http://{{ $json.host }}/x',
            other: 'http://localhost:3000',
            path: 'https://a.io/{{ $json.id }}',
          },
        },
        { id: 'c', name: 'Code', type: 'weft.code', parameters: { code: 'return eval(items[0].json.expr)' } },
      ]),
    );
    expect(findings.map((f) => [f.ruleId, f.nodeId ?? null, f.severity])).toEqual([
      ['trigger/webhook-without-auth', 'w', 'high'],
      ['network/plain-http', 'h', 'medium'],
      ['network/expression-host', 'h', 'high'],
      ['code/eval', 'c', 'high'],
      ['reliability/no-error-handling', null, 'low'],
    ]);
  });

  it('counts an error workflow or an error route as error handling', () => {
    const node = { id: 'a', name: 'A', type: 'weft.noOp', parameters: {} };
    expect(scanWorkflow(wf([node], { errorWorkflow: 'wf_err' }))).toEqual([]);
    expect(scanWorkflow(wf([{ ...node, onError: 'route' }]))).toEqual([]);
  });

  it('scores random keys above words', () => {
    expect(shannonEntropy(planted.random)).toBeGreaterThan(4.5);
    expect(shannonEntropy('passwordpasswordpassword')).toBeLessThan(3);
  });
});

describe('sarifReport', () => {
  it('writes SARIF 2.1.0 with one rule per rule id and the pointer as logical location', () => {
    const findings = scanWorkflow(wf([{ id: 'w', name: 'In', type: 'weft.webhook', parameters: {} }]));
    const log = sarifReport(findings, 'flows/in.json') as {
      version: string;
      runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<Record<string, unknown>> }>;
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual([
      'trigger/webhook-without-auth',
      'reliability/no-error-handling',
    ]);
    expect(log.runs[0]?.results[0]).toMatchObject({
      ruleId: 'trigger/webhook-without-auth',
      level: 'error',
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'flows/in.json' } },
          logicalLocations: [{ fullyQualifiedName: '/nodes/0' }],
        },
      ],
    });
  });
});
