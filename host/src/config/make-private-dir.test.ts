import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const mode = (path: string) => statSync(path).mode & 0o777;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(path);
    if (entry.isDirectory()) walk(path, out);
  }
  return out;
}

describe.skipIf(process.platform === 'win32')('data directory modes', () => {
  let root: string;
  let dataDir: string;
  let t: TestHost;
  let umask: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'weft-data-modes-'));
    dataDir = join(root, 'srv', '.weft');
    // The widest umask: whatever the modes end up as, the host set them.
    umask = process.umask(0);
    t = await startTestHost({ WEFT_DATA_DIR: dataDir });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the data directory 0700 and everything in it owner-only', async () => {
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const workflow = {
      id: 'big',
      name: 'Big output',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        { id: 'c', name: 'Big', type: 'weft.code', parameters: { code: 'return [{ big: "x".repeat(200000) }];' } },
      ],
      connections: [{ source: 't', target: 'c' }],
    };
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: workflow })).status).toBe(201);
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/big/run`, { token, body: { wait: true } });
    expect(run.body.result.status).toBe('succeeded');

    expect(mode(join(root, 'srv'))).toBe(0o700);
    expect(mode(dataDir)).toBe(0o700);
    const entries = walk(dataDir);
    for (const name of ['weft.db', 'weft.db-wal', 'weft.db-shm', 'master.key', 'vapid.json', 'blobs']) {
      expect(entries).toContain(join(dataDir, name));
    }
    expect(entries.filter((p) => p.startsWith(join(dataDir, 'blobs')) && statSync(p).isFile()).length).toBeGreaterThan(
      0,
    );
    for (const path of entries) {
      expect(mode(path), path).toBe(statSync(path).isDirectory() ? 0o700 : 0o600);
    }
  });
});
