import { type Mapping, single, unsupported } from '../mapped-node.js';
import { weft } from '../n8n/n8n-values.js';
import { msgAccessor } from './node-red-code.js';
import type { NodeRedNode } from './node-red-node.js';
import { valueParam } from './node-red-values.js';

const OPS: Record<string, string> = {
  eq: 'equals',
  neq: 'notEquals',
  lt: 'lt',
  lte: 'lte',
  gt: 'gt',
  gte: 'gte',
  cont: 'contains',
  true: 'isTrue',
  false: 'isFalse',
};

function switchRule(acc: string, r: Record<string, unknown>): { conditions: Record<string, unknown>[] } | string {
  const left = weft(`{{ ${acc} }}`);
  const t = String(r.t);
  const right = () => valueParam(r.v, r.vt);
  const js = (body: string) => ({ conditions: [{ left: weft(`{{ ${body} }}`), operator: 'isTrue' }] });
  if (t === 'else') return { conditions: [] };
  if (OPS[t]) {
    const v = right();
    if (v === undefined) return `switch rule value of type "${r.vt}"`;
    return { conditions: [{ left, operator: OPS[t], right: v }] };
  }
  switch (t) {
    case 'btwn': {
      const a = right();
      const b = valueParam(r.v2, r.v2t);
      if (a === undefined || b === undefined) return 'switch "between" with context values';
      return {
        conditions: [
          { left, operator: 'gte', right: a },
          { left, operator: 'lte', right: b },
        ],
      };
    }
    case 'regex':
      return js(`new RegExp(${JSON.stringify(String(r.v ?? ''))}, ${r.case ? '"i"' : '""'}).test(String(${acc}))`);
    case 'null':
      return js(`${acc} === null || ${acc} === undefined`);
    case 'nnull':
      return js(`${acc} !== null && ${acc} !== undefined`);
    case 'empty':
    case 'nempty': {
      const empty = `((v) => (typeof v === 'string' || Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' ? Object.keys(v).length === 0 : false))(${acc})`;
      const nonEmpty = `((v) => (typeof v === 'string' || Array.isArray(v) ? v.length > 0 : v !== null && typeof v === 'object' ? Object.keys(v).length > 0 : false))(${acc})`;
      return js(t === 'empty' ? empty : nonEmpty);
    }
    case 'istype': {
      const type = String(r.v ?? 'string');
      const check: Record<string, string> = {
        string: `typeof ${acc} === 'string'`,
        number: `typeof ${acc} === 'number'`,
        boolean: `typeof ${acc} === 'boolean'`,
        array: `Array.isArray(${acc})`,
        object: `${acc} !== null && typeof ${acc} === 'object' && !Array.isArray(${acc})`,
        null: `${acc} === null`,
        undefined: `${acc} === undefined`,
      };
      return check[type] ? js(check[type] as string) : `switch "is of type ${type}"`;
    }
    case 'hask':
      return js(
        `${acc} !== null && typeof ${acc} === 'object' && Object.prototype.hasOwnProperty.call(${acc}, ${JSON.stringify(String(r.v ?? ''))})`,
      );
    default:
      return `switch rule "${t}" (sequence and JSONata rules)`;
  }
}

/** The Node-RED switch node: one Weft route per rule, on a msg property. */
export const nrSwitch = (n: NodeRedNode): Mapping => {
  if ((n.propertyType ?? 'msg') !== 'msg') return unsupported(`switch on a ${n.propertyType} property`);
  const acc = msgAccessor(String(n.property ?? 'payload'));
  const rules = (n.rules as Record<string, unknown>[] | undefined) ?? [];
  const routes = [];
  for (const r of rules) {
    const route = switchRule(acc, r);
    if (typeof route === 'string') return unsupported(route);
    routes.push({ ...route, combine: 'all' });
  }
  const allMatches = n.checkall !== 'false' && n.checkall !== false;
  const diffs =
    allMatches && rules.some((r) => r.t === 'else')
      ? ['"otherwise" with "check all rules" also fires when earlier rules matched']
      : [];
  return single(
    'weft.switch',
    { mode: 'rules', routes, allMatches },
    { outputs: routes.map((_, k) => `route${k}`), differences: diffs },
  );
};
