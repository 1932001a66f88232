import type { Item } from '../../model/item.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { getPath } from './field-path.js';

type Operation = 'collect' | 'sum' | 'avg' | 'min' | 'max' | 'count' | 'countUnique' | 'first' | 'last';

function apply(op: Operation, values: (JsonValue | undefined)[]): JsonValue {
  const present = values.filter((v): v is JsonValue => v !== undefined && v !== null);
  const nums = present.map(Number).filter((n) => !Number.isNaN(n));
  switch (op) {
    case 'sum':
      return nums.reduce((a, b) => a + b, 0);
    case 'avg':
      return nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
    case 'min':
      return nums.length ? Math.min(...nums) : null;
    case 'max':
      return nums.length ? Math.max(...nums) : null;
    case 'count':
      return present.length;
    case 'countUnique':
      return new Set(present.map((v) => JSON.stringify(v))).size;
    case 'first':
      return present[0] ?? null;
    case 'last':
      return present[present.length - 1] ?? null;
    default:
      return present;
  }
}

/** Combines many items into one (or one per group). */
export const aggregateNode = defineNodeType({
  type: 'weft.aggregate',
  version: 1,
  displayName: 'Aggregate',
  description: 'Combines items into one item per group',
  group: 'transform',
  docs:
    'Outputs one item (or one per distinct `groupBy` value) with each listed field aggregated: collect (array), sum, avg, min, ' +
    'max, count, countUnique, first, last. With no fields, collects whole items under `items`.',
  parameters: {
    groupBy: param.string({ label: 'Group by field (optional)' }),
    fields: param.list({
      label: 'Fields',
      fields: {
        field: param.string({ label: 'Field', required: true }),
        operation: param.options({
          label: 'Operation',
          options: ['collect', 'sum', 'avg', 'min', 'max', 'count', 'countUnique', 'first', 'last'].map((v) => ({
            value: v,
            label: v,
          })),
          default: 'collect',
        }),
        as: param.string({ label: 'Output name' }),
      },
      default: [],
    }),
  },
  execute: ({ inputs, params }) => {
    const items = inputs.main ?? [];
    const groups = new Map<string, Item[]>();
    for (const it of items) {
      const k = params.groupBy ? JSON.stringify(getPath(it.json, params.groupBy) ?? null) : '';
      groups.set(k, [...(groups.get(k) ?? []), it]);
    }
    const out: Item[] = [];
    for (const group of groups.values()) {
      const json: JsonObject = {};
      if (params.groupBy) json[params.groupBy] = getPath(group[0]?.json, params.groupBy) ?? null;
      const fields = params.fields ?? [];
      if (fields.length === 0) json.items = group.map((g) => g.json);
      for (const f of fields) {
        json[f.as || f.field] = apply(
          (f.operation ?? 'collect') as Operation,
          group.map((g) => getPath(g.json, f.field)),
        );
      }
      out.push({ json });
    }
    return { outputs: { main: out } };
  },
});
