import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

/** Every file s3rver keeps, concatenated: what the S3 store holds at rest. */
function storedObjects(dir: string): Buffer {
  const files: Buffer[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(files);
}

// The export bundle on an S3-compatible store (s3rver, as the S3 adapter's tests use): stored
// encrypted client-side in the compliance-docs bucket, downloaded through the host's signed link,
// deleted on erasure.
describe('GDPR export bundle on S3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-gdpr-s3-'));
  const s3Dir = join(dir, 's3');
  let s3: S3rver;
  let t: TestHost;
  let token: string;
  let ws: string;
  const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;
  const note = 'difference-engine-notes-1822';

  beforeAll(async () => {
    s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: s3Dir, silent: true });
    const endpoint = `http://127.0.0.1:${((await s3.run()) as { port: number }).port}`;
    t = await startTestHost({
      WEFT_DATA_DIR: join(dir, 'data'),
      WEFT_BLOB_URL: 's3:',
      WEFT_S3_ENDPOINT: endpoint,
      WEFT_S3_ACCESS_KEY_ID: 'S3RVER',
      WEFT_S3_SECRET_ACCESS_KEY: 'S3RVER',
      WEFT_S3_BUCKET_PREFIX: 'gdpr-',
    });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const flow = {
      id: 'signup',
      name: 'Sign-up',
      nodes: [{ id: 'manual', name: 'Manual', type: 'weft.manualTrigger', parameters: {} }],
      connections: [],
    };
    expect((await t.call('POST', api('/workflows'), { token, body: flow })).status).toBe(201);
    const set = await t.call('PUT', api('/compliance-settings'), {
      token,
      body: { scanBlockSeverity: null, subjectPaths: ['email'] },
    });
    expect(set.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the bundle encrypted, serves it through the link, and deletes it on erasure', async () => {
    const ran = await t.call('POST', api('/workflows/signup/run'), {
      token,
      body: { input: [{ json: { email: 'charles@example.org', note } }], wait: true },
    });
    expect(ran.status, ran.text).toBe(200);
    const exported = await t.call('POST', api('/data-subjects/export'), {
      token,
      body: { subject: 'charles@example.org', linkHours: 1 },
    });
    expect(exported.status, exported.text).toBe(201);
    expect(exported.body.expiresAt - Date.now()).toBeLessThanOrEqual(3_600_000);
    const key = `gdpr-exports/${ws}/${exported.body.requestId}.json`;
    expect(storedObjects(join(s3Dir, 'gdpr-compliance-docs')).length).toBeGreaterThan(0);
    expect(storedObjects(s3Dir).includes(note)).toBe(false);
    expect(await t.host.runtime.blob.storage.bucket('compliance-docs').head(key)).toBeDefined();

    const link = new URL(exported.body.url);
    const got = await t.call('GET', `${link.pathname}${link.search}`);
    expect(got.status, got.text).toBe(200);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(got.body).toMatchObject({ subject: 'charles@example.org' });
    expect(got.text).toContain(note);

    const erased = await t.call('POST', api('/data-subjects/erase'), {
      token,
      body: { subject: 'charles@example.org' },
    });
    expect(erased.body).toMatchObject({ keyDestroyed: true, exportBundlesDeleted: 1 });
    expect(await t.host.runtime.blob.storage.bucket('compliance-docs').head(key)).toBeUndefined();
    const gone = await t.call('GET', `${link.pathname}${link.search}`);
    expect(gone.status).toBe(410);
    expect(gone.body.detail).toMatch(/erased/);
  });
});
