import { chain, type Mapping, single, unsupported } from '../mapped-node.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { setMapper } from './n8n-set-mapper.js';
import { cryptoMapper, dateTimeMapper } from './n8n-utility-mappers.js';
import { LiteralCode, N8nCode, n8nValue } from './n8n-values.js';

type Params = Record<string, unknown>;

const codeMapper: N8nMapper = (p) => {
  const language = String(p.language ?? 'javaScript');
  if (language !== 'javaScript') return unsupported(`Code in ${language}: Weft runs JavaScript only`);
  const mode = p.mode === 'runOnceForEachItem' ? 'eachItem' : 'allItems';
  return single('weft.code', { mode, code: new N8nCode(String(p.jsCode ?? ''), '') });
};

const functionMapper: N8nMapper = (p) =>
  single('weft.code', { mode: 'allItems', code: new N8nCode(String(p.functionCode ?? 'return items;'), '') });

const functionItemMapper: N8nMapper = (p) =>
  single('weft.code', {
    mode: 'eachItem',
    code: new N8nCode(String(p.functionCode ?? 'return item;'), 'var item = $json;\n'),
  });

const sortMapper: N8nMapper = (p) => {
  const type = String(p.type ?? 'simple');
  if (type === 'random') {
    return single(
      'weft.code',
      {
        mode: 'allItems',
        code: 'const a = items.slice();\nfor (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }\nreturn a;',
      },
      { differences: ['random order is produced by a Code node'] },
    );
  }
  if (type === 'code') {
    return single(
      'weft.code',
      { mode: 'allItems', code: new N8nCode(String(p.code ?? ''), 'return items.slice().sort((a, b) => {\n', '\n});') },
      { differences: ['the sort function runs in a Code node; a and b are whole items ({ json })'] },
    );
  }
  const rows = ((p.sortFieldsUi as Params | undefined)?.sortField as Params[] | undefined) ?? [];
  const fields = rows.map((r) => ({ field: r.fieldName, order: r.order === 'descending' ? 'desc' : 'asc' }));
  return single('weft.sort', { fields });
};

const limitMapper: N8nMapper = (p) =>
  single('weft.limit', { maxItems: n8nValue(p.maxItems ?? 1), keep: p.keep === 'lastItems' ? 'last' : 'first' });

const aggregateMapper: N8nMapper = (p) => {
  const opts = optionsOf(p);
  const diffs: string[] = [];
  if (opts.mergeLists) diffs.push('"merge lists" is not available: lists are collected, not flattened');
  if (opts.keepMissing) diffs.push('"keep missing" is not available: missing and null values are skipped');
  if (p.aggregate === 'aggregateAllItemData') {
    const dest = String(p.destinationFieldName ?? 'data');
    if (p.include && p.include !== 'allFields')
      diffs.push(`"${p.include}" is not available: whole items are collected`);
    return chain(
      [
        { key: 'collect', type: 'weft.aggregate', parameters: { fields: [] } },
        { key: '', type: 'weft.renameFields', parameters: { renames: [{ from: 'items', to: dest }] } },
      ],
      dest === 'items' ? diffs : [...diffs, `whole items are collected under "items", then renamed to "${dest}"`],
    );
  }
  const rows = ((p.fieldsToAggregate as Params | undefined)?.fieldToAggregate as Params[] | undefined) ?? [];
  const fields = rows.map((r) => ({
    field: r.fieldToAggregate,
    operation: 'collect',
    ...(r.renameField && r.outputFieldName ? { as: r.outputFieldName } : {}),
  }));
  return single('weft.aggregate', { fields }, { differences: diffs });
};

const splitOutMapper: N8nMapper = (p): Mapping => {
  const fields = String(p.fieldToSplitOut ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (fields.length !== 1) return unsupported(`Split Out of ${fields.length} fields at once: Weft splits one field`);
  const include = String(p.include ?? 'noOtherFields');
  const diffs: string[] = [];
  if (include === 'selectedOtherFields') diffs.push('"selected other fields" keeps all other fields');
  if (optionsOf(p).destinationFieldName)
    diffs.push("the destination field name is not available: values keep the field's name");
  if (optionsOf(p).includeBinary) diffs.push('binary data is not copied to the new items');
  return single(
    'weft.splitOut',
    { field: fields[0], keepOtherFields: include !== 'noOtherFields' },
    { differences: diffs },
  );
};

const DEDUPE = (mode: string, fields: string[]) => `const mode = ${JSON.stringify(mode)};
const fields = ${JSON.stringify(fields)};
const get = (o, path) => path.split('.').reduce((x, k) => (x == null ? undefined : x[k]), o);
const stable = (v) => Array.isArray(v) ? '[' + v.map(stable).join(',') + ']'
  : v && typeof v === 'object' ? '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + stable(v[k])).join(',') + '}'
  : JSON.stringify(v);
const keyOf = (j) => {
  if (mode === 'selectedFields') return stable(fields.map((f) => get(j, f)));
  if (mode === 'allFieldsExcept') { const c = { ...j }; for (const f of fields) delete c[f]; return stable(c); }
  return stable(j);
};
const seen = new Set();
return items.filter((it) => { const k = keyOf(it.json); if (seen.has(k)) return false; seen.add(k); return true; });`;

const removeDuplicatesMapper: N8nMapper = (p, v) => {
  if (v >= 2 && p.operation && p.operation !== 'removeDuplicateInputItems') {
    return unsupported(`Remove Duplicates "${p.operation}" (across executions) has no Weft equivalent`);
  }
  const mode = String(p.compare ?? 'allFields');
  const raw = mode === 'selectedFields' ? p.fieldsToCompare : p.fieldsToExclude;
  const fields =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : (((raw as Params | undefined)?.fields as Params[] | undefined) ?? []).map((f) => String(f.fieldName ?? ''));
  return single(
    'weft.code',
    { mode: 'allItems', code: new LiteralCode(DEDUPE(mode, fields)) },
    { differences: ['implemented as a Code node'] },
  );
};

/** Mappers of n8n's data transformation nodes, by n8n type name. */
export const transformMappers: Record<string, N8nMapper> = {
  'n8n-nodes-base.set': setMapper,
  'n8n-nodes-base.code': codeMapper,
  'n8n-nodes-base.function': functionMapper,
  'n8n-nodes-base.functionItem': functionItemMapper,
  'n8n-nodes-base.sort': sortMapper,
  'n8n-nodes-base.limit': limitMapper,
  'n8n-nodes-base.aggregate': aggregateMapper,
  'n8n-nodes-base.splitOut': splitOutMapper,
  'n8n-nodes-base.removeDuplicates': removeDuplicatesMapper,
  'n8n-nodes-base.dateTime': dateTimeMapper,
  'n8n-nodes-base.crypto': cryptoMapper,
};
