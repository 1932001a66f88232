// The malformed input the fuzz suite sends: fixed lists beside the generators in schema-arbitrary.ts.
import fc from 'fast-check';
import type { Schema } from './schema-arbitrary.js';

export const SEED = 20261125;

export const MALFORMED_BODIES: Array<[string, string]> = [
  ['truncated object', '{"name":'],
  ['lone bracket', '['],
  ['not json', 'hello'],
  ['null', 'null'],
  ['string', '"text"'],
  ['number', '12345'],
  ['array', '[1,2,3]'],
  ['empty object', '{}'],
  ['proto pollution', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'],
  ['deep nesting', `${'['.repeat(2000)}${']'.repeat(2000)}`],
  ['deeper nesting', `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
  ['huge string', JSON.stringify({ name: 'x'.repeat(200_000), workflow: 'y'.repeat(1000) })],
  [
    'wrong types',
    JSON.stringify({
      name: 1,
      nodes: 'x',
      connections: {},
      input: 'x',
      wait: 'yes',
      role: 7,
      data: [],
      fromNode: {},
      code: 1,
      token: 1,
      email: [],
      password: {},
    }),
  ],
  [
    'nulls',
    JSON.stringify({ name: null, nodes: [null], input: [null], data: null, workflow: null, workflows: [null] }),
  ],
  ['unicode', JSON.stringify({ name: '\u0000\ud800\uffff💥', email: '💥@💥', nodes: [{ id: '\u0000' }] })],
];

export const BAD_PARAMS = [
  '%',
  '%ZZ',
  '..',
  '%2e%2e%2f',
  'a'.repeat(5000),
  '%00',
  '💥',
  '%F0%9F%92',
  "'; drop table users; --",
];
export const BAD_QUERIES = [
  'limit=abc',
  'limit=-1',
  'limit=1e309',
  'limit=1&limit=2',
  'status=exploded',
  'status=',
  'cursor=%',
  'cursor=abc:def',
  'since=NaN',
  'q=%25%5C_',
  'format=xml',
  'from=0&to=-4',
  'executionId[]=1',
  'lastEventId=abc',
  'all=maybe',
  `q=${'x'.repeat(3000)}`,
];
export const BAD_HEADERS: Array<Record<string, string>> = [
  { authorization: 'Bearer' },
  { authorization: 'Basic YTpi' },
  { authorization: `Bearer ${'a'.repeat(10_000)}` },
  { authorization: 'Bearer a.b.c' },
  { authorization: 'Bearer weft_deadbeef_nope' },
  { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwic2lkIjoieCJ9.' },
];

/** A valid workflow with text in every kind of field: random ones fail the graph rules (422) first. */
export const VALID_WORKFLOW = {
  name: 'Fuzz',
  description: 'd',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {}, notes: 'n' },
    { id: 's', name: 'Set', type: 'weft.set', parameters: { fields: [{ name: 'a', value: 'b' }] } },
  ],
  connections: [{ source: 't', target: 's', sourcePort: 'main', targetPort: 'main' }],
  settings: { timezone: 'UTC', errorWorkflow: 'wf' },
  notes: [{ id: 'n', text: 'note', position: [0, 0], color: 'yellow' }],
  tags: ['tag'],
};
export const known = (s: Schema, ref?: string) =>
  ref === 'Workflow' || s.title === 'Weft workflow' ? fc.constant(VALID_WORKFLOW) : undefined;
