import { describe, expect, it } from 'vitest';
import { MessageChannelEnd } from './message-channel.js';
import { isEnvelope, PROTOCOL, themeToCssVariables } from './protocol.js';

function setup(peerOrigin = 'https://weft.example.com') {
  const listeners = new Set<(e: unknown) => void>();
  const self = {
    addEventListener: (_: string, l: (e: unknown) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: unknown) => void) => listeners.delete(l),
  } as unknown as Window;
  const sent: { message: unknown; targetOrigin: string }[] = [];
  const peer = { postMessage: (message: unknown, targetOrigin: string) => sent.push({ message, targetOrigin }) };
  const channel = new MessageChannelEnd({ self, peer: () => peer, peerOrigin });
  const got: unknown[] = [];
  channel.onMessage((m) => got.push(m));
  const deliver = (data: unknown, origin: string, source: unknown) => {
    for (const l of listeners) l({ data, origin, source });
  };
  return { channel, peer, sent, got, deliver, listeners };
}

const msg = (m: Record<string, unknown>) => ({ protocol: PROTOCOL, v: 1, ...m });

describe('MessageChannelEnd', () => {
  it('sends every message to the exact peer origin, never *', () => {
    const { channel, sent } = setup('https://weft.example.com/some/path');
    channel.send({ type: 'hello' });
    channel.send({ type: 'event', event: 'ready' });
    expect(sent.map((s) => s.targetOrigin)).toEqual(['https://weft.example.com', 'https://weft.example.com']);
    expect(sent[0]?.message).toEqual({ type: 'hello', protocol: 'weft-embed', v: 1 });
  });

  it('refuses a wildcard or opaque peer origin', () => {
    expect(() => setup('*')).toThrow(/exact origin/);
    expect(() => setup('null')).toThrow(/exact origin/);
  });

  it('accepts only well-formed messages from the peer origin and the peer window', () => {
    const { peer, got, deliver } = setup();
    deliver(msg({ type: 'hello' }), 'https://weft.example.com', peer);
    deliver(msg({ type: 'hello' }), 'https://evil.example.com', peer);
    deliver(msg({ type: 'hello' }), 'https://weft.example.com', {});
    deliver(msg({ type: 'hello' }), 'https://weft.example.com', null);
    deliver({ type: 'hello' }, 'https://weft.example.com', peer);
    deliver(msg({ type: 'response' }), 'https://weft.example.com', peer);
    deliver(msg({ type: 'init' }), 'https://weft.example.com', peer);
    deliver(msg({ type: 'launch-missiles' }), 'https://weft.example.com', peer);
    deliver('hello', 'https://weft.example.com', peer);
    expect(got).toEqual([{ type: 'hello' }]);
  });

  it('stops listening when closed', () => {
    const { channel, listeners } = setup();
    expect(listeners.size).toBe(1);
    channel.close();
    expect(listeners.size).toBe(0);
  });
});

describe('protocol', () => {
  it('validates envelopes', () => {
    expect(isEnvelope(msg({ type: 'token', token: 'abc' }))).toBe(true);
    expect(isEnvelope(msg({ type: 'token' }))).toBe(false);
    expect(isEnvelope({ ...msg({ type: 'hello' }), v: 2 })).toBe(false);
  });

  it('maps a theme to CSS variables', () => {
    expect(
      themeToCssVariables({ mode: 'dark', colors: { primary: '#f00' }, fontFamily: 'Inter', radius: '6px' }),
    ).toEqual({
      '--weft-color-primary': '#f00',
      '--weft-font-family': 'Inter',
      '--weft-radius': '6px',
      '--weft-color-scheme': 'dark',
    });
  });
});
