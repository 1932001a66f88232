import type { Item } from '../../model/item.js';
import type { JsonObject } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { deletePath, getPath } from './field-path.js';

/** Turns an array field into one item per element. */
export const splitOutNode = defineNodeType({
  type: 'weft.splitOut',
  version: 1,
  displayName: 'Split out',
  description: 'Turns a list field into separate items',
  group: 'transform',
  docs:
    'For each item, emits one item per element of the array at `field`. Object elements become the item; other values are put ' +
    'under the field\'s last name. With "Keep other fields", the item\'s other fields are copied onto each new item.',
  parameters: {
    field: param.string({ label: 'Field with the list', required: true }),
    keepOtherFields: param.boolean({ label: 'Keep other fields', default: false }),
  },
  execute: ({ inputs, params, node }) => {
    const out: Item[] = [];
    const leaf = params.field.split('.').pop() ?? params.field;
    for (const item of inputs.main ?? []) {
      const value = getPath(item.json, params.field);
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) throw new Error(`Split out "${node.name}": field "${params.field}" is not a list`);
      const rest = params.keepOtherFields ? deletePath(item.json, params.field) : {};
      for (const el of value) {
        const json: JsonObject =
          el && typeof el === 'object' && !Array.isArray(el) ? { ...rest, ...el } : { ...rest, [leaf]: el };
        out.push({ json });
      }
    }
    return { outputs: { main: out } };
  },
});
