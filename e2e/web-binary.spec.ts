import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import S3rver from 's3rver';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// Files through a workflow against a real `weft start` whose blob storage is an S3-compatible
// server (s3rver on loopback): a multipart webhook upload is stored as a file reference, a code
// node writes an upper-cased copy, the S3 connector uploads that copy to a bucket, and the
// execution view previews and downloads both files.
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let host: WebHost;
let s3: S3rver;
let s3Dir: string;
let endpoint: string;
let executionId: string;

const flow = (credentialId: string) => ({
  name: 'Shout files',
  nodes: [
    {
      id: 'hook',
      name: 'Upload',
      type: 'weft.webhook',
      parameters: { path: 'upload', methods: ['POST'], responseMode: 'lastNode' },
      position: [0, 0],
    },
    {
      id: 'shout',
      name: 'Shout',
      type: 'weft.code',
      parameters: {
        files: 'text',
        code: `const doc = items[0].binary.doc;
return [{ json: { note: items[0].json.body.note }, binary: {
  loud: { data: doc.data.toUpperCase(), encoding: 'text', mimeType: 'text/plain', fileName: 'LOUD.txt' } } }];`,
      },
      position: [260, 0],
    },
    {
      id: 'store',
      name: 'Store',
      type: 's3.putObject',
      parameters: { bucket: 'shouted', key: 'loud.txt', binaryProperty: 'loud' },
      credentials: { auth: credentialId },
      position: [520, 0],
    },
  ],
  connections: [
    { source: 'hook', target: 'shout' },
    { source: 'shout', target: 'store' },
  ],
});

test.beforeAll(async () => {
  s3Dir = mkdtempSync(join(tmpdir(), 'weft-e2e-s3-'));
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: s3Dir,
    silent: true,
    configureBuckets: [{ name: 'shouted' }],
  });
  const { port } = (await s3.run()) as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
  host = await startWebHost({
    WEFT_SEED_EXAMPLES: 'false',
    WEFT_BLOB_URL: 's3:',
    WEFT_S3_ENDPOINT: endpoint,
    WEFT_S3_ACCESS_KEY_ID: 'S3RVER',
    WEFT_S3_SECRET_ACCESS_KEY: 'S3RVER',
    WEFT_S3_BUCKET_PREFIX: 'weft-',
    WEFT_HTTP_ALLOW: '127.0.0.1',
  });
  const { client, workspaceId: ws } = await ownerClient(host);
  const credential = await client.transport.request<{ id: string }>('POST', `/workspaces/${ws}/credentials`, {
    body: {
      type: 's3.accessKey',
      name: 'local S3',
      data: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1', endpoint },
    },
  });
  const created = await client.workflows.create(ws, flow(credential.id) as never);
  await client.transport.request('POST', `/workspaces/${ws}/workflows/${created.id}/activate`);
  const form = new FormData();
  form.append('note', 'from e2e');
  form.append('doc', new Blob(['hello files'], { type: 'text/plain' }), 'hello.txt');
  const res = await fetch(`${host.baseUrl}/hooks/upload`, { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(200);
  executionId = res.headers.get('x-weft-execution-id') as string;
});

test.afterAll(async () => {
  await host?.stop();
  await s3?.close();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
});

test('an uploaded file and the file a node made are previewed and downloaded from the execution view', async ({
  page,
}) => {
  // The S3 connector wrote the transformed file to the workflow's own bucket.
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const object = await client.send(new GetObjectCommand({ Bucket: 'shouted', Key: 'loud.txt' }));
  expect(await object.Body?.transformToString()).toBe('HELLO FILES');
  client.destroy();

  await signIn(page, host);
  await page.goto(`${host.baseUrl}/executions/${executionId}`);
  const files = page.getByRole('region', { name: 'Files' });
  const rows = files.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('hello.txt');
  await expect(rows.nth(0)).toContainText('Trigger');
  await expect(rows.nth(1)).toContainText('LOUD.txt');
  await expect(rows.nth(1)).toContainText('11 B');

  await rows.nth(1).getByRole('button', { name: 'Preview' }).click();
  await expect(files.locator('.file-preview pre')).toHaveText('HELLO FILES');

  const downloading = page.waitForEvent('download');
  await rows.nth(0).getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('hello.txt');
  const saved = join(s3Dir, 'downloaded.txt');
  await download.saveAs(saved);
  expect(readFileSync(saved, 'utf8')).toBe('hello files');
});
