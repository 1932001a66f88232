import { type Mapping, type PlannedNode, type PortRef, single, unsupported } from '../mapped-node.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { LiteralCode } from './n8n-values.js';

type Params = Record<string, unknown>;
type Pair = { field1: string; field2: string };

function fieldPairs(p: Params, v: number): { field1: string; field2: string }[] | undefined {
  if (v >= 3 && !p.advanced) {
    const names = String(p.fieldsToMatchString ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return names.map((n) => ({ field1: n, field2: n }));
  }
  const rows = ((p.mergeByFields as Params | undefined)?.values as Params[] | undefined) ?? [];
  return rows.map((r) => ({ field1: String(r.field1 ?? ''), field2: String(r.field2 ?? '') }));
}

function mergeByKey(p: Params, v: number, inputs: number): Mapping {
  const pairs = fieldPairs(p, v) ?? [];
  const mode = String(p.joinMode ?? 'keepMatches');
  const from = String(p.outputDataFrom ?? 'both');
  if (pairs.length === 0) return unsupported('Merge by fields with no fields to match');
  if (pairs.length > 1 || mode === 'keepNonMatches' || from !== 'both') {
    return mergeByCode(inputs, byFieldsCode(pairs, mode, from), `"${mode}" matching on ${pairs.length} field pair(s)`);
  }
  const [pair] = pairs as [Pair];
  const diffs: string[] = [];
  if (optionsOf(p).clashHandling) diffs.push('clash handling options are ignored: input 2 fields win');
  if (optionsOf(p).fuzzyCompare) diffs.push('fuzzy compare is not available: keys compare exactly');
  if (mode === 'keepMatches' && from === 'both')
    return single(
      'weft.merge',
      { mode: 'byKey', key1: pair.field1, key2: pair.field2, join: 'inner', inputs },
      mergeIo(inputs, diffs),
    );
  if (mode === 'enrichInput1')
    return single(
      'weft.merge',
      { mode: 'byKey', key1: pair.field1, key2: pair.field2, join: 'left', inputs },
      mergeIo(inputs, diffs),
    );
  if (mode === 'keepEverything')
    return single(
      'weft.merge',
      { mode: 'byKey', key1: pair.field1, key2: pair.field2, join: 'outer', inputs },
      mergeIo(inputs, diffs),
    );
  if (mode === 'enrichInput2') {
    const m = single(
      'weft.merge',
      { mode: 'byKey', key1: pair.field2, key2: pair.field1, join: 'left', inputs },
      mergeIo(inputs, [...diffs, 'inputs are swapped: on clashing fields input 1 wins']),
    );
    m.inputs = [m.inputs[1], m.inputs[0], ...m.inputs.slice(2)] as PortRef[];
    return m;
  }
  return unsupported(`Merge "${mode}" has no Weft equivalent`);
}

const mergeIo = (inputs: number, differences: string[] = []) => ({
  inputs: Array.from({ length: inputs }, (_, i) => `input${i + 1}`),
  differences,
});

/** Merge v1–v3.2: every mode but SQL, on Weft's Merge where it has the mode, else tagged inputs and a Code node. */
export const mergeMapper: N8nMapper = (p, v, _node, ctx) => {
  const inputs = Math.max(2, Number(p.numberInputs ?? 2), ctx.inputCount);
  const mode = String(p.mode ?? 'append');
  const io = mergeIo(inputs);
  if (mode === 'append') return single('weft.merge', { mode: 'append', inputs }, io);
  const opts = optionsOf(p);
  if (v < 2) {
    if (mode === 'mergeByIndex') {
      const join = String(p.join ?? 'left');
      const diffs = join === 'left' ? ['join "left" keeps the length of the shortest input in Weft'] : [];
      return single(
        'weft.merge',
        { mode: 'byPosition', length: join === 'outer' ? 'longest' : 'shortest', inputs },
        mergeIo(inputs, diffs),
      );
    }
    if (mode === 'mergeByKey')
      return single(
        'weft.merge',
        { mode: 'byKey', key1: p.propertyName1, key2: p.propertyName2, join: 'left', inputs },
        mergeIo(
          inputs,
          p.overwrite && p.overwrite !== 'always' ? ['overwrite options are ignored: input 2 fields win'] : [],
        ),
      );
    if (mode === 'passThrough') {
      const pass = p.output === 'input2' ? 2 : 1;
      return single(
        'weft.merge',
        { mode: 'waitForAll', pass, inputs },
        mergeIo(inputs, ['passes nothing unless both inputs delivered items']),
      );
    }
    const key = [{ field1: String(p.propertyName1 ?? ''), field2: String(p.propertyName2 ?? '') }];
    if (mode === 'keepKeyMatches')
      return mergeByCode(inputs, byFieldsCode(key, 'keepMatches', 'input1'), 'keep key matches');
    if (mode === 'removeKeyMatches')
      return mergeByCode(inputs, byFieldsCode(key, 'keepNonMatches', 'input1'), 'remove key matches');
    if (mode === 'multiplex') return mergeByCode(inputs, CROSS, 'every combination');
    if (mode === 'wait') return mergeByCode(inputs, EMPTY_ITEM, 'wait for both, output one empty item');
    return unsupported(`Merge v1 mode "${mode}" has no Weft equivalent`);
  }
  if (mode === 'chooseBranch') {
    const output = String(p.output ?? (v >= 3 ? 'specifiedInput' : 'input1'));
    if (output === 'empty') return mergeByCode(inputs, EMPTY_ITEM, 'choose branch with one empty item');
    const pass = output === 'specifiedInput' ? Number(p.useDataOfInput ?? 1) : output === 'input2' ? 2 : 1;
    return single('weft.merge', { mode: 'waitForAll', pass, inputs }, io);
  }
  const by = String(v >= 3 ? (p.combineBy ?? 'combineByFields') : (p.combinationMode ?? 'mergeByFields'));
  if (mode === 'combine' && (by === 'combineByFields' || by === 'mergeByFields')) return mergeByKey(p, v, inputs);
  if (mode === 'combine' && (by === 'combineByPosition' || by === 'mergeByPosition'))
    return single(
      'weft.merge',
      { mode: 'byPosition', length: opts.includeUnpaired ? 'longest' : 'shortest', inputs },
      io,
    );
  if (mode === 'combineBySql') return unsupported('Merge by SQL query has no Weft equivalent');
  if (mode === 'combine' && (by === 'combineAll' || by === 'multiplex'))
    return mergeByCode(inputs, CROSS, 'every combination');
  return unsupported(`Merge "${mode}" / "${by}" has no Weft equivalent`);
};

/** Splits the merged items back into their inputs (by the tag) for the Code node. */
const UNTAG = (inputs: number) => `const by = Array.from({ length: ${inputs} }, () => []);
for (const it of items) { const { __weftInput, ...json } = it.json; by[__weftInput - 1].push(json); }
const [a = [], b = []] = by;
`;

const CROSS = 'return a.flatMap((x) => b.map((y) => ({ json: { ...x, ...y } })));';
const EMPTY_ITEM = 'return by.every((list) => list.length > 0) ? [{ json: {} }] : [];';

/** n8n's "combine by matching fields" in every join mode and output choice, on any number of field pairs. */
function byFieldsCode(pairs: Pair[], join: string, from: string): string {
  return `const f1 = ${JSON.stringify(pairs.map((x) => x.field1))};
const f2 = ${JSON.stringify(pairs.map((x) => x.field2))};
const join = ${JSON.stringify(join)};
const from = ${JSON.stringify(from)};
const get = (o, p) => p.split('.').reduce((x, k) => (x == null ? undefined : x[k]), o);
const key = (o, fs) => JSON.stringify(fs.map((f) => get(o, f) ?? null));
const index = (list, fs) => { const m = new Map(); list.forEach((o, i) => { const k = key(o, fs); m.set(k, [...(m.get(k) || []), i]); }); return m; };
const out = [];
if (join === 'enrichInput2') {
  const inA = index(a, f1);
  for (const y of b) { const is = inA.get(key(y, f2)) || []; if (is.length) for (const i of is) out.push({ ...a[i], ...y }); else out.push(y); }
} else {
  const inB = index(b, f2);
  const usedB = new Set();
  for (const x of a) {
    const js = inB.get(key(x, f1)) || [];
    js.forEach((j) => usedB.add(j));
    if (join === 'keepMatches' && js.length) {
      if (from === 'input1') out.push(x);
      else if (from === 'input2') for (const j of js) { if (!out.includes(b[j])) out.push(b[j]); }
      else for (const j of js) out.push({ ...x, ...b[j] });
    } else if (join === 'keepNonMatches') { if (!js.length && from !== 'input2') out.push(x); }
    else if (join === 'enrichInput1' || join === 'keepEverything') {
      if (js.length) for (const j of js) out.push({ ...x, ...b[j] }); else out.push(x);
    }
  }
  if (join === 'keepEverything' || (join === 'keepNonMatches' && from !== 'input1')) b.forEach((y, j) => { if (!usedB.has(j)) out.push(y); });
}
return out.map((json) => ({ json }));`;
}

/**
 * A merge Weft's Merge node has no mode for: each input's items are tagged with their input number
 * by a Set node, appended by a Merge node (which waits for every input), and combined by a Code
 * node implementing n8n's semantics. The Code node keeps the n8n name, so `$("Merge")` reads the
 * result.
 */
function mergeByCode(inputs: number, body: string, what: string): Mapping {
  const tags: PlannedNode[] = Array.from({ length: inputs }, (_, i) => ({
    key: `input ${i + 1}`,
    type: 'weft.set',
    parameters: { mode: 'merge', fields: [{ name: '__weftInput', value: String(i + 1), type: 'number' }] },
  }));
  return {
    nodes: [
      ...tags,
      { key: 'tagged', type: 'weft.merge', parameters: { mode: 'append', inputs } },
      {
        key: '',
        type: 'weft.code',
        parameters: { mode: 'allItems', code: new LiteralCode(UNTAG(inputs) + body) },
      },
    ],
    edges: [
      ...tags.map((t, i) => ({ from: t.key, to: 'tagged', toPort: `input${i + 1}` })),
      { from: 'tagged', to: '' },
    ],
    inputs: tags.map((t) => ({ key: t.key, port: 'main' })),
    outputs: [{ key: '', port: 'main' }],
    status: 'differences',
    differences: [`${what} runs as Set nodes tagging each input, a Merge and a Code node`],
  };
}
