import { createHash } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

/** Webhook (multipart) -> code node reading the upload as text and creating an upper-cased copy. */
function uploadFlow(path: string) {
  return {
    id: 'upload',
    name: 'upload',
    nodes: [
      {
        id: 'hook',
        name: 'Hook',
        type: 'weft.webhook',
        parameters: { path, methods: ['POST'], responseMode: 'lastNode' },
      },
      {
        id: 'shout',
        name: 'Shout',
        type: 'weft.code',
        parameters: {
          files: 'text',
          code: `const f = items[0].binary.doc;
return [{ json: { note: items[0].json.body.note, size: f.size },
  binary: { doc: f, loud: { data: f.data.toUpperCase(), encoding: 'text', mimeType: 'text/plain', fileName: 'LOUD.txt' } } }];`,
        },
      },
    ],
    connections: [{ source: 'hook', target: 'shout' }],
  };
}

describe.each(sqliteAndPostgres(pg))('execution files over HTTP on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  let other: string;
  const path = `files-${Math.random().toString(36).slice(2, 8)}`;
  const api = (p: string) => `/api/v1/workspaces/${p}`;
  /** Signed URLs carry the configured public URL; the test host listens elsewhere. */
  const local = (url: string) => `${t.base}${new URL(url).pathname}${new URL(url).search}`;

  const upload = (text: string, name = 'hello.txt') => {
    const form = new FormData();
    form.append('note', 'hi');
    form.append('doc', new Blob([text], { type: 'text/plain' }), name);
    return fetch(`${t.base}/hooks/${path}`, { method: 'POST', body: form });
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_BLOB_QUOTA_BYTES: '200' });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    other = (await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Other' } })).body.id;
    expect((await t.call('POST', api(`${ws}/workflows`), { token, body: uploadFlow(path) })).status).toBe(201);
    expect((await t.call('POST', api(`${ws}/workflows/upload/activate`), { token })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('a multipart upload becomes a file reference, read and written by a code node', async () => {
    const res = await upload('hello files');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ note: 'hi', size: 11 });
    const executionId = res.headers.get('x-weft-execution-id') as string;
    const exec = await t.call('GET', api(`${ws}/executions/${executionId}`), { token });
    expect(exec.text).not.toContain('hello files');
    expect(exec.text).not.toContain('HELLO FILES');
    const trigger = exec.body.input.main[0];
    expect(trigger.json.body).toEqual({ note: 'hi' });
    expect(trigger.binary.doc).toMatchObject({
      mimeType: 'text/plain',
      fileName: 'hello.txt',
      size: 11,
      sha256: createHash('sha256').update('hello files').digest('hex'),
    });
    const [out] = exec.body.output.main;
    expect(out.binary.doc).toEqual(trigger.binary.doc);
    expect(out.binary.loud).toMatchObject({ mimeType: 'text/plain', fileName: 'LOUD.txt', size: 11 });

    const fileUrl = (ref: { id: string }, w = ws) =>
      api(`${w}/executions/${executionId}/files/${ref.id.split('/')[2]}`);
    const loud = await t.call('GET', fileUrl(out.binary.loud), { token });
    expect(loud.status).toBe(200);
    expect(loud.text).toBe('HELLO FILES');
    expect(loud.headers.get('content-disposition')).toMatch(/^attachment; filename="LOUD.txt"/);
    expect(loud.headers.get('x-content-type-options')).toBe('nosniff');
    expect(loud.headers.get('etag')).toBe(`"${out.binary.loud.sha256}"`);
    const inline = await t.call('GET', `${fileUrl(trigger.binary.doc)}?inline=true`, { token });
    expect(inline.text).toBe('hello files');
    expect(inline.headers.get('content-disposition')).toMatch(/^inline/);
    expect((await t.call('GET', fileUrl(trigger.binary.doc))).status).toBe(401);
    expect((await t.call('GET', fileUrl(trigger.binary.doc, other), { token })).status).toBe(404);
    expect((await t.call('GET', `${api(`${ws}/executions/${executionId}/files`)}/nope`, { token })).status).toBe(404);

    const link = await t.call('POST', `${fileUrl(out.binary.loud)}/link`, { token });
    expect(link.status).toBe(200);
    const signed = await fetch(local(link.body.url));
    expect(signed.status).toBe(200);
    expect(await signed.text()).toBe('HELLO FILES');
    expect(signed.headers.get('content-security-policy')).toMatch(/^sandbox/);
    const tampered = await fetch(local(link.body.url).replace(/sig=(.)/, (_m, c) => `sig=${c === 'A' ? 'B' : 'A'}`));
    expect(tampered.status).toBe(403);
    const usage = await t.call('GET', api(`${ws}/files/usage`), { token });
    expect(usage.body).toEqual({ usedBytes: 22, quotaBytes: 200 });
  });

  it.skipIf(skip)('a raw file body becomes binary.data; over the quota answers 413 naming the quota', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const raw = await fetch(`${t.base}/hooks/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="p.png"' },
      body: png,
    });
    // The flow expects a multipart "doc"; the upload itself was stored before the code node failed.
    const executionId = raw.headers.get('x-weft-execution-id') as string;
    const exec = await t.call('GET', api(`${ws}/executions/${executionId}`), { token });
    expect(exec.body.input.main[0].json.body).toBeNull();
    expect(exec.body.input.main[0].binary.data).toMatchObject({ mimeType: 'image/png', fileName: 'p.png', size: 8 });

    const big = await upload('x'.repeat(300));
    expect(big.status).toBe(413);
    const problem = await big.json();
    expect(problem.code).toBe('file-quota-exceeded');
    expect(problem.detail).toMatch(/over its quota of 200 bytes/);
    expect((await t.call('GET', api(`${ws}/files/usage`), { token })).body.usedBytes).toBe(30);
  });

  it.skipIf(skip)('files of pruned executions are deleted', async () => {
    const rt = t.host.runtime;
    for await (const _ of rt.executions.pruneExecutions({ keepPerWorkflow: 0 })) {
    }
    expect(await rt.files.removeOrphans(0)).toBe(3);
    expect((await rt.files.list({ prefix: `${ws}/` })).items).toEqual([]);
    expect((await t.call('GET', api(`${ws}/files/usage`), { token })).body.usedBytes).toBe(0);
  });

  it.skipIf(skip)('serves signed upload and download URLs of every file-system bucket', async () => {
    const exports = t.host.runtime.blob.storage.bucket('workflow-exports');
    const put = await exports.presign(`${ws}/a.json`, { method: 'PUT', expiresIn: 60 });
    const stored = await fetch(local(put), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(stored.status).toBe(200);
    const get = await exports.presign(`${ws}/a.json`, { method: 'GET', expiresIn: 60 });
    const read = await fetch(local(get));
    expect(read.headers.get('content-type')).toBe('application/json');
    expect(read.headers.get('content-disposition')).toBe('attachment');
    expect(await read.json()).toEqual({ a: 1 });
    expect((await fetch(local(get), { method: 'PUT', body: 'x' })).status).toBe(403);
    expect((await fetch(`${t.base}/blobs/workflow-exports/${ws}/a.json`)).status).toBe(400);
  });

  it.skipIf(skip)('exports to a signed download link and imports from a signed upload', async () => {
    const exported = await t.call('POST', api(`${ws}/exports`), { token, body: { workflowId: 'upload' } });
    expect(exported.status).toBe(201);
    const doc = await (await fetch(local(exported.body.url))).json();
    expect(doc).toMatchObject({ id: 'upload', name: 'upload' });
    const whole = await t.call('POST', api(`${ws}/exports`), { token, body: { format: 'yaml' } });
    expect(await (await fetch(local(whole.body.url))).text()).toContain('workflows:');

    const link = await t.call('POST', api(`${ws}/imports`), { token });
    expect(link.status).toBe(201);
    const put = await fetch(local(link.body.url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflows: [{ ...doc, id: 'upload-copy', name: 'copy', active: false }] }),
    });
    expect(put.status).toBe(200);
    const imported = await t.call('POST', api(`${ws}/imports/${link.body.uploadId}`), { token });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.items.map((i: { id: string }) => i.id)).toEqual(['upload-copy']);
    const again = await t.call('POST', api(`${ws}/imports/${link.body.uploadId}`), { token });
    expect(again.body.code).toBe('upload-not-found');
    expect((await t.call('POST', api(`${other}/exports`), { token, body: { workflowId: 'upload' } })).status).toBe(404);
  });
});
