import { describe, expect, it } from 'vitest';
import { ChatStreamReader } from './chat-stream-reader.js';

const event = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;

describe('ChatStreamReader', () => {
  it('joins content and tool-call fragments split anywhere, and keeps the usage', () => {
    const text =
      event({ model: 'm1', choices: [{ delta: { content: 'Héllo' } }] }) +
      event({
        choices: [{ delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'add_', arguments: '{"ty' } }] } }],
      }) +
      event({
        choices: [{ delta: { tool_calls: [{ index: 0, function: { name: 'node', arguments: 'pe":"x"}' } }] } }],
      }) +
      event({
        choices: [{ delta: { tool_calls: [{ index: 1, id: 'c2', function: { name: 'finish', arguments: '{}' } }] } }],
      }) +
      event({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] }) +
      event({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 3 } }) +
      'data: [DONE]\n\n' +
      event({ choices: [{ delta: { content: 'after done' } }] });
    const deltas: string[] = [];
    const reader = new ChatStreamReader('asked', (d) => deltas.push(d));
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.slice(i, i + 7));
    expect(reader.end()).toEqual({
      content: 'Héllo',
      toolCalls: [
        { id: 'c1', name: 'add_node', arguments: '{"type":"x"}' },
        { id: 'c2', name: 'finish', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      model: 'm1',
      usage: { promptTokens: 12, completionTokens: 3 },
    });
    expect(deltas.join('')).toBe('Héllo');
  });

  it('throws naming an event that is not JSON, an in-stream error, and an empty stream', () => {
    const bad = new ChatStreamReader('m');
    expect(() => bad.push(new TextEncoder().encode('data: {oops\n\n'))).toThrow(/not JSON \(event 1\): \{oops/);
    const failed = new ChatStreamReader('m');
    expect(() => failed.push(new TextEncoder().encode(event({ error: { message: 'overloaded', code: 529 } })))).toThrow(
      'Chat stream reported an error (529): overloaded',
    );
    expect(() => new ChatStreamReader('m').end()).toThrow(/without any event/);
  });
});
