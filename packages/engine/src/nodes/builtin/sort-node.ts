import type { JsonValue } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { getPath } from './field-path.js';

function compare(a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Sorts items by one or more fields. */
export const sortNode = defineNodeType({
  type: 'weft.sort',
  version: 1,
  displayName: 'Sort',
  description: 'Sorts items by fields',
  group: 'transform',
  docs: 'Stable sort by each listed field in turn; missing values sort last. Numbers compare numerically, text naturally.',
  parameters: {
    fields: param.list({
      label: 'Sort by',
      fields: {
        field: param.string({ label: 'Field', required: true }),
        order: param.options({
          label: 'Order',
          options: [
            { value: 'asc', label: 'Ascending' },
            { value: 'desc', label: 'Descending' },
          ],
          default: 'asc',
        }),
      },
      default: [],
    }),
  },
  execute: ({ inputs, params }) => {
    const keys = params.fields ?? [];
    const items = [...(inputs.main ?? [])];
    items.sort((x, y) => {
      for (const k of keys) {
        const c = compare(getPath(x.json, k.field), getPath(y.json, k.field));
        if (c !== 0) return k.order === 'desc' ? -c : c;
      }
      return 0;
    });
    return { outputs: { main: items } };
  },
});
