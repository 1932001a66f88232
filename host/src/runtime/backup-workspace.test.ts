import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { exportWorkspaceCommand, importWorkspaceCommand } from '../cli/workspace-bundle-commands.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pgService = await serviceUrl('pg');
const SECRET = 'hook-secret-7f3a91c2';
const PASSPHRASE = 'correct horse battery staple';

/** A signed URL of a host, sent to where the test host listens (its public URL has no port). */
const local = (t: TestHost, url: string) => {
  const u = new URL(url);
  return `${t.base}${u.pathname}${u.search}`;
};

describe.each(sqliteAndPostgres(pgService))('whole-workspace bundles on %s', (_name, skip, open) => {
  let source: TestHost;
  let target: TestHost;
  const drops: (() => Promise<void>)[] = [];
  const envs: Record<string, string>[] = [];
  let ws: string;
  let token: string;
  let credId: string;
  const work = mkdtempSync(join(tmpdir(), 'weft-bundle-test-'));

  beforeAll(async () => {
    if (skip) return;
    for (const side of ['source', 'target']) {
      const o = await open();
      if (o.drop) drops.push(o.drop);
      envs.push({ ...o.env, WEFT_DATA_DIR: join(work, side) });
    }
    source = await startTestHost(envs[0]);
    target = await startTestHost(envs[1]);
    token = await source.login('owner@example.com', 'owner-password');
    ws = (await source.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const cred = await source.call('POST', `/api/v1/workspaces/${ws}/credentials`, {
      token,
      body: { type: 'weft.webhookHeaderSecret', name: 'hook secret', data: { header: 'x-hook-token', secret: SECRET } },
    });
    credId = cred.body.id;
    const saved = await source.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: {
        id: 'guarded',
        name: 'Guarded hook',
        nodes: [
          {
            id: 'hook',
            name: 'Hook',
            type: 'weft.webhook',
            parameters: { path: `guarded-${_name}`, methods: ['POST'], responseMode: 'lastNode' },
            credentials: { auth: credId },
          },
        ],
        connections: [],
      },
    });
    expect(saved.status).toBe(201);
    const identity = source.host.runtime.identity;
    const ed = await identity.createUser({
      email: 'ed@example.com',
      name: 'Ed',
      passwordHash: await hashPassword('ed-password-1'),
    });
    await identity.setMember(ws, ed.id, 'editor');
    await target.host.runtime.identity.createUser({
      email: 'ed@example.com',
      name: 'Ed',
      passwordHash: await hashPassword('ed-password-2'),
    });
    const vi = await identity.createUser({ email: 'vi@example.com', name: 'Vi', passwordHash: null });
    await identity.setMember(ws, vi.id, 'viewer');
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
    for (const d of drops) await d();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'exports through a signed link and imports into another host: credentials, workflows, members',
    async () => {
      const short = await source.call('POST', `/api/v1/workspaces/${ws}/export/bundle`, {
        token,
        body: { passphrase: 'short' },
      });
      expect(short.status).toBe(400);
      expect(JSON.stringify(short.body)).toContain('passphrase');

      const link = await source.call('POST', `/api/v1/workspaces/${ws}/export/bundle`, {
        token,
        body: { passphrase: PASSPHRASE },
      });
      expect(link.status).toBe(201);
      expect(link.body).toMatchObject({ workflows: 1, credentials: 1, members: 3 });
      const text = await (await fetch(local(source, link.body.url))).text();
      expect(text).not.toContain(SECRET); // sealed, not just encoded
      expect(text).toContain('"hook secret"');

      // Into the target host's workspace, through its upload link.
      const tToken = await target.login('owner@example.com', 'owner-password');
      const tWs = (await target.call('GET', '/api/v1/workspaces', { token: tToken })).body.items[0].id;
      const upload = async () => {
        const u = await target.call('POST', `/api/v1/workspaces/${tWs}/imports`, { token: tToken });
        expect((await fetch(local(target, u.body.url), { method: 'PUT', body: text })).status).toBe(200);
        return u.body.uploadId as string;
      };
      const wrong = await target.call('POST', `/api/v1/workspaces/${tWs}/import/bundle/${await upload()}`, {
        token: tToken,
        body: { passphrase: 'not the passphrase at all' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('wrong-passphrase');
      expect(await target.host.runtime.vault.list(tWs)).toEqual([]); // nothing written

      const done = await target.call('POST', `/api/v1/workspaces/${tWs}/import/bundle/${await upload()}`, {
        token: tToken,
        body: { passphrase: PASSPHRASE },
      });
      expect(done.status).toBe(200);
      expect(done.body.workflows).toEqual([{ id: 'guarded', name: 'Guarded hook' }]);
      expect(done.body.members.added.map((m: { email: string }) => m.email).sort()).toEqual([
        'ed@example.com',
        'owner@example.com',
      ]);
      expect(done.body.members.invited).toEqual([
        { email: 'vi@example.com', role: 'viewer', url: expect.stringContaining('/signup?token=') },
      ]);
      const newId = done.body.credentials[0].id as string;
      expect(newId).not.toBe(credId);
      const rt = target.host.runtime;
      const resolved = await rt.vault.resolve({ workspaceId: tWs, credentialId: newId, nodeType: 'weft.webhook' });
      expect(resolved.data).toEqual({ header: 'x-hook-token', secret: SECRET });
      const wf = await rt.engine.workflows.get(tWs, 'guarded');
      expect(wf?.active).toBe(false);
      expect(wf?.workflow.nodes[0]?.credentials).toEqual({ auth: newId });
      const ed = await rt.identity.userByEmail('ed@example.com');
      expect(await rt.identity.roleOf(tWs, ed?.id as string)).toBe('editor');
    },
  );

  it.skipIf(skip)('weft export-workspace and weft import-workspace --owner make a new workspace', async () => {
    const lines: string[] = [];
    const file = join(work, 'bundle.json');
    const secretFile = join(work, 'passphrase');
    writeFileSync(secretFile, `${PASSPHRASE}\n`);
    expect(
      await exportWorkspaceCommand({ workspace: ws, out: file, passphraseFile: secretFile }, (l) => lines.push(l), {
        ...envs[0],
        WEFT_LOG_LEVEL: 'silent',
      }),
    ).toBe(0);
    expect(lines[0]).toMatch(/^Exported 1 workflow, 1 credential \(sealed\) and 3 members to /);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    const env = { ...envs[1], WEFT_LOG_LEVEL: 'silent', WEFT_BUNDLE_PASSPHRASE: PASSPHRASE };
    await expect(importWorkspaceCommand({ file, owner: 'nobody@example.com' }, () => {}, env)).rejects.toThrow(
      /No user with email nobody@example.com/,
    );
    await expect(
      importWorkspaceCommand({ file, owner: 'owner@example.com' }, () => {}, {
        ...env,
        WEFT_BUNDLE_PASSPHRASE: 'a wrong passphrase',
      }),
    ).rejects.toThrow(/passphrase does not open this bundle/);
    expect(await importWorkspaceCommand({ file, owner: 'owner@example.com' }, (l) => lines.push(l), env)).toBe(0);
    expect(lines.at(-1)).toMatch(
      /^Imported 1 workflow \(inactive\), 1 credential, 2 members and 1 invite into workspace /,
    );
    const created = /Created workspace (\S+)/.exec(lines.join('\n'))?.[1] as string;
    const creds = await target.host.runtime.vault.list(created);
    expect(creds.map((c) => c.name)).toEqual(['hook secret']);
  });
});
