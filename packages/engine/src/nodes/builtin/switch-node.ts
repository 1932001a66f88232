import type { Item } from '../../model/item.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { type Condition, combineParam, conditionsParam, testConditions } from './conditions.js';

interface Route {
  conditions?: Condition[];
  combine?: 'all' | 'any';
}

function routeCount(p: Record<string, unknown>): number {
  return p.mode === 'expression' ? Number(p.outputs ?? 2) : ((p.routes as unknown[]) ?? []).length;
}

/** Routes each item to one of n outputs, with an optional fallback. */
export const switchNode = defineNodeType({
  type: 'weft.switch',
  version: 1,
  displayName: 'Switch',
  description: 'Routes items to one of several outputs',
  group: 'flow',
  docs:
    'Runs once when its input has delivered. In **rules** mode each item goes to the first route whose conditions hold ' +
    '(or to every matching route with "All matches"); items matching none go to **fallback** when enabled, else are dropped. ' +
    'In **expression** mode the expression gives the output index (0-based) for each item. Outputs are named route0, route1, ...',
  parameters: {
    mode: param.options({
      label: 'Mode',
      options: [
        { value: 'rules', label: 'Rules' },
        { value: 'expression', label: 'Expression' },
      ],
      default: 'rules',
    }),
    routes: param.list({
      label: 'Routes',
      fields: { conditions: conditionsParam, combine: combineParam },
      default: [],
      displayOptions: { show: { mode: ['rules'] } },
    }),
    output: param.number({ label: 'Output index', displayOptions: { show: { mode: ['expression'] } } }),
    outputs: param.number({
      label: 'Number of outputs',
      default: 2,
      min: 1,
      max: 50,
      integer: true,
      displayOptions: { show: { mode: ['expression'] } },
    }),
    allMatches: param.boolean({ label: 'Send to all matching routes', default: false }),
    fallback: param.boolean({ label: 'Fallback output', default: false }),
  },
  outputs: (p) => {
    const ports = Array.from({ length: routeCount(p) }, (_, i) => ({ name: `route${i}` }));
    return p.fallback ? [...ports, { name: 'fallback' }] : ports;
  },
  execute: ({ inputs, itemParams, params }) => {
    const n = routeCount(params as Record<string, unknown>);
    const outs: Item[][] = Array.from({ length: n }, () => []);
    const fallback: Item[] = [];
    (inputs.main ?? []).forEach((item, i) => {
      const p = itemParams[i] ?? params;
      let matched = false;
      if (p.mode === 'expression') {
        const k = Number(p.output);
        if (Number.isInteger(k) && k >= 0 && k < n) {
          outs[k]?.push(item);
          matched = true;
        }
      } else {
        for (const [k, route] of ((p.routes ?? []) as Route[]).entries()) {
          if (testConditions(route.conditions, route.combine)) {
            outs[k]?.push(item);
            matched = true;
            if (!p.allMatches) break;
          }
        }
      }
      if (!matched && p.fallback) fallback.push(item);
    });
    const outputs: Record<string, Item[]> = Object.fromEntries(outs.map((items, k) => [`route${k}`, items]));
    if (params.fallback) outputs.fallback = fallback;
    return { outputs };
  },
});
