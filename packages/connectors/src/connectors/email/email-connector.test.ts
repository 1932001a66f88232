import type { AddressInfo } from 'node:net';
import { NodeRegistry } from '@weft/engine';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { testCredential } from '../../kit/test-credential.js';
import { runNode } from '../../testing/node-context.js';
import { createEmailConnector } from './email-connector.js';

const received: { from: string; to: string[]; raw: string }[] = [];
let server: SMTPServer;
let port = 0;
beforeAll(async () => {
  server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'robot' && auth.password === 'smtp-pass') return cb(null, { user: 'robot' });
      cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@blocked.example')) return cb(new Error('Mailbox unavailable'));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const local = () =>
  createEmailConnector({
    allow: ['127.0.0.1/32'],
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    timeoutMs: 5000,
  });
const credential = (over: Record<string, unknown> = {}) => ({
  id: 'm',
  type: 'email.smtp',
  data: {
    host: 'mail.test',
    port,
    secure: false,
    username: 'robot',
    password: 'smtp-pass',
    from: 'Weft <robot@weft.test>',
    ...over,
  },
});
const send = (connector: ReturnType<typeof createEmailConnector>) =>
  new NodeRegistry().register(...connectorNodeTypes(connector)).get('email.sendEmail')!;

describe('Email (SMTP)', () => {
  it('sends text and HTML with an attachment from binary data', async () => {
    const [out] = await runNode(send(local()), {
      params: {
        to: 'ada@example.com, bo@example.com',
        cc: 'cy@example.com',
        subject: 'Report ✓',
        text: 'See attached',
        html: '<p>See attached</p>',
        attachments: 'report',
      },
      items: [
        {
          json: {},
          binary: {
            report: {
              id: `data:text/csv;base64,${Buffer.from('a,b\n1,2\n').toString('base64')}`,
              mimeType: 'text/csv',
              size: 8,
              fileName: 'r.csv',
            },
          },
        },
      ],
      credential: credential(),
    });
    expect(out?.json).toMatchObject({
      accepted: ['ada@example.com', 'bo@example.com', 'cy@example.com'],
      rejected: [],
    });
    const mail = received.at(-1)!;
    expect(mail.from).toBe('robot@weft.test');
    expect(mail.to).toEqual(['ada@example.com', 'bo@example.com', 'cy@example.com']);
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?/);
    expect(mail.raw).toContain('filename=r.csv');
    expect(mail.raw).toContain(Buffer.from('a,b\n1,2\n').toString('base64'));
  });

  it('reports rejected recipients and bad logins from the server', async () => {
    await expect(
      runNode(send(local()), {
        params: { to: 'x@blocked.example', subject: 's', text: 't' },
        credential: credential(),
      }),
    ).rejects.toThrow(/Mailbox unavailable/);
    const err = await runNode(send(local()), {
      params: { to: 'a@example.com', subject: 's', text: 't' },
      credential: credential({ password: 'wrong-pass' }),
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/Invalid username or password|Invalid login/);
    expect((err as Error).message).not.toContain('wrong-pass');
  });

  it('validates input before connecting', async () => {
    await expect(
      runNode(send(local()), { params: { to: 'a@example.com', subject: 's' }, credential: credential() }),
    ).rejects.toThrow('Email: give a text or an HTML body');
    await expect(
      runNode(send(local()), {
        params: { to: 'a@example.com', subject: 's', text: 't' },
        credential: credential({ from: '' }),
      }),
    ).rejects.toThrow('Email: give From, or a default sender in the SMTP credential');
    await expect(
      runNode(send(local()), {
        params: { to: 'a@example.com', subject: 's', text: 't' },
        credential: credential({ port: 70000 }),
      }),
    ).rejects.toThrow('SMTP credential: port 70000 is not a port number');
  });

  it('refuses SMTP hosts that resolve to private addresses unless allowed', async () => {
    const guarded = createEmailConnector({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    await expect(
      runNode(send(guarded), { params: { to: 'a@example.com', subject: 's', text: 't' }, credential: credential() }),
    ).rejects.toThrow(/mail\.test \(127\.0\.0\.1\) blocked: loopback/);
  });

  it('tests the connection', async () => {
    expect(await testCredential(local(), credential())).toEqual({ ok: true });
    const bad = await testCredential(local(), credential({ password: 'nope-nope' }));
    expect(bad.ok).toBe(false);
  });
});
