import type { JsonObject } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { deletePath, getPath, setPath } from './field-path.js';

/** Removes fields from each item, or keeps only some. */
export const removeFieldsNode = defineNodeType({
  type: 'weft.removeFields',
  version: 1,
  displayName: 'Remove fields',
  description: 'Removes fields from each item, or keeps only the listed ones',
  group: 'transform',
  docs: '**remove**: drops the listed fields (dot paths allowed). **keep**: outputs only the listed fields.',
  parameters: {
    mode: param.options({
      label: 'Mode',
      options: [
        { value: 'remove', label: 'Remove the listed fields' },
        { value: 'keep', label: 'Keep only the listed fields' },
      ],
      default: 'remove',
    }),
    fields: param.list({
      label: 'Fields',
      fields: { name: param.string({ label: 'Field', required: true }) },
      default: [],
    }),
  },
  execute: ({ inputs, params }) => {
    const names = (params.fields ?? []).map((f) => f.name);
    return {
      outputs: {
        main: (inputs.main ?? []).map((item) => {
          if (params.mode === 'keep') {
            let json: JsonObject = {};
            for (const n of names) {
              const v = getPath(item.json, n);
              if (v !== undefined) json = setPath(json, n, v);
            }
            return { ...item, json };
          }
          return { ...item, json: names.reduce((j, n) => deletePath(j, n), item.json) };
        }),
      },
    };
  },
});
