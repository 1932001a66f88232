import type { Item } from '../../model/item.js';
import type { JsonObject } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { getPath } from './field-path.js';

function inputNames(p: Record<string, unknown>): string[] {
  const n = Math.min(10, Math.max(2, Number(p.inputs ?? 2)));
  return Array.from({ length: n }, (_, i) => `input${i + 1}`);
}

function keyOf(item: Item, field: string): string {
  return JSON.stringify(getPath(item.json, field) ?? null);
}

/** Combines the items of several inputs, once all of them have delivered or never will. */
export const mergeNode = defineNodeType({
  type: 'weft.merge',
  version: 1,
  displayName: 'Merge',
  description: 'Combines items from several inputs',
  group: 'flow',
  docs:
    'Fires **once**, when every connected input has delivered its items or is known never to deliver (its branch was not taken). ' +
    'It never fires per input. Modes: **append** (input1 items, then input2, ...); **byKey** (joins input1 and input2 items whose ' +
    'key fields are equal, merging their fields; join = inner, left or outer); **byPosition** (merges item i of every input); ' +
    '**waitForAll** (outputs the chosen input unchanged, but only when every connected input delivered items; otherwise nothing).',
  parameters: {
    inputs: param.number({ label: 'Number of inputs', default: 2, min: 2, max: 10, integer: true, expressions: false }),
    mode: param.options({
      label: 'Mode',
      options: [
        { value: 'append', label: 'Append' },
        { value: 'byKey', label: 'Match by key' },
        { value: 'byPosition', label: 'Match by position' },
        { value: 'waitForAll', label: 'Wait for all, pass one input' },
      ],
      default: 'append',
    }),
    key1: param.string({ label: 'Key field in input 1', displayOptions: { show: { mode: ['byKey'] } } }),
    key2: param.string({ label: 'Key field in input 2', displayOptions: { show: { mode: ['byKey'] } } }),
    join: param.options({
      label: 'Join',
      options: [
        { value: 'inner', label: 'Only matches (inner)' },
        { value: 'left', label: 'All of input 1 (left)' },
        { value: 'outer', label: 'All of both (outer)' },
      ],
      default: 'inner',
      displayOptions: { show: { mode: ['byKey'] } },
    }),
    length: param.options({
      label: 'Length',
      options: [
        { value: 'shortest', label: 'Shortest input' },
        { value: 'longest', label: 'Longest input' },
      ],
      default: 'shortest',
      displayOptions: { show: { mode: ['byPosition'] } },
    }),
    pass: param.number({
      label: 'Input to pass (1-based)',
      default: 1,
      min: 1,
      integer: true,
      displayOptions: { show: { mode: ['waitForAll'] } },
    }),
  },
  inputs: (p) => inputNames(p).map((name) => ({ name })),
  execute: ({ inputs, params, node }) => {
    const names = inputNames(params as Record<string, unknown>);
    const lists = names.map((n) => inputs[n] ?? []);
    switch (params.mode) {
      case 'byKey': {
        if (!params.key1 || !params.key2) throw new Error(`Merge "${node.name}": byKey needs both key fields`);
        const right = new Map<string, Item[]>();
        for (const it of lists[1] ?? []) {
          const k = keyOf(it, params.key2);
          right.set(k, [...(right.get(k) ?? []), it]);
        }
        const used = new Set<Item>();
        const out: Item[] = [];
        for (const a of lists[0] ?? []) {
          const matches = right.get(keyOf(a, params.key1));
          if (matches?.length) {
            for (const b of matches) {
              used.add(b);
              out.push({ json: { ...a.json, ...b.json } });
            }
          } else if (params.join !== 'inner') out.push(a);
        }
        if (params.join === 'outer') for (const b of lists[1] ?? []) if (!used.has(b)) out.push(b);
        return { outputs: { main: out } };
      }
      case 'byPosition': {
        const lengths = lists.map((l) => l.length);
        const n = params.length === 'longest' ? Math.max(...lengths) : Math.min(...lengths.filter((x) => x > 0));
        const out: Item[] = [];
        for (let i = 0; i < n; i++) {
          const json: JsonObject = {};
          for (const l of lists) Object.assign(json, l[i]?.json);
          out.push({ json });
        }
        return { outputs: { main: out } };
      }
      case 'waitForAll': {
        const connected = names.filter((n) => n in inputs);
        if (connected.some((n) => (inputs[n] ?? []).length === 0)) return { outputs: { main: [] } };
        return { outputs: { main: lists[(params.pass ?? 1) - 1] ?? [] } };
      }
      default:
        return { outputs: { main: lists.flat() } };
    }
  },
});
