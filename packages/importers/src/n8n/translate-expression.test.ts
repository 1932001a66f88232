import { describe, expect, it } from 'vitest';
import { n8nWorkflow, run } from '../import.test-support.js';
import { importN8n } from './import-n8n.js';
import { translateCode, translateJsExpression, translateTemplate } from './translate-expression.js';

describe('translating n8n expressions', () => {
  it('rewrites n8n-only syntax onto Weft helpers', () => {
    const cases: [string, string][] = [
      ['$json.a', '$json.a'],
      ['$node["Get user"].json.email', '$("Get user").item.json.email'],
      ["$node.Fetch.json['x']", '$("Fetch").item.json[\'x\']'],
      ['$items("A").length', '$("A").all().length'],
      ['$items()', '$input.all()'],
      ["$('A').first().json.id", "$('A').first().json.id"],
      ['$now.toFormat("yyyy-MM-dd")', '$date.format($now, "yyyy-MM-dd")'],
      [
        '$today.plus({ days: 1, hours: 2 }).toISO()',
        '$date.add($date.add($today, (1), "day"), (2), "hour").toISOString()',
      ],
      ["$now.minus(3, 'weeks').toMillis()", '$date.add($now, -(3), "week").getTime()'],
      ["DateTime.fromISO($json.d).diff($now, 'days').days", '$date.diff($date.parse($json.d), $now, "day")'],
      ['$now.year', '$now.getUTCFullYear()'],
      ['$json.tags.isEmpty()', '$obj.isEmpty($json.tags)'],
      ['$json.prices.sum() / $json.prices.length', '$arr.sum($json.prices) / $json.prices.length'],
      ['$json.n.toNumber().round(2)', '(Math.round(Number($json.n) * 10 ** 2) / 10 ** 2)'],
      ['$if($json.n > 1, "big", "small")', '(($json.n > 1) ? ("big") : ("small"))'],
      ['$input.first().json.x', '$input.first().json.x'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: n8n source holding a template literal
      ['`${$json.a}-${$node["B"].json.b}`', '`${$json.a}-${$("B").item.json.b}`'],
      ['{ a: $json.a, $position: 1 }.a', '{ a: $json.a, $position: 1 }.a'],
    ];
    for (const [n8n, weft] of cases) {
      const t = translateJsExpression(n8n);
      expect(t.text, n8n).toBe(weft);
      expect(t.untranslated, n8n).toEqual([]);
    }
  });

  it('reports what it cannot translate', () => {
    const bad: [string, RegExp][] = [
      ['$jmespath($json, "a.b")', /JMESPath/],
      ["$('A').itemMatching(0).json", /itemMatching/],
      ['$now.toLocaleString()', /toLocaleString/],
      ['$position', /position/],
      ['$node["A"].parameter.url', /parameter/],
      ["$now.toFormat('MMMM d')", /format/],
      ['$items("A", 1)', /output or run index/],
      ['$json.a +', /not valid JavaScript/],
      ['$parameter.url', /parameters/],
    ];
    for (const [n8n, reason] of bad) expect(translateJsExpression(n8n).untranslated.join(' '), n8n).toMatch(reason);
  });

  it('templates keep literal text and translate each {{ }}', () => {
    expect(translateTemplate('Hi {{ $json.name }}, {{ $node["A"].json.n }} items').text).toBe(
      'Hi {{ $json.name }}, {{ $("A").item.json.n }} items',
    );
    expect(translateTemplate('{{ $json.a').untranslated).toEqual(['an expression is missing its closing }}']);
    expect(translateTemplate("{{ $('A').item.json.x }}").differences[0]).toMatch(/paired items/);
  });

  it('code keeps n8n data transformation method names (they only exist in expressions)', () => {
    const t = translateCode('const x = items.first();\nreturn $items("A").map(i => ({ json: { d: $now.toISO() } }));');
    expect(t.text).toBe(
      'const x = items.first();\nreturn $("A").all().map(i => ({ json: { d: $now.toISOString() } }));',
    );
    expect(translateCode('const h = this.helpers.httpRequest()').untranslated[0]).toMatch(/this.helpers/);
  });

  it('translated expressions give n8n results when the imported workflow runs', async () => {
    const assignments = [
      ['day', '={{ $now.toFormat("yyyy-MM-dd") }}'],
      ['tomorrow', '={{ $today.plus({ days: 1 }).toISODate() }}'],
      ['age', "={{ $now.diff(DateTime.fromISO($json.born), 'days').days }}"],
      ['total', '={{ $json.prices.sum() }}'],
      ['count', '={{ $items("Data").length }}'],
      ['firstName', '={{ $node["Data"].json.name }}'],
      ['label', '=Order {{ $json.name.toUpperCase() }} of {{ $json.prices.length }}'],
      ['empty', '={{ $json.none.isEmpty() }}'],
      ['size', '={{ $if($json.prices.sum() > 5, "big", "small") }}'],
    ].map(([name, value], i) => ({ id: String(i), name, value, type: 'string' }));
    const wf = n8nWorkflow(
      [
        {
          name: 'Data',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          parameters: {
            jsCode: 'return [{ json: { name: "ann", born: "2026-01-05T10:30:00Z", prices: [1, 2, 3.5], none: [] } }];',
          },
        },
        { name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: { assignments } } },
      ],
      ['Start -> Data', 'Data -> Set'],
    );
    const { workflows, report } = importN8n(wf);
    expect(report.workflows[0]?.expressions).toEqual([]);
    const { out } = await run(workflows[0]!);
    expect(out('Set')).toEqual([
      {
        day: '2026-01-15',
        tomorrow: '2026-01-16',
        age: '10',
        total: '6.5',
        count: '1',
        firstName: 'ann',
        label: 'Order ANN of 3',
        empty: 'true',
        size: 'big',
      },
    ]);
  });

  it('reports untranslated expressions with JSON pointers into the imported workflow', () => {
    const wf = n8nWorkflow(
      [
        {
          name: 'Call',
          type: 'n8n-nodes-base.httpRequest',
          typeVersion: 4.2,
          parameters: {
            url: '=https://api.example.com/{{ $jmespath($json, "a") }}',
            sendQuery: true,
            queryParameters: { parameters: [{ name: 'q', value: '={{ $position }}' }] },
          },
        },
        {
          name: 'Literal',
          type: 'n8n-nodes-base.set',
          typeVersion: 3.4,
          parameters: {
            assignments: { assignments: [{ id: '1', name: 'a', value: 'text with {{ braces }}', type: 'string' }] },
          },
        },
      ],
      ['Start -> Call', 'Call -> Literal'],
    );
    const { report } = importN8n(wf);
    const issues = report.workflows[0]?.expressions.map((e) => [e.node, e.pointer]);
    expect(issues).toEqual([
      ['Call', '/nodes/1/parameters/url'],
      ['Call', '/nodes/1/parameters/query/0/value'],
      ['Literal', '/nodes/2/parameters/fields/0/value'],
    ]);
    expect(report.workflows[0]?.nodes.find((n) => n.source === 'Call')?.status).toBe('differences');
  });
});
