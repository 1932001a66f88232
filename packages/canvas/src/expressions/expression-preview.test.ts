import { describe, expect, it } from 'vitest';
import { sampleItems } from '../../demo/fixtures.js';
import { previewExpression } from './expression-preview.js';

describe('previewExpression', () => {
  it('evaluates templates with the engine sandbox against the first item', async () => {
    expect(await previewExpression('Hi {{ $json.customer.name }}!', { items: sampleItems })).toEqual({
      kind: 'value',
      value: 'Hi Ada!',
    });
    expect(await previewExpression('{{ $json.total * 2 }}', { items: sampleItems })).toEqual({
      kind: 'value',
      value: 500,
    });
    expect(
      await previewExpression('{{ $("Fetch").first().json.id }}', { items: [], nodes: { Fetch: sampleItems } }),
    ).toEqual({ kind: 'value', value: 1001 });
  });

  it('returns literals unchanged', async () => {
    expect(await previewExpression('plain', { items: [] })).toEqual({ kind: 'literal', value: 'plain' });
  });

  it('reports syntax and runtime errors', async () => {
    const syntax = await previewExpression('{{ $json.total + }}', { items: sampleItems });
    expect(syntax.kind).toBe('error');
    const runtime = await previewExpression('{{ $json.nope.deeper }}', { items: sampleItems });
    expect(runtime).toMatchObject({ kind: 'error', message: expect.stringMatching(/deeper|undefined/) });
  });
});
