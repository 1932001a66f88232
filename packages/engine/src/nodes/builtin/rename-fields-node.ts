import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { deletePath, getPath, setPath } from './field-path.js';

/** Renames fields on each item. */
export const renameFieldsNode = defineNodeType({
  type: 'weft.renameFields',
  version: 1,
  displayName: 'Rename fields',
  description: 'Renames fields on each item',
  group: 'transform',
  docs: 'For each item, moves every `from` field to `to` (dot paths allowed). Missing fields are left alone.',
  parameters: {
    renames: param.list({
      label: 'Renames',
      fields: {
        from: param.string({ label: 'From', required: true }),
        to: param.string({ label: 'To', required: true }),
      },
      default: [],
    }),
  },
  execute: ({ inputs, params }) => ({
    outputs: {
      main: (inputs.main ?? []).map((item) => {
        let json = item.json;
        for (const r of params.renames ?? []) {
          const v = getPath(json, r.from);
          if (v === undefined) continue;
          json = setPath(deletePath(json, r.from), r.to, v);
        }
        return { ...item, json };
      }),
    },
  }),
});
