import { describe, expect, it } from 'vitest';
import { type SseMessage, SseParser } from './sse-parser.js';

function parse(...chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const parser = new SseParser((m) => messages.push(m));
  for (const c of chunks) parser.push(c);
  return { messages, parser };
}

describe('SseParser', () => {
  it('dispatches id, event and multi-line data at a blank line', () => {
    const { messages } = parse('id: 7\nevent: node:executed\ndata: {"a":1,\ndata: "b":2}\n\n');
    expect(messages).toEqual([{ id: '7', event: 'node:executed', data: '{"a":1,\n"b":2}' }]);
  });

  it('joins fields split across chunks and accepts CRLF line ends', () => {
    const { messages } = parse('id: 1\r\nda', 'ta: x\r', '\n\r\nid: 2\ndata: y\n', '\n');
    expect(messages.map((m) => [m.id, m.data])).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
  });

  it('keeps a CRLF split between chunks as one line end', () => {
    expect(parse('data: a\r', '\ndata: b\r\n\r\n').messages).toEqual([
      { id: undefined, event: 'message', data: 'a\nb' },
    ]);
  });

  it('skips comments, keeps the last id for later messages and reads retry', () => {
    const { messages, parser } = parse(': connected\nretry: 2000\n\n', 'id: 5\ndata: a\n\n', 'data: b\n\n');
    expect(parser.retry).toBe(2000);
    expect(messages).toEqual([
      { id: '5', event: 'message', data: 'a' },
      { id: '5', event: 'message', data: 'b' },
    ]);
  });

  it('does not dispatch an event without data', () => {
    expect(parse('event: ping\n\n').messages).toEqual([]);
  });
});
