import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const EVIL = '"><script>alert(document.domain)</script><svg onload=alert(1)>';

describe('GET /marketplace/templates/:id/preview.svg', () => {
  let t: TestHost;
  let owner: string;
  let ws: string;
  let templateId: string;
  const api = (path: string) => `/api/v1${path}`;
  const publish = (changelog: string) =>
    t.call('POST', api(`/workspaces/${ws}/marketplace/templates`), {
      token: owner,
      body: {
        workflowId: 'xss',
        ...(templateId ? { templateId } : {}),
        name: 'Preview me',
        summary: 'A template whose node name tries to inject markup',
        description: '',
        categories: ['testing'],
        tags: [],
        changelog,
      },
    });

  beforeAll(async () => {
    t = await startTestHost();
    owner = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', api('/workspaces'), { token: owner })).body.items[0].id;
    const workflow = {
      id: 'xss',
      name: 'XSS',
      nodes: [
        { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
        { id: 'evil', name: EVIL, type: 'weft.set', parameters: { fields: [] }, position: [260, 40] },
      ],
      connections: [{ source: 'start', target: 'evil' }],
    };
    expect((await t.call('POST', api(`/workspaces/${ws}/workflows`), { token: owner, body: workflow })).status).toBe(
      201,
    );
    const res = await publish('First');
    expect(res.status).toBe(201);
    templateId = res.body.template.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the escaped picture publicly, sandboxed, cached by template version', async () => {
    const res = await t.call('GET', api(`/marketplace/templates/${templateId}/preview.svg`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toContain('max-age=');
    expect(res.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(res.text).not.toMatch(/<script|onload=alert\(1\)>/);
    expect(res.text).toContain('&lt;script&gt;alert(document.domain)&lt;/script&gt;');
    expect(res.text.match(/class="node"/g)).toHaveLength(2);
    expect(res.text.match(/class="edge"/g)).toHaveLength(1);

    const etag = res.headers.get('etag') as string;
    expect(etag).toBe(`"${templateId}.v1.r1"`);
    const again = await t.call('GET', api(`/marketplace/templates/${templateId}/preview.svg`), {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);

    expect((await publish('Second')).status).toBe(201);
    const next = await t.call('GET', api(`/marketplace/templates/${templateId}/preview.svg`), {
      headers: { 'if-none-match': etag },
    });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).toBe(`"${templateId}.v2.r1"`);
  });

  it('is in the OpenAPI document as a public image/svg+xml route', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/v1/marketplace/templates/{templateId}/preview.svg']?.get;
    expect(op?.security).toEqual([]);
    expect(Object.keys(op?.responses['200'].content ?? {})).toEqual(['image/svg+xml']);
  });

  it('answers 404 for an unknown template', async () => {
    const res = await t.call('GET', api('/marketplace/templates/nope/preview.svg'));
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain('"nope"');
  });
});

describe('preview.svg on a host browsing a central marketplace', () => {
  let central: TestHost;
  let local: TestHost;
  beforeAll(async () => {
    central = await startTestHost({ WEFT_SEED_EXAMPLES: 'true' });
    local = await startTestHost({ WEFT_MARKETPLACE_URL: central.base });
  });
  afterAll(async () => {
    await local?.close();
    await central?.close();
  });

  it("draws a central template from the catalogue's preview, with the central version's ETag", async () => {
    const path = '/api/v1/marketplace/templates/weft-order-total-webhook/preview.svg';
    const [there, here] = await Promise.all([central.call('GET', path), local.call('GET', path)]);
    expect(here.status).toBe(200);
    expect(here.headers.get('etag')).toBe(there.headers.get('etag'));
    expect(here.text).toBe(there.text);
    expect(here.text).toContain('Order webhook');
    expect((await local.call('GET', '/api/v1/marketplace/templates/nope/preview.svg')).status).toBe(404);
  });
});
