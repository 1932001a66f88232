import type { Item } from '../../model/item.js';
import { defineNodeType } from '../node-type.js';
import { type Condition, combineParam, conditionsParam, testConditions } from './conditions.js';

/** Routes each item to `true` or `false`. */
export const ifNode = defineNodeType({
  type: 'weft.if',
  version: 1,
  displayName: 'If',
  description: 'Routes items to true or false by conditions',
  group: 'flow',
  docs:
    'Runs once when its input has delivered. Each item goes to **true** when the conditions hold for it, otherwise to **false**. ' +
    'An output that receives no items does not fire, so the nodes after it are skipped.',
  parameters: { conditions: conditionsParam, combine: combineParam },
  outputs: [
    { name: 'true', label: 'true' },
    { name: 'false', label: 'false' },
  ],
  execute: ({ inputs, itemParams }) => {
    const yes: Item[] = [];
    const no: Item[] = [];
    (inputs.main ?? []).forEach((item, i) => {
      const p = itemParams[i];
      (testConditions(p?.conditions as Condition[], p?.combine) ? yes : no).push(item);
    });
    return { outputs: { true: yes, false: no } };
  },
});
