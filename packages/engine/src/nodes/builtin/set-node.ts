import type { JsonObject, JsonValue } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { setPath } from './field-path.js';

function convert(value: unknown, type: string | undefined, name: string): JsonValue {
  switch (type) {
    case 'string':
      return value === undefined || value === null
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    case 'number': {
      const n = Number(value);
      if (Number.isNaN(n)) throw new Error(`Field "${name}": ${JSON.stringify(value)} is not a number`);
      return n;
    }
    case 'boolean':
      return value === true || value === 'true' || value === 1;
    case 'json':
      if (typeof value !== 'string') return (value ?? null) as JsonValue;
      try {
        return JSON.parse(value) as JsonValue;
      } catch {
        throw new Error(`Field "${name}": the value is not valid JSON`);
      }
    default:
      return (value === undefined ? null : value) as JsonValue;
  }
}

/** Sets fields on each item, from literal values or expressions. */
export const setNode = defineNodeType({
  type: 'weft.set',
  version: 1,
  displayName: 'Set fields',
  description: 'Adds or changes fields on each item',
  group: 'transform',
  docs:
    'For each input item, sets every listed field (dot paths like `customer.name` create nested objects) to its value, which may ' +
    "be an expression evaluated per item. **merge** keeps the item's other fields; **replace** outputs only the set fields.",
  parameters: {
    mode: param.options({
      label: 'Mode',
      options: [
        { value: 'merge', label: 'Keep other fields' },
        { value: 'replace', label: 'Only the set fields' },
      ],
      default: 'merge',
    }),
    fields: param.list({
      label: 'Fields',
      fields: {
        name: param.string({ label: 'Name', required: true }),
        value: param.string({ label: 'Value' }),
        type: param.options({
          label: 'Type',
          options: [
            { value: 'auto', label: 'As evaluated' },
            { value: 'string', label: 'String' },
            { value: 'number', label: 'Number' },
            { value: 'boolean', label: 'Boolean' },
            { value: 'json', label: 'JSON' },
          ],
          default: 'auto',
        }),
      },
      default: [],
    }),
  },
  execute: ({ inputs, itemParams }) => ({
    outputs: {
      main: (inputs.main ?? []).map((item, i) => {
        const p = itemParams[i];
        let json: JsonObject = p?.mode === 'replace' ? {} : item.json;
        for (const f of p?.fields ?? []) {
          if (!f.name) throw new Error('Every field needs a name');
          json = setPath(json, f.name, convert(f.value, f.type, f.name));
        }
        return item.binary ? { json, binary: item.binary } : { json };
      }),
    },
  }),
});
