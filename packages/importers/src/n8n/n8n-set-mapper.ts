import { chain, type Mapping, type PlannedNode } from '../mapped-node.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { composedCode, n8nValue } from './n8n-values.js';

type Params = Record<string, unknown>;

const V3_TYPES: Record<string, string> = {
  stringValue: 'string',
  numberValue: 'number',
  booleanValue: 'boolean',
  arrayValue: 'json',
  objectValue: 'json',
};
const V33_TYPES: Record<string, string> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  array: 'json',
  object: 'json',
};

const text = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);

const list = (v: unknown): string[] =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function fieldsOf(p: Params, v: number): { name: unknown; value: unknown; type: string }[] {
  if (v < 3) {
    const values = (p.values as Params | undefined) ?? {};
    return (['boolean', 'number', 'string'] as const).flatMap((t) =>
      ((values[t] as Params[] | undefined) ?? []).map((f) => ({
        name: f.name ?? 'propertyName',
        value: text(n8nValue(f.value ?? (t === 'boolean' ? false : t === 'number' ? 0 : ''))),
        type: t,
      })),
    );
  }
  if (v < 3.3) {
    return (((p.fields as Params | undefined)?.values as Params[] | undefined) ?? []).map((f) => {
      const t = String(f.type ?? 'stringValue');
      return { name: f.name, value: text(n8nValue(f[t] ?? '')), type: V3_TYPES[t] ?? 'auto' };
    });
  }
  return (((p.assignments as Params | undefined)?.assignments as Params[] | undefined) ?? []).map((f) => ({
    name: f.name,
    value: text(n8nValue(f.value ?? '')),
    type: V33_TYPES[String(f.type ?? 'string')] ?? 'auto',
  }));
}

/** Which of the input item's fields n8n keeps: all, none, only some, or all but some. */
function includeOf(p: Params, v: number): { mode: 'all' | 'none' | 'selected' | 'except'; fields: string[] } {
  if (v < 3) return { mode: p.keepOnlySet ? 'none' : 'all', fields: [] };
  const include = v >= 3.3 ? (p.includeOtherFields ? String(p.include ?? 'all') : 'none') : String(p.include ?? 'all');
  if (include === 'selected') return { mode: 'selected', fields: list(p.includeFields) };
  if (include === 'except') return { mode: 'except', fields: list(p.excludeFields) };
  return { mode: include === 'none' ? 'none' : 'all', fields: [] };
}

const BASE: Record<string, string> = {
  all: '$json',
  none: '{}',
  selected: 'Object.fromEntries(__fields.filter((f) => f in $json).map((f) => [f, $json[f]]))',
  except: 'Object.fromEntries(Object.entries($json).filter(([f]) => !__fields.includes(f)))',
};

/** Set / Edit Fields, every version: manual and raw (JSON) modes, include options, dot notation. */
export const setMapper: N8nMapper = (p, v): Mapping => {
  const include = includeOf(p, v);
  const diffs: string[] = [];
  if (v >= 3 && p.mode === 'raw') {
    const code = composedCode(
      (js) =>
        `const __fields = ${JSON.stringify(include.fields)};\nconst __v = ${js};\nconst __set = typeof __v === 'string' ? JSON.parse(__v) : __v;\nreturn { json: { ...${BASE[include.mode]}, ...__set } };`,
      p.jsonOutput ?? '{}',
    );
    return chain(
      [{ key: '', type: 'weft.code', parameters: { mode: 'eachItem', code } }],
      ['raw JSON mode runs as a Code node'],
    );
  }
  const fields = fieldsOf(p, v);
  if (optionsOf(p).dotNotation === false && fields.some((f) => String(f.name).includes('.'))) {
    diffs.push('dot notation is off in n8n, but Weft reads "a.b" field names as nested paths');
  }
  const narrowed = include.mode === 'selected' || include.mode === 'except';
  // The last node keeps the n8n name, so $("Edit Fields") reads the final fields.
  const nodes: PlannedNode[] = [
    {
      key: narrowed ? 'set' : '',
      type: 'weft.set',
      parameters: { mode: include.mode === 'none' ? 'replace' : 'merge', fields },
    },
  ];
  const names = fields.map((f) => String(f.name));
  if (narrowed) {
    const keep = include.mode === 'selected';
    const list = keep ? [...include.fields, ...names] : include.fields.filter((f) => !names.includes(f));
    nodes.push({
      key: '',
      type: 'weft.removeFields',
      parameters: { mode: keep ? 'keep' : 'remove', fields: list.map((name) => ({ name })) },
    });
    diffs.push(`"${include.mode}" input fields are kept by a Remove Fields node after the Set node`);
  }
  return chain(nodes, diffs);
};
