import { describe, expect, it } from 'vitest';
import { builtinNodeTypes, NodeRegistry, validateWorkflow } from '../index.js';
import { T, wf } from '../test-utils.js';

const registry = new NodeRegistry().register(...builtinNodeTypes);
const codes = (w: unknown) => validateWorkflow(w, registry).problems.map((p) => `${p.code} ${p.path}`);

describe('validateWorkflow', () => {
  it('accepts a valid workflow', () => {
    const w = wf(
      [T, { name: 'S', type: 'weft.set', parameters: { fields: [{ name: 'a', value: '{{ $json.x + 1 }}' }] } }],
      ['T -> S'],
    );
    expect(validateWorkflow(w, registry)).toEqual({ valid: true, problems: [] });
  });

  it('reports schema problems with JSON pointers', () => {
    const problems = validateWorkflow({ name: '', nodes: [{ id: 'a' }], connections: [], extra: 1 }, registry).problems;
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('/name');
    expect(paths).toContain('/nodes/0/name');
    expect(paths).toContain('/nodes/0/type');
    expect(paths).toContain('/extra');
    expect(problems.every((p) => p.code === 'schema' && p.message.length > 0)).toBe(true);
  });

  it('accepts pinned items keyed by node id and reports pins of missing nodes and malformed items', () => {
    const w = wf([T, { name: 'S', type: 'weft.noOp' }], ['T -> S'], {
      pinData: { S: [{ json: { a: 1 } }, { json: {}, binary: { f: { id: 'k', mimeType: 'text/plain', size: 3 } } }] },
    });
    expect(validateWorkflow(w, registry)).toEqual({ valid: true, problems: [] });
    expect(codes({ ...w, pinData: { gone: [{ json: {} }], 'a/b': [] } })).toEqual([
      'dangling-pin-data /pinData/gone',
      'dangling-pin-data /pinData/a~1b',
    ]);
    expect(codes({ ...w, pinData: { S: [{ a: 1 }] } })).toContain('schema /pinData/S/0/json');
  });

  it('reports a missing property once', () => {
    const problems = validateWorkflow({ nodes: [], connections: [{ source: 'a' }] }, registry).problems;
    expect(problems.map((p) => p.message)).toEqual([
      '/name: is required (expected required property)',
      '/connections/0/target: is required (expected required property)',
    ]);
  });

  it('reports unknown node types and versions', () => {
    expect(codes(wf([T, { name: 'X', type: 'acme.nope' }], ['T -> X']))).toEqual(['unknown-node-type /nodes/1/type']);
    expect(codes(wf([{ ...T, typeVersion: 9 }]))).toEqual(['unknown-node-type /nodes/0/typeVersion']);
  });

  it('reports duplicate ids and names', () => {
    const w = wf([T, { name: 'A', type: 'weft.noOp', id: 'T' }, { name: 'A', type: 'weft.noOp', id: 'x' }]);
    expect(codes(w)).toEqual(['duplicate-id /nodes/1/id', 'duplicate-name /nodes/2/name']);
  });

  it('reports dangling connections and unknown ports', () => {
    const w = wf([T, { name: 'If', type: 'weft.if' }], ['T -> Ghost', 'If:maybe -> T', 'T -> If:other']);
    expect(codes(w)).toEqual([
      'dangling-connection /connections/0/target',
      'unknown-port /connections/1/sourcePort',
      'unknown-port /connections/1/targetPort',
      'unknown-port /connections/2/targetPort',
      'cycle /connections/1',
    ]);
  });

  it('reports cycles unless closed through a loop feedback input', () => {
    const bad = wf(
      [T, { name: 'A', type: 'weft.noOp' }, { name: 'B', type: 'weft.noOp' }],
      ['T -> A', 'A -> B', 'B -> A'],
    );
    const p = validateWorkflow(bad, registry).problems;
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ code: 'cycle', path: '/connections/2' });
    expect(p[0]?.message).toContain('A -> B -> A');
    const good = wf(
      [T, { name: 'L', type: 'weft.loop' }, { name: 'B', type: 'weft.noOp' }],
      ['T -> L', 'L:loop -> B', 'B -> L:continue'],
    );
    expect(codes(good)).toEqual([]);
  });

  it('reports missing and mistyped parameters, respecting display options', () => {
    const w = wf([
      T,
      { name: 'Stop', type: 'weft.stopAndError', parameters: {} },
      { name: 'Lim', type: 'weft.limit', parameters: { maxItems: 'three', keep: 'middle' } },
      { name: 'Wait', type: 'weft.wait', parameters: { mode: 'duration', until: 'not a date' } },
      { name: 'Set', type: 'weft.set', parameters: { fields: [{ value: 'x' }, 'oops'] } },
    ]);
    expect(codes(w)).toEqual([
      'missing-parameter /nodes/1/parameters/message',
      'parameter-type /nodes/2/parameters/maxItems',
      'parameter-type /nodes/2/parameters/keep',
      'missing-parameter /nodes/4/parameters/fields/0/name',
      'parameter-type /nodes/4/parameters/fields/1',
    ]);
  });

  it('reports expression syntax errors with their position', () => {
    const w = wf([
      T,
      { name: 'S', type: 'weft.set', parameters: { fields: [{ name: 'a', value: 'x {{ $json.a + }}' }] } },
    ]);
    const [p] = validateWorkflow(w, registry).problems;
    expect(p).toMatchObject({ code: 'expression-syntax', path: '/nodes/1/parameters/fields/0/value', nodeId: 'S' });
    expect(p?.message).toMatch(/at character \d+/);
  });

  it('rejects expressions where a parameter does not allow them', () => {
    const w = wf([T, { name: 'M', type: 'weft.merge', parameters: { inputs: '{{ 3 }}' } }]);
    expect(codes(w)).toEqual(['parameter-type /nodes/1/parameters/inputs']);
  });

  it('validates from serialisable descriptions alone, skipping ports described as dynamic', async () => {
    const { nodeTypesFromDescriptions } = await import('../index.js');
    const fromApi = nodeTypesFromDescriptions(JSON.parse(JSON.stringify(registry.describe())));
    const bad = wf(
      [T, { name: 'L', type: 'weft.limit', parameters: { maxItems: 'x' } }, { name: 'If', type: 'weft.if' }],
      ['T -> L', 'L -> If:nope'],
    );
    expect(validateWorkflow(bad, fromApi).problems.map((p) => p.code)).toEqual(['parameter-type', 'unknown-port']);
    const sw = wf(
      [T, { name: 'S', type: 'weft.switch', parameters: { routes: [{}, {}] } }, { name: 'N', type: 'weft.noOp' }],
      ['T -> S', 'S:route1 -> N'],
    );
    expect(validateWorkflow(sw, fromApi).valid).toBe(true);
    expect(validateWorkflow(sw, registry).valid).toBe(true);
    const loop = wf(
      [T, { name: 'L', type: 'weft.loop' }, { name: 'B', type: 'weft.noOp' }],
      ['T -> L', 'L:loop -> B', 'B -> L:continue'],
    );
    expect(validateWorkflow(loop, fromApi).valid).toBe(true);
  });
});
