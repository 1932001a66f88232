#!/usr/bin/env node
// Blob streaming benchmark: put and get one large object (BENCH_BLOB_MB, default 256; 1024 for the
// issue's 1 GB) through FileSystemBlobStore and S3BlobStore against s3rver on loopback (plain and
// client-side encrypted), beside a plain fs stream copy of the same bytes measured in the same run.
// Each case runs in its own process, so its peak RSS (getrusage maxrss) is its own; s3rver runs in
// this parent process. Flat memory means peak RSS does not grow with BENCH_BLOB_MB.
// Needs a build first (`npm run bench` in this package builds @weft/s3 and @weft/fs).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const MB = Number(process.env.BENCH_BLOB_MB ?? 256);
const CASES = ['fs copy (baseline)', 'FileSystemBlobStore', 'S3BlobStore (s3rver)', 'S3BlobStore + AES-GCM'];

if (process.argv[2] === '--case') await runCase(JSON.parse(process.argv[3]));
else await main();

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'weft-blob-bench-'));
  const source = join(dir, 'source.bin');
  await writeSource(source, MB);
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: join(dir, 's3rver'), silent: true });
  const { port } = await server.run();
  const rows = [];
  try {
    for (const name of CASES) {
      const args = JSON.stringify({ name, dir, source, endpoint: `http://127.0.0.1:${port}` });
      // Asynchronous: s3rver answers from this process's event loop while the case runs.
      const stdout = await runChild([fileURLToPath(import.meta.url), '--case', args], name);
      rows.push(JSON.parse(stdout.trim().split('\n').at(-1)));
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`blob streaming, ${MB} MiB object, node ${process.version}, ${cpus().length} cpus\n`);
  console.log('| case | put MB/s | get MB/s | RSS at start (MB) | peak RSS (MB) | vs baseline put / get |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const [base] = rows;
  for (const r of rows) {
    const vs = r === base ? '1.00x / 1.00x' : `${(r.put / base.put).toFixed(2)}x / ${(r.get / base.get).toFixed(2)}x`;
    console.log(`| ${r.name} | ${r.put.toFixed(0)} | ${r.get.toFixed(0)} | ${r.startRss} | ${r.peakRss} | ${vs} |`);
  }
}

function runChild(args, name) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} failed (exit ${code})`))));
  });
}

async function writeSource(path, mb) {
  const block = randomBytes(1024 * 1024);
  async function* blocks() {
    for (let i = 0; i < mb; i++) yield block;
  }
  await pipeline(blocks, createWriteStream(path));
}

function sink(hash) {
  let size = 0;
  const writable = new Writable({
    write(chunk, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done();
    },
  });
  return { writable, size: () => size };
}

async function runCase({ name, dir, source, endpoint }) {
  const startRss = Math.round(process.memoryUsage().rss / 1e6);
  const bytes = (await stat(source)).size;
  const { put, get } = await open(name, dir, endpoint);
  globalThis.gc?.();
  let t = performance.now();
  await put(source);
  const putS = (performance.now() - t) / 1000;
  globalThis.gc?.();
  t = performance.now();
  const hash = createHash('sha256');
  const out = sink(hash);
  await get(out.writable);
  const getS = (performance.now() - t) / 1000;
  if (out.size() !== bytes) throw new Error(`${name}: read ${out.size()} of ${bytes} bytes`);
  const peakRss = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  const mb = bytes / 1e6;
  console.log(JSON.stringify({ name, put: mb / putS, get: mb / getS, startRss, peakRss }));
}

async function open(name, dir, endpoint) {
  const key = 'bench/large.bin';
  if (name === 'fs copy (baseline)') {
    const target = join(dir, 'copy.bin');
    return {
      put: (src) => pipeline(createReadStream(src), createWriteStream(target)),
      get: (writable) => pipeline(createReadStream(target), writable),
    };
  }
  const { Readable } = await import('node:stream');
  let store;
  if (name === 'FileSystemBlobStore') {
    const { FileSystemBlobStore } = await import('@weft/fs');
    store = new FileSystemBlobStore({ root: join(dir, 'fs-store') });
  } else {
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const { S3BlobStore, staticBlobKeys } = await import('../dist/index.js');
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const encrypted = name.includes('AES');
    const bucket = encrypted ? 'bench-encrypted' : 'bench-plain';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    store = new S3BlobStore({
      client,
      bucket,
      ...(encrypted && { clientSideEncryption: staticBlobKeys([{ id: 'bench', key: randomBytes(32) }]) }),
    });
  }
  return {
    put: (src) => store.put(key, createReadStream(src), { contentType: 'application/octet-stream' }),
    get: async (writable) => {
      const { body } = await store.getStream(key);
      await pipeline(Readable.fromWeb(body), writable);
    },
  };
}
