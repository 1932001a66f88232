import { describe, expect, it } from 'vitest';
import { ChatStreamParser, collectChatStream } from './chat-stream-parser.js';

const event = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;
const piece = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'm1',
  choices: [{ delta: { content }, finish_reason: null }],
  ...extra,
});
const STREAM =
  ': keep-alive comment\n\n' +
  event(piece('Grüß ')) +
  'event: message\nid: 7\r\n' +
  `data: ${JSON.stringify(piece('dich, '))}\r\n\r\n` +
  event(piece('🌍!')) +
  event({ model: 'm1', choices: [{ delta: {}, finish_reason: 'stop' }], usage: { total_tokens: 5 } }) +
  'data: [DONE]\n\n' +
  event(piece('after done is ignored'));

describe('ChatStreamParser', () => {
  it('gives the same deltas and answer however the bytes are split (even inside a character)', () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
      const deltas: string[] = [];
      const parser = new ChatStreamParser((d) => deltas.push(d));
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
      expect(deltas, `chunks of ${size} bytes`).toEqual(['Grüß ', 'dich, ', '🌍!']);
      expect(parser.end()).toEqual({
        content: 'Grüß dich, 🌍!',
        finishReason: 'stop',
        model: 'm1',
        usage: { total_tokens: 5 },
      });
    }
  });

  it('hands each delta over as soon as its event is complete', () => {
    const deltas: string[] = [];
    const parser = new ChatStreamParser((d) => deltas.push(d));
    const enc = new TextEncoder();
    parser.push(enc.encode(event(piece('one')).slice(0, -1)));
    expect(deltas).toEqual([]);
    parser.push(enc.encode('\n'));
    expect(deltas).toEqual(['one']);
  });

  it('joins multi-line data fields and takes an event left without its blank line at the end', () => {
    const json = JSON.stringify(piece('split'), null, 1).split('\n');
    expect(
      collectChatStream(`${json.map((l) => `data: ${l}`).join('\n')}\n\n${event(piece('!')).trimEnd()}`),
    ).toMatchObject({
      content: 'split!',
    });
  });

  it('fails with a clear error on a malformed event, an in-stream error, or no events', () => {
    expect(() => collectChatStream(`${event(piece('a'))}data: {oops\n\n`)).toThrow(
      'Chat stream sent an event that is not JSON (event 2): {oops',
    );
    expect(() => collectChatStream(event({ error: { message: 'Rate limit reached', code: 'rate_limit' } }))).toThrow(
      'Chat stream reported an error (rate_limit): Rate limit reached',
    );
    expect(() => collectChatStream('{"choices": []}')).toThrow('Chat stream ended without any event');
  });
});
