import { describe, expect, it } from 'vitest';
import { n8nWorkflow, run } from '../import.test-support.js';
import { importN8n } from './import-n8n.js';

const base = 'n8n-nodes-base.';
const data = (list: unknown[]) => ({
  name: 'Data',
  type: `${base}code`,
  typeVersion: 2,
  parameters: { jsCode: `return ${JSON.stringify(list)}.map((json) => ({ json }));` },
});

/** Runs Start -> Data -> node and returns what the node output, with its report entry. */
async function through(
  input: unknown[],
  node: { type: string; typeVersion?: number; parameters?: Record<string, unknown> },
) {
  const { workflows, report } = importN8n(
    n8nWorkflow([data(input), { name: 'N', ...node }], ['Start -> Data', 'Data -> N']),
  );
  const w = workflows[0]!;
  const last = w.nodes[w.nodes.length - 1]!.name;
  const { out, result } = await run(w);
  return {
    out: out(last),
    result,
    entry: report.workflows[0]!.nodes.find((n) => n.source === 'N')!,
    report: report.workflows[0]!,
  };
}

describe('n8n Set / Edit Fields', () => {
  const input = [{ x: 'hi', keep: 1, drop: 2, n: '41' }];

  it('v1 and v2: typed values, dot notation, keep only set', async () => {
    const values = {
      string: [{ name: 'a.b', value: '={{ $json.x }}!' }],
      number: [{ name: 'num', value: 5 }],
      boolean: [{ name: 'flag', value: true }],
    };
    expect((await through(input, { type: `${base}set`, typeVersion: 1, parameters: { values } })).out).toEqual([
      { ...input[0], a: { b: 'hi!' }, num: 5, flag: true },
    ]);
    const r = await through(input, { type: `${base}set`, typeVersion: 2, parameters: { values, keepOnlySet: true } });
    expect(r.out).toEqual([{ a: { b: 'hi!' }, num: 5, flag: true }]);
    expect(r.entry.status).toBe('exact');
  });

  it('v3.0-3.2 manual fields with types and include selected / except / none', async () => {
    const fields = {
      values: [
        { name: 'n2', type: 'numberValue', numberValue: '={{ Number($json.n) + 1 }}' },
        { name: 'o', type: 'objectValue', objectValue: '{"k":1}' },
      ],
    };
    expect(
      (
        await through(input, {
          type: `${base}set`,
          typeVersion: 3,
          parameters: { fields, include: 'selected', includeFields: 'keep' },
        })
      ).out,
    ).toEqual([{ keep: 1, n2: 42, o: { k: 1 } }]);
    expect(
      (
        await through(input, {
          type: `${base}set`,
          typeVersion: 3.2,
          parameters: { fields, include: 'except', excludeFields: 'drop, n' },
        })
      ).out,
    ).toEqual([{ x: 'hi', keep: 1, n2: 42, o: { k: 1 } }]);
    expect(
      (await through(input, { type: `${base}set`, typeVersion: 3.1, parameters: { fields, include: 'none' } })).out,
    ).toEqual([{ n2: 42, o: { k: 1 } }]);
  });

  it('v3.3+ assignments: only set fields by default, include other fields on demand', async () => {
    const assignments = {
      assignments: [
        { id: '1', name: 'total', value: '={{ $json.n * 2 }}', type: 'number' },
        { id: '2', name: 'on', value: 'true', type: 'boolean' },
      ],
    };
    expect((await through(input, { type: `${base}set`, typeVersion: 3.4, parameters: { assignments } })).out).toEqual([
      { total: 82, on: true },
    ]);
    expect(
      (
        await through(input, {
          type: `${base}set`,
          typeVersion: 3.3,
          parameters: { assignments, includeOtherFields: true },
        })
      ).out,
    ).toEqual([{ ...input[0], total: 82, on: true }]);
  });

  it('raw (JSON) mode with expressions inside the JSON', async () => {
    const jsonOutput = '={\n  "who": "{{ $json.x }}",\n  "next": {{ Number($json.n) + 1 }}\n}';
    const r = await through(input, { type: `${base}set`, typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput } });
    expect(r.out).toEqual([{ who: 'hi', next: 42 }]);
    expect(r.entry.differences).toContain('raw JSON mode runs as a Code node');
    expect(
      (
        await through(input, {
          type: `${base}set`,
          typeVersion: 3.2,
          parameters: { mode: 'raw', jsonOutput: '{"a":1}' },
        })
      ).out,
    ).toEqual([{ ...input[0], a: 1 }]);
  });
});

describe('n8n Code and legacy Function nodes', () => {
  const input = [
    { id: 1, v: 2 },
    { id: 2, v: 3 },
  ];

  it('Code: all items and each item, with $input, $json, items and n8n return shapes', async () => {
    const all = await through(input, {
      type: `${base}code`,
      typeVersion: 2,
      parameters: {
        jsCode:
          'const sum = $input.all().reduce((a, i) => a + i.json.v, 0);\nreturn [{ json: { sum, first: $input.first().json.id, n: items.length } }];',
      },
    });
    expect(all.out).toEqual([{ sum: 5, first: 1, n: 2 }]);
    expect(all.entry.status).toBe('exact');
    const each = await through(input, {
      type: `${base}code`,
      typeVersion: 2,
      parameters: { mode: 'runOnceForEachItem', jsCode: '$input.item.json.double = $json.v * 2;\nreturn $input.item;' },
    });
    expect(each.out).toEqual([
      { id: 1, v: 2, double: 4 },
      { id: 2, v: 3, double: 6 },
    ]);
  });

  it('Code referring to other nodes with $node[...] and $items(...) is translated', async () => {
    const r = await through(input, {
      type: `${base}code`,
      typeVersion: 1,
      parameters: {
        jsCode:
          'return [{ json: { n: $items("Data").length, first: $node["Data"].json.id, day: DateTime.now().toFormat("yyyy-MM-dd") } }];',
      },
    });
    expect(r.out).toEqual([{ n: 2, first: 1, day: '2026-01-15' }]);
  });

  it('Function (all items) and Function Item (item is the json)', async () => {
    const fn = await through(input, {
      type: `${base}function`,
      parameters: { functionCode: 'for (const item of items) item.json.x = item.json.v + 1;\nreturn items;' },
    });
    expect(fn.out).toEqual([
      { id: 1, v: 2, x: 3 },
      { id: 2, v: 3, x: 4 },
    ]);
    const fi = await through(input, {
      type: `${base}functionItem`,
      parameters: { functionCode: 'item.y = item.v * 10;\nreturn item;' },
    });
    expect(fi.out).toEqual([
      { id: 1, v: 2, y: 20 },
      { id: 2, v: 3, y: 30 },
    ]);
  });

  it('Python code becomes a placeholder that fails with the reason', async () => {
    const r = await through(input, {
      type: `${base}code`,
      typeVersion: 2,
      parameters: { language: 'python', pythonCode: 'return _input.all()' },
    });
    expect(r.entry.status).toBe('unsupported');
    expect(r.result.error?.message).toMatch(/Not imported: Code in python/);
  });
});

describe('n8n list nodes', () => {
  const input = [
    { id: 3, email: 'a@x', tags: ['t1', 't2'], price: 5 },
    { id: 1, email: 'b@x', tags: ['t3'], price: 7 },
    { id: 2, email: 'a@x', tags: [], price: 5 },
  ];

  it('Sort, Limit, Aggregate, Split Out', async () => {
    const sort = await through(input, {
      type: `${base}sort`,
      parameters: { sortFieldsUi: { sortField: [{ fieldName: 'price', order: 'descending' }, { fieldName: 'id' }] } },
    });
    expect(sort.out?.map((j) => j.id)).toEqual([1, 2, 3]);
    expect(
      (await through(input, { type: `${base}limit`, parameters: { maxItems: 2, keep: 'lastItems' } })).out?.map(
        (j) => j.id,
      ),
    ).toEqual([1, 2]);
    expect((await through(input, { type: `${base}limit`, parameters: {} })).out?.map((j) => j.id)).toEqual([3]);
    const agg = await through(input, {
      type: `${base}aggregate`,
      parameters: {
        fieldsToAggregate: {
          fieldToAggregate: [
            { fieldToAggregate: 'id' },
            { fieldToAggregate: 'email', renameField: true, outputFieldName: 'emails' },
          ],
        },
      },
    });
    expect(agg.out).toEqual([{ id: [3, 1, 2], emails: ['a@x', 'b@x', 'a@x'] }]);
    const all = await through(input.slice(0, 1), {
      type: `${base}aggregate`,
      parameters: { aggregate: 'aggregateAllItemData', destinationFieldName: 'rows' },
    });
    expect(all.out).toEqual([{ rows: [input[0]] }]);
    const split = await through(input.slice(0, 2), {
      type: `${base}splitOut`,
      parameters: { fieldToSplitOut: 'tags', include: 'allOtherFields' },
    });
    expect(split.out).toEqual([
      { id: 3, email: 'a@x', price: 5, tags: 't1' },
      { id: 3, email: 'a@x', price: 5, tags: 't2' },
      { id: 1, email: 'b@x', price: 7, tags: 't3' },
    ]);
  });

  it('Remove Duplicates v1, v1.1 and v2', async () => {
    const v1 = await through(input, {
      type: `${base}removeDuplicates`,
      typeVersion: 1,
      parameters: { compare: 'selectedFields', fieldsToCompare: { fields: [{ fieldName: 'email' }] } },
    });
    expect(v1.out?.map((j) => j.id)).toEqual([3, 1]);
    const v11 = await through(input, {
      type: `${base}removeDuplicates`,
      typeVersion: 1.1,
      parameters: { compare: 'allFieldsExcept', fieldsToExclude: 'id, tags' },
    });
    expect(v11.out?.map((j) => j.id)).toEqual([3, 1]);
    const twice = [...input, { ...input[0] }];
    expect(
      (await through(twice, { type: `${base}removeDuplicates`, typeVersion: 2, parameters: {} })).out,
    ).toHaveLength(3);
    expect(
      (
        await through(input, {
          type: `${base}removeDuplicates`,
          typeVersion: 2,
          parameters: { operation: 'clearDeduplicationHistory' },
        })
      ).entry.status,
    ).toBe('unsupported');
  });
});

describe('n8n Date & Time and Crypto', () => {
  const input = [{ at: '2026-03-05T10:00:00Z', s: 'abc' }];

  it('Date & Time v2: current date, add, subtract, format, time between', async () => {
    const dt = (parameters: Record<string, unknown>) =>
      through(input, { type: `${base}dateTime`, typeVersion: 2, parameters });
    expect((await dt({})).out?.[0]?.currentDate).toBe('2026-01-15T10:30:00.000Z');
    expect(
      (await dt({ operation: 'addToDate', magnitude: '={{ $json.at }}', timeUnit: 'days', duration: 2 })).out?.[0]
        ?.newDate,
    ).toBe('2026-03-07T10:00:00.000Z');
    expect(
      (
        await dt({
          operation: 'subtractFromDate',
          magnitude: '={{ $json.at }}',
          timeUnit: 'hours',
          duration: 1,
          outputFieldName: 'd',
        })
      ).out?.[0]?.d,
    ).toBe('2026-03-05T09:00:00.000Z');
    expect(
      (
        await dt({
          operation: 'formatDate',
          date: '={{ $json.at }}',
          format: 'custom',
          customFormat: 'dd.MM.yyyy HH:mm',
        })
      ).out?.[0]?.formattedDate,
    ).toBe('05.03.2026 10:00');
    expect(
      (
        await dt({
          operation: 'getTimeBetweenDates',
          startDate: '2026-03-01',
          endDate: '={{ $json.at }}',
          units: ['day'],
        })
      ).out?.[0]?.timeDifference,
    ).toBeCloseTo(4.4167, 3);
    expect((await dt({ operation: 'roundDate' })).entry.status).toBe('unsupported');
  });

  it('Date & Time v1: moment format and calculate', async () => {
    const v1 = (parameters: Record<string, unknown>) =>
      through(input, { type: `${base}dateTime`, typeVersion: 1, parameters });
    expect(
      (await v1({ value: '={{ $json.at }}', toFormat: 'YYYY/MM/DD', dataPropertyName: 'day' })).out?.[0]?.day,
    ).toBe('2026/03/05');
    expect(
      (
        await v1({
          action: 'calculate',
          value: '={{ $json.at }}',
          operation: 'subtract',
          duration: 1,
          timeUnit: 'days',
        })
      ).out?.[0]?.data,
    ).toBe('2026-03-04T10:00:00.000Z');
  });

  it('Crypto: hash, hmac, generate', async () => {
    const c = (parameters: Record<string, unknown>) => through(input, { type: `${base}crypto`, parameters });
    expect((await c({ type: 'SHA256', value: '={{ $json.s }}' })).out?.[0]?.data).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect((await c({ value: 'abc', dataPropertyName: 'h' })).out?.[0]?.h).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(
      (await c({ action: 'hmac', type: 'SHA256', value: 'abc', secret: 'k', encoding: 'base64' })).out?.[0]?.data,
    ).toBe('NC5RnOCtbAOja5jus/HRMNtIE7nfTRFg7aSI1xLceO4=');
    expect((await c({ action: 'generate', dataPropertyName: 'id' })).out?.[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await c({ action: 'sign' })).entry.status).toBe('unsupported');
  });
});
