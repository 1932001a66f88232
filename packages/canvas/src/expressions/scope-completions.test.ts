import { describe, expect, it } from 'vitest';
import { jsonPaths } from './json-paths.js';
import { nodeRef, scopeCompletions } from './scope-completions.js';
import { scopeToken } from './scope-token.js';

describe('scopeCompletions', () => {
  const list = scopeCompletions(jsonPaths([{ json: { id: 7, 'first name': 'Ada' } }]), {
    "Fetch 'orders'": [{ json: { total: 12, lines: [{ sku: 'a' }] } }],
  });
  const paths = list.map((s) => s.path);

  it("offers the input's $json paths first, then $input, $execution, $workflow, $now and the helpers", () => {
    expect(paths.slice(0, 2)).toEqual(['$json.id', '$json["first name"]']);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$input.all()',
        '$input.first()',
        '$execution.id',
        '$workflow.name',
        '$now',
        '$today',
        '$date.format(',
        '$str.slug(',
        '$arr.sum(',
        '$obj.get(',
      ]),
    );
  });

  it("offers $('Node') for each node that ran, with the fields of its output, the name quoted", () => {
    const ref = "$('Fetch \\'orders\\'')";
    expect(nodeRef("Fetch 'orders'")).toBe(ref);
    expect(paths).toEqual(
      expect.arrayContaining([
        `${ref}.item.json`,
        `${ref}.all()`,
        `${ref}.item.json.total`,
        `${ref}.item.json.lines[0].sku`,
      ]),
    );
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe('scopeToken', () => {
  it.each([
    ['{{ $json.cu', '$json.cu'],
    ['return $', '$'],
    ["const a = $('Fetch orders').item.js", "$('Fetch orders').item.js"],
    ["$('Fe", "$('Fe"],
    ['$str.slug($json.ti', '$json.ti'],
    ['$date.fo', '$date.fo'],
    ['total + 1', null],
  ])('%s -> %s', (before, token) => {
    expect(scopeToken(before)).toBe(token);
  });
});
