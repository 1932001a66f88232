import type { Item, PortItems } from '../../model/item.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { type Condition, combineParam, conditionsParam, testConditions } from './conditions.js';

/** Keeps the items that meet the conditions. */
export const filterNode = defineNodeType({
  type: 'weft.filter',
  version: 1,
  displayName: 'Filter',
  description: 'Keeps only the items that meet the conditions',
  group: 'flow',
  docs: 'Runs once when its input has delivered. Items meeting the conditions go to **main**; with "Keep discarded" on, the rest go to **discarded**.',
  parameters: {
    conditions: conditionsParam,
    combine: combineParam,
    keepDiscarded: param.boolean({ label: 'Output discarded items', default: false }),
  },
  outputs: (p) =>
    p.keepDiscarded ? [{ name: 'main', label: 'kept' }, { name: 'discarded' }] : [{ name: 'main', label: 'kept' }],
  execute: ({ inputs, itemParams, params }) => {
    const kept: Item[] = [];
    const discarded: Item[] = [];
    (inputs.main ?? []).forEach((item, i) => {
      const p = itemParams[i];
      (testConditions(p?.conditions as Condition[], p?.combine) ? kept : discarded).push(item);
    });
    const outputs: PortItems = params.keepDiscarded ? { main: kept, discarded } : { main: kept };
    return { outputs };
  },
});
