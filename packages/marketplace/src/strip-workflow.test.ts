import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { stripWorkflow } from './strip-workflow.js';

const SECRETS = {
  bearer: 'Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  apiKey: 'my-own-api-key-value-1234',
  stripe: `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`,
  slackHook: `https://hooks.slack.com/services/${'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXXabcdefgh'}`,
  github: `ghp_${'A'.repeat(20)}${'b1c2d3e4f5g6h7i8j9k0'.slice(0, 16)}`,
  password: 'hunter2-correct-horse',
  entropy: 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1JkLm',
};

/** A real-looking workflow: credentials on nodes and secrets pasted into parameters. */
const workflow: Workflow = {
  id: 'wf_private',
  version: 7,
  name: 'Sync orders',
  nodes: [
    {
      id: 'hook',
      name: 'Order webhook',
      type: 'weft.webhook',
      parameters: { path: 'orders' },
      credentials: { auth: 'cred_hook_1' },
    },
    {
      id: 'http',
      name: 'Call ERP',
      type: 'http.request',
      credentials: { auth: 'cred_erp_2' },
      parameters: {
        url: 'https://erp.example.com/api/orders',
        headers: [
          { name: 'Authorization', value: SECRETS.bearer },
          { name: 'X-Trace', value: '{{ $json.id }}' },
        ],
        query: [{ name: 'api_key', value: SECRETS.apiKey }],
        body: { password: SECRETS.password, note: `token ${SECRETS.entropy}` },
      },
    },
    {
      id: 'code',
      name: 'Charge',
      type: 'weft.code',
      parameters: { code: `const key = '${SECRETS.stripe}';\nreturn items;` },
    },
    {
      id: 'notify',
      name: 'Notify',
      type: 'slack.postMessage',
      credentials: { slack: 'cred_slack_3' },
      parameters: {
        channel: '#orders',
        text: 'New order {{ $json.id }}',
        webhook: SECRETS.slackHook,
        gh: SECRETS.github,
      },
    },
  ],
  connections: [
    { source: 'hook', target: 'http' },
    { source: 'http', target: 'code' },
    { source: 'code', target: 'notify' },
  ],
  settings: { errorWorkflow: 'wf_errors_private' },
};

describe('stripWorkflow', () => {
  it('leaves no credential id, secret, workflow id or pinned data in the template', async () => {
    const types: Record<string, string> = {
      cred_hook_1: 'weft.webhookAuth',
      cred_erp_2: 'http.bearer',
      cred_slack_3: 'slack.bot',
    };
    const withPins = { ...workflow, pinData: { hook: [{ json: { card: '4242424242424242' } }] } } as Workflow;
    const out = await stripWorkflow(withPins, { credentialType: (id) => types[id] });
    const text = JSON.stringify(out);
    for (const secret of [
      ...Object.values(SECRETS),
      ...Object.keys(types),
      'wf_private',
      'wf_errors_private',
      '4242424242424242',
    ])
      expect(text).not.toContain(secret);
    expect(out.credentials).toEqual([
      { nodeId: 'hook', slot: 'auth', credentialType: 'weft.webhookAuth' },
      { nodeId: 'http', slot: 'auth', credentialType: 'http.bearer' },
      { nodeId: 'notify', slot: 'slack', credentialType: 'slack.bot' },
    ]);
    expect(out.workflow.nodes.every((n) => n.credentials === undefined)).toBe(true);
    expect(out.workflow.version).toBeUndefined();
  });

  it('keeps expressions and plain values, and asks for each removed secret as a required input', async () => {
    const out = await stripWorkflow(workflow, { credentialType: () => 'x' });
    const http = out.workflow.nodes.find((n) => n.id === 'http');
    expect(http?.parameters.url).toBe('https://erp.example.com/api/orders');
    expect(http?.parameters.headers).toEqual([
      { name: 'Authorization', value: '' },
      { name: 'X-Trace', value: '{{ $json.id }}' },
    ]);
    expect(out.workflow.nodes.find((n) => n.id === 'notify')?.parameters).toMatchObject({
      channel: '#orders',
      text: 'New order {{ $json.id }}',
      webhook: '',
    });
    expect(out.removedSecrets).toEqual([
      '/nodes/1/parameters/body/note',
      '/nodes/1/parameters/body/password',
      '/nodes/1/parameters/headers/0/value',
      '/nodes/1/parameters/query/0/value',
      '/nodes/2/parameters/code',
      '/nodes/3/parameters/gh',
      '/nodes/3/parameters/webhook',
    ]);
    expect(out.inputs.find((i) => i.path === '/headers/0/value')).toEqual({
      key: 'http_headers_0_value',
      label: 'Call ERP: value',
      nodeId: 'http',
      path: '/headers/0/value',
      secret: true,
      required: true,
      description: 'A secret the creator removed before publishing',
    });
    expect(out.inputs.every((i) => i.secret && i.required)).toBe(true);
  });

  it('keeps the inputs the creator marked and does not ask twice for the same place', async () => {
    const out = await stripWorkflow(workflow, {
      credentialType: () => 'x',
      inputs: [{ key: 'erpKey', label: 'ERP API key', nodeId: 'http', path: '/query/0/value', required: true }],
    });
    expect(out.inputs.filter((i) => i.path === '/query/0/value')).toEqual([
      { key: 'erpKey', label: 'ERP API key', nodeId: 'http', path: '/query/0/value', required: true },
    ]);
  });
});
