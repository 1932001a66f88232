import { Redactor } from '@weft/connectors';
import { describe, expect, it } from 'vitest';
import { createHostLogger } from './host-logger.js';

function capture(redactor = new Redactor()) {
  const lines: string[] = [];
  const logger = createHostLogger({ level: 'info', redactor, destination: { write: (s: string) => lines.push(s) } });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed, redactor };
}

describe('host logger', () => {
  it('masks secret field and header names at the top level, in headers and under user', () => {
    const { logger, parsed } = capture();
    logger.info(
      {
        authorization: 'Bearer abc',
        'proxy-authorization': 'Basic abc',
        password: 'pw',
        req: { headers: { authorization: 'Basic xyz', 'x-api-key': 'key', cookie: 'sid=1', accept: '*/*' } },
        headers: { 'set-cookie': 'sid=2', 'x-webhook-secret': 'hook' },
        user: { name: 'ada', token: 'tk', clientSecret: 'cs' },
      },
      'request',
    );
    const [line] = parsed();
    expect(line).toMatchObject({
      service: 'weft-host',
      authorization: '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      password: '[REDACTED]',
      req: {
        headers: { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', cookie: '[REDACTED]', accept: '*/*' },
      },
      headers: { 'set-cookie': '[REDACTED]', 'x-webhook-secret': '[REDACTED]' },
      user: { name: 'ada', token: '[REDACTED]', clientSecret: '[REDACTED]' },
      msg: 'request',
    });
  });

  it('removes every secret value the redactor knows, anywhere in the line, messages and errors included', () => {
    const { logger, lines, redactor } = capture();
    const secret = 'sk_live_9f8e7d6c5b4a';
    logger.info({ url: `https://api.example.com/?key=${secret}` }, 'before the vault saw it');
    expect(lines[0]).toContain(secret);
    redactor.add(secret);
    logger.info({ url: `https://api.example.com/?key=${secret}`, note: { deep: [secret] } }, `calling with ${secret}`);
    logger.error({ err: new Error(`401 for ${secret}`) }, 'request failed');
    const after = lines.slice(1).join('');
    expect(after).not.toContain(secret);
    expect(JSON.parse(lines[1]!)).toMatchObject({
      url: 'https://api.example.com/?key=[REDACTED]',
      note: { deep: ['[REDACTED]'] },
      msg: 'calling with [REDACTED]',
    });
    expect(JSON.parse(lines[2]!).err.message).toBe('401 for [REDACTED]');
  });

  it('writes lines without secrets unchanged', () => {
    const { logger, lines, redactor } = capture();
    redactor.add('some-known-secret');
    logger.info({ status: 202, url: '/hooks/orders' }, 'request');
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 202, url: '/hooks/orders', msg: 'request' });
  });
});
