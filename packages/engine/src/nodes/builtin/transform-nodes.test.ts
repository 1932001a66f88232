import { describe, expect, it } from 'vitest';
import { WorkflowEngine } from '../../index.js';
import { items, T, wf } from '../../test-utils.js';

const engine = new WorkflowEngine();
async function out(node: { type: string; parameters: Record<string, unknown> }, input: Record<string, unknown>[]) {
  const r = await engine.execute(wf([T, { name: 'N', ...node }], ['T -> N']), { input: items(...input) });
  if (r.status !== 'succeeded') throw new Error(JSON.stringify(r.error));
  return r.outputs;
}
const jsons = (o: Record<string, { json: unknown }[]>, port = 'main') => (o[port] ?? []).map((i) => i.json);

describe('transform nodes', () => {
  it('set: merges or replaces fields, with types and dot paths', async () => {
    const o = await out(
      {
        type: 'weft.set',
        parameters: {
          fields: [
            { name: 'total', value: '{{ $json.a * 2 }}' },
            { name: 'meta.label', value: 'item {{ $itemIndex }}' },
            { name: 'n', value: '42', type: 'number' },
            { name: 'flag', value: 'true', type: 'boolean' },
            { name: 'obj', value: '{"k":1}', type: 'json' },
          ],
        },
      },
      [{ a: 1, keep: true }, { a: 5 }],
    );
    expect(jsons(o)).toEqual([
      { a: 1, keep: true, total: 2, meta: { label: 'item 0' }, n: 42, flag: true, obj: { k: 1 } },
      { a: 5, total: 10, meta: { label: 'item 1' }, n: 42, flag: true, obj: { k: 1 } },
    ]);
    const r = await out(
      { type: 'weft.set', parameters: { mode: 'replace', fields: [{ name: 'x', value: '{{ $json.a }}' }] } },
      [{ a: 3, b: 4 }],
    );
    expect(jsons(r)).toEqual([{ x: 3 }]);
  });

  it('set: a number field that is not a number fails naming the field', async () => {
    const r = await engine.execute(
      wf(
        [T, { name: 'N', type: 'weft.set', parameters: { fields: [{ name: 'n', value: 'abc', type: 'number' }] } }],
        ['T -> N'],
      ),
    );
    expect(r.status).toBe('failed');
    expect(r.error?.message).toContain('Field "n"');
    expect(r.error?.nodeName).toBe('N');
  });

  it('rename and remove fields', async () => {
    expect(
      jsons(
        await out({ type: 'weft.renameFields', parameters: { renames: [{ from: 'a.b', to: 'c' }] } }, [
          { a: { b: 1, x: 2 } },
        ]),
      ),
    ).toEqual([{ a: { x: 2 }, c: 1 }]);
    expect(
      jsons(
        await out({ type: 'weft.removeFields', parameters: { fields: [{ name: 'a' }, { name: 'b.c' }] } }, [
          { a: 1, b: { c: 2, d: 3 }, e: 4 },
        ]),
      ),
    ).toEqual([{ b: { d: 3 }, e: 4 }]);
    expect(
      jsons(
        await out({ type: 'weft.removeFields', parameters: { mode: 'keep', fields: [{ name: 'b.c' }] } }, [
          { a: 1, b: { c: 2, d: 3 } },
        ]),
      ),
    ).toEqual([{ b: { c: 2 } }]);
  });

  it('sort: by several fields, numbers numerically, missing last, stable', async () => {
    const o = await out(
      { type: 'weft.sort', parameters: { fields: [{ field: 'g' }, { field: 'n', order: 'desc' }] } },
      [{ g: 'b', n: 1 }, { g: 'a', n: 2 }, { n: 9 }, { g: 'a', n: 10 }, { g: 'b', n: 1, second: true }],
    );
    expect(jsons(o)).toEqual([
      { g: 'a', n: 10 },
      { g: 'a', n: 2 },
      { g: 'b', n: 1 },
      { g: 'b', n: 1, second: true },
      { n: 9 },
    ]);
  });

  it('limit: first or last', async () => {
    const input = [{ i: 1 }, { i: 2 }, { i: 3 }];
    expect(jsons(await out({ type: 'weft.limit', parameters: { maxItems: 2 } }, input))).toEqual([{ i: 1 }, { i: 2 }]);
    expect(jsons(await out({ type: 'weft.limit', parameters: { maxItems: 2, keep: 'last' } }, input))).toEqual([
      { i: 2 },
      { i: 3 },
    ]);
  });

  it('aggregate: operations and groups', async () => {
    const input = [
      { k: 'x', v: 1 },
      { k: 'y', v: 5 },
      { k: 'x', v: 3 },
    ];
    const o = await out(
      {
        type: 'weft.aggregate',
        parameters: {
          groupBy: 'k',
          fields: [
            { field: 'v', operation: 'sum', as: 'total' },
            { field: 'v', operation: 'collect', as: 'all' },
            { field: 'v', operation: 'max' },
            { field: 'v', operation: 'count', as: 'n' },
          ],
        },
      },
      input,
    );
    expect(jsons(o)).toEqual([
      { k: 'x', total: 4, all: [1, 3], v: 3, n: 2 },
      { k: 'y', total: 5, all: [5], v: 5, n: 1 },
    ]);
    expect(jsons(await out({ type: 'weft.aggregate', parameters: {} }, input))).toEqual([{ items: input }]);
  });

  it('split out: objects become items, scalars go under the field name', async () => {
    const o = await out({ type: 'weft.splitOut', parameters: { field: 'lines', keepOtherFields: true } }, [
      { id: 1, lines: [{ sku: 'a' }, { sku: 'b' }] },
    ]);
    expect(jsons(o)).toEqual([
      { id: 1, sku: 'a' },
      { id: 1, sku: 'b' },
    ]);
    expect(jsons(await out({ type: 'weft.splitOut', parameters: { field: 'tags' } }, [{ tags: ['x', 'y'] }]))).toEqual([
      { tags: 'x' },
      { tags: 'y' },
    ]);
    const bad = await engine.execute(
      wf([T, { name: 'N', type: 'weft.splitOut', parameters: { field: 'a' } }], ['T -> N']),
      { input: items({ a: 1 }) },
    );
    expect(bad.error?.message).toContain('field "a" is not a list');
  });

  it('no-op passes items through', async () => {
    expect(jsons(await out({ type: 'weft.noOp', parameters: {} }, [{ a: 1 }]))).toEqual([{ a: 1 }]);
  });
});
