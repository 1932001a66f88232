import { describe, expect, it } from 'vitest';
import { expectValid, n8nWorkflow, run } from '../import.test-support.js';
import { importN8n } from './import-n8n.js';

const base = 'n8n-nodes-base.';
const items = (list: unknown[]) => ({
  name: 'Data',
  type: `${base}code`,
  typeVersion: 2,
  parameters: { jsCode: `return ${JSON.stringify(list)}.map((json) => ({ json }));` },
});
const one = (wf: ReturnType<typeof n8nWorkflow>) => {
  const { workflows, report } = importN8n(wf);
  return { w: workflows[0]!, r: report.workflows[0]! };
};
const ids = (list: Record<string, unknown>[] | undefined) => (list ?? []).map((j) => j.id);
const v2cond = (type: string, operation: string, leftValue: unknown, rightValue?: unknown) => ({
  leftValue,
  rightValue,
  operator: { type, operation },
});

describe('n8n IF and Filter', () => {
  const data = [
    { id: 1, name: 'apple', n: 5, tags: ['a', 'b'], at: '2026-03-01', ok: true },
    { id: 2, name: 'Avocado', n: 12, tags: [], at: '2025-01-01', ok: false },
    { id: 3, name: 'banana', n: 7, at: '2026-06-01', ok: true },
  ];

  it('IF v1: string and number conditions, any/all', async () => {
    const { w } = one(
      n8nWorkflow(
        [
          items(data),
          {
            name: 'If',
            type: `${base}if`,
            typeVersion: 1,
            parameters: {
              conditions: {
                string: [{ value1: '={{ $json.name }}', operation: 'startsWith', value2: 'a' }],
                number: [{ value1: '={{ $json.n }}', operation: 'larger', value2: 6 }],
              },
              combineOperation: 'any',
            },
          },
          { name: 'T', type: `${base}noOp` },
          { name: 'F', type: `${base}noOp` },
        ],
        ['Start -> Data', 'Data -> If', 'If -> T', 'If:1 -> F'],
      ),
    );
    const { out } = await run(w);
    expect(ids(out('T'))).toEqual([1, 2, 3]);
    const { w: w2 } = one(
      n8nWorkflow(
        [
          items(data),
          {
            name: 'If',
            type: `${base}if`,
            parameters: {
              conditions: {
                string: [{ value1: '={{ $json.name }}', operation: 'notStartsWith', value2: 'b' }],
                number: [{ value1: '={{ $json.n }}' }],
              },
            },
          },
          { name: 'T', type: `${base}noOp` },
        ],
        ['Start -> Data', 'Data -> If', 'If -> T'],
      ),
    );
    // number default operation is "smaller" than 0
    expect(ids((await run(w2)).out('T'))).toEqual([]);
  });

  it('IF v2.2 and Filter v2: n8n operators Weft lacks, case-insensitive strings, arrays and dates', async () => {
    const cases: [unknown, number[], boolean?][] = [
      [v2cond('string', 'notStartsWith', '={{ $json.name }}', 'a'), [2, 3]],
      [v2cond('string', 'startsWith', '={{ $json.name }}', 'a'), [1, 2], true],
      [v2cond('string', 'regex', '={{ $json.name }}', '/^A/i'), [1, 2]],
      [v2cond('string', 'notRegex', '={{ $json.name }}', '^b'), [1, 2]],
      [v2cond('number', 'gte', '={{ $json.n }}', 7), [2, 3]],
      [v2cond('array', 'lengthGt', '={{ $json.tags }}', 0), [1]],
      [v2cond('array', 'exists', '={{ $json.tags }}'), [1, 2]],
      [v2cond('array', 'contains', '={{ $json.tags }}', 'b'), [1]],
      [v2cond('dateTime', 'after', '={{ $json.at }}', '2026-01-01'), [1, 3]],
      [v2cond('boolean', 'true', '={{ $json.ok }}'), [1, 3]],
      [v2cond('string', 'notEndsWith', '={{ $json.name }}', 'a'), [1, 2]],
    ];
    for (const [cond, expected, ignoreCase] of cases) {
      for (const type of ['if', 'filter']) {
        const { w } = one(
          n8nWorkflow(
            [
              items(data),
              {
                name: 'C',
                type: `${base}${type}`,
                typeVersion: type === 'if' ? 2.2 : 2,
                parameters: {
                  conditions: { options: { caseSensitive: !ignoreCase }, conditions: [cond], combinator: 'and' },
                },
              },
              { name: 'T', type: `${base}noOp` },
            ],
            ['Start -> Data', 'Data -> C', 'C -> T'],
          ),
        );
        const { out } = await run(w);
        expect(ids(out('T')), `${type} ${JSON.stringify(cond)}`).toEqual(expected);
      }
    }
  });

  it('Filter v1: OR of conditions', async () => {
    const { w, r } = one(
      n8nWorkflow(
        [
          items(data),
          {
            name: 'F',
            type: `${base}filter`,
            parameters: {
              conditions: {
                boolean: [{ value1: '={{ $json.ok }}', value2: false }],
                number: [{ value1: '={{ $json.n }}', operation: 'equal', value2: 7 }],
              },
              combineConditions: 'OR',
            },
          },
        ],
        ['Start -> Data', 'Data -> F'],
      ),
    );
    expect(r.nodes.every((n) => n.status === 'exact')).toBe(true);
    expect(ids((await run(w)).out('F'))).toEqual([2, 3]);
  });
});

describe('n8n Switch', () => {
  const data = [
    { id: 1, kind: 'a' },
    { id: 2, kind: 'b' },
    { id: 3, kind: 'c' },
    { id: 4, kind: 'A' },
  ];
  const outs = ['O0', 'O1', 'O2', 'O3'].map((name) => ({ name, type: `${base}noOp` }));

  it('v3.2 rules: renamed outputs, extra fallback output, ignore case, all matching outputs', async () => {
    const rule = (v: string) => ({
      conditions: {
        options: { caseSensitive: true },
        conditions: [v2cond('string', 'equals', '={{ $json.kind }}', v)],
        combinator: 'and',
      },
      renameOutput: true,
      outputKey: v,
    });
    const { w, r } = one(
      n8nWorkflow(
        [
          items(data),
          {
            name: 'S',
            type: `${base}switch`,
            typeVersion: 3.2,
            parameters: {
              rules: { values: [rule('a'), rule('b')] },
              options: { fallbackOutput: 'extra', ignoreCase: true },
            },
          },
          ...outs,
        ],
        ['Start -> Data', 'Data -> S', 'S -> O0', 'S:1 -> O1', 'S:2 -> O2'],
      ),
    );
    const { out } = await run(w);
    expect([ids(out('O0')), ids(out('O1')), ids(out('O2'))]).toEqual([[1, 4], [2], [3]]);
    expect(r.nodes.find((n) => n.source === 'S')?.differences[0]).toMatch(/route0/);
  });

  it('v3 fallback to an existing output and expression mode', async () => {
    const { w } = one(
      n8nWorkflow(
        [
          items(data),
          {
            name: 'S',
            type: `${base}switch`,
            typeVersion: 3,
            parameters: {
              rules: {
                values: [
                  { conditions: { conditions: [v2cond('string', 'equals', '={{ $json.kind }}', 'a')] } },
                  { conditions: { conditions: [v2cond('string', 'equals', '={{ $json.kind }}', 'b')] } },
                ],
              },
              options: { fallbackOutput: 0 },
            },
          },
          ...outs,
        ],
        ['Start -> Data', 'Data -> S', 'S -> O0', 'S:1 -> O1'],
      ),
    );
    expect(ids((await run(w)).out('O0')).sort()).toEqual([1, 3, 4]);
    const { w: e } = one(
      n8nWorkflow(
        [
          items(data),
          {
            name: 'S',
            type: `${base}switch`,
            typeVersion: 3,
            parameters: { mode: 'expression', numberOutputs: 3, output: '={{ $json.id % 3 }}' },
          },
          ...outs,
        ],
        ['Start -> Data', 'Data -> S', 'S -> O0', 'S:1 -> O1', 'S:2 -> O2'],
      ),
    );
    const { out } = await run(e);
    expect([ids(out('O0')), ids(out('O1')), ids(out('O2'))]).toEqual([[3], [1, 4], [2]]);
  });

  it('v1 and v2 rules: output indices per rule and a fallback output', async () => {
    for (const typeVersion of [1, 2]) {
      const { w } = one(
        n8nWorkflow(
          [
            items(data),
            {
              name: 'S',
              type: `${base}switch`,
              typeVersion,
              parameters: {
                dataType: 'string',
                value1: '={{ $json.kind }}',
                rules: {
                  rules: [
                    { value2: 'b', output: 2 },
                    { operation: 'equal', value2: 'a', output: 0 },
                    { value2: 'c', output: 2 },
                  ],
                },
                fallbackOutput: 3,
              },
            },
            ...outs,
          ],
          ['Start -> Data', 'Data -> S', 'S -> O0', 'S:2 -> O2', 'S:3 -> O3'],
        ),
      );
      const { out } = await run(w);
      expect([ids(out('O0')), ids(out('O2')), ids(out('O3'))]).toEqual([[1], [2, 3], [4]]);
    }
  });
});

describe('n8n Merge', () => {
  const left = {
    ...items([
      { id: 1, a: 'x' },
      { id: 2, a: 'y' },
      { id: 3, a: 'z' },
    ]),
    name: 'L',
  };
  const right = {
    ...items([
      { id: 2, b: 'B2' },
      { id: 3, b: 'B3' },
      { id: 4, b: 'B4' },
    ]),
    name: 'R',
  };
  const merge = (typeVersion: number, parameters: Record<string, unknown>) =>
    one(
      n8nWorkflow(
        [left, right, { name: 'M', type: `${base}merge`, typeVersion, parameters }],
        ['Start -> L', 'Start -> R', 'L -> M', 'R -> M:1'],
      ),
    );

  const cases: [string, number, Record<string, unknown>, unknown[]][] = [
    ['v1 append', 1, {}, [1, 2, 3, 2, 3, 4]],
    [
      'v1 merge by key',
      1,
      { mode: 'mergeByKey', propertyName1: 'id', propertyName2: 'id' },
      [
        { id: 1, a: 'x' },
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
      ],
    ],
    [
      'v1 merge by index (outer)',
      1,
      { mode: 'mergeByIndex', join: 'outer' },
      [
        { id: 2, a: 'x', b: 'B2' },
        { id: 3, a: 'y', b: 'B3' },
        { id: 4, a: 'z', b: 'B4' },
      ],
    ],
    [
      'v2 combine by fields, keep matches',
      2,
      { mode: 'combine', mergeByFields: { values: [{ field1: 'id', field2: 'id' }] } },
      [
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
      ],
    ],
    [
      'v2.1 keep everything',
      2.1,
      { mode: 'combine', mergeByFields: { values: [{ field1: 'id', field2: 'id' }] }, joinMode: 'keepEverything' },
      [
        { id: 1, a: 'x' },
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
        { id: 4, b: 'B4' },
      ],
    ],
    [
      'v2 by position',
      2,
      { mode: 'combine', combinationMode: 'mergeByPosition' },
      [
        { id: 2, a: 'x', b: 'B2' },
        { id: 3, a: 'y', b: 'B3' },
        { id: 4, a: 'z', b: 'B4' },
      ],
    ],
    ['v2 choose branch input 2', 2, { mode: 'chooseBranch', output: 'input2' }, [2, 3, 4]],
    ['v3 append', 3, { mode: 'append' }, [1, 2, 3, 2, 3, 4]],
    [
      'v3 combine by field string, enrich input 1',
      3,
      { mode: 'combine', fieldsToMatchString: 'id', joinMode: 'enrichInput1' },
      [
        { id: 1, a: 'x' },
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
      ],
    ],
    [
      'v3.1 combine advanced, keep matches',
      3.1,
      { mode: 'combine', advanced: true, mergeByFields: { values: [{ field1: 'id', field2: 'id' }] } },
      [
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
      ],
    ],
    [
      'v3.2 combine by position',
      3.2,
      { mode: 'combine', combineBy: 'combineByPosition' },
      [
        { id: 2, a: 'x', b: 'B2' },
        { id: 3, a: 'y', b: 'B3' },
        { id: 4, a: 'z', b: 'B4' },
      ],
    ],
    ['v3 choose branch (input 1)', 3, { mode: 'chooseBranch', useDataOfInput: 1 }, [1, 2, 3]],
    [
      'v3 all combinations (Code node)',
      3,
      { mode: 'combine', combineBy: 'combineAll' },
      [
        { id: 2, a: 'x', b: 'B2' },
        { id: 3, a: 'x', b: 'B3' },
        { id: 4, a: 'x', b: 'B4' },
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'y', b: 'B3' },
        { id: 4, a: 'y', b: 'B4' },
        { id: 2, a: 'z', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
        { id: 4, a: 'z', b: 'B4' },
      ],
    ],
    [
      'v3 keep non-matches from both (Code node)',
      3,
      { mode: 'combine', fieldsToMatchString: 'id', joinMode: 'keepNonMatches' },
      [
        { id: 1, a: 'x' },
        { id: 4, b: 'B4' },
      ],
    ],
    [
      'v3 keep matches, output input 2 (Code node)',
      3,
      { mode: 'combine', fieldsToMatchString: 'id', outputDataFrom: 'input2' },
      [
        { id: 2, b: 'B2' },
        { id: 3, b: 'B3' },
      ],
    ],
    [
      'v3.1 two field pairs (Code node)',
      3.1,
      {
        mode: 'combine',
        advanced: true,
        mergeByFields: {
          values: [
            { field1: 'id', field2: 'id' },
            { field1: 'a', field2: 'b' },
          ],
        },
      },
      [],
    ],
    ['v2 choose branch, empty item (Code node)', 2, { mode: 'chooseBranch', output: 'empty' }, [{}]],
    [
      'v1 remove key matches (Code node)',
      1,
      { mode: 'removeKeyMatches', propertyName1: 'id', propertyName2: 'id' },
      [{ id: 1, a: 'x' }],
    ],
    ['v1 multiplex (Code node)', 1, { mode: 'multiplex' }, [2, 3, 4, 2, 3, 4, 2, 3, 4]],
    ['v1 pass through input 2', 1, { mode: 'passThrough', output: 'input2' }, [2, 3, 4]],
    [
      'v2.1 enrich input 2',
      2.1,
      { mode: 'combine', mergeByFields: { values: [{ field1: 'id', field2: 'id' }] }, joinMode: 'enrichInput2' },
      [
        { id: 2, a: 'y', b: 'B2' },
        { id: 3, a: 'z', b: 'B3' },
        { id: 4, b: 'B4' },
      ],
    ],
  ];
  for (const [label, version, params, expected] of cases) {
    it(label, async () => {
      const { w } = merge(version, params);
      const got = (await run(w)).out('M');
      expect(typeof expected[0] === 'number' ? ids(got) : got).toEqual(expected);
    });
  }

  it('v3 with three inputs and modes Weft lacks: placeholders that fail with the reason', async () => {
    const third = { ...items([{ id: 9 }]), name: 'T3' };
    const { w } = one(
      n8nWorkflow(
        [left, right, third, { name: 'M', type: `${base}merge`, typeVersion: 3, parameters: { numberInputs: 3 } }],
        ['Start -> L', 'Start -> R', 'Start -> T3', 'L -> M', 'R -> M:1', 'T3 -> M:2'],
      ),
    );
    expect(ids((await run(w)).out('M'))).toEqual([1, 2, 3, 2, 3, 4, 9]);
    const { w: sql, r } = merge(3, { mode: 'combineBySql', query: 'SELECT * FROM input1' });
    expect(r.nodes.find((n) => n.source === 'M')?.status).toBe('unsupported');
    const { result } = await run(sql);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/Not imported: Merge by SQL query/);
  });
});

describe('n8n loops, waits, errors and sub-workflows', () => {
  it('Loop Over Items v3: done fires once with every processed batch', async () => {
    const { w, r } = one(
      n8nWorkflow(
        [
          items([1, 2, 3, 4, 5].map((id) => ({ id }))),
          { name: 'Loop', type: `${base}splitInBatches`, typeVersion: 3, parameters: { batchSize: 2, options: {} } },
          {
            name: 'Double',
            type: `${base}code`,
            typeVersion: 2,
            parameters: { mode: 'runOnceForEachItem', jsCode: 'return { json: { id: $json.id * 2 } };' },
          },
          { name: 'Done', type: `${base}noOp` },
        ],
        ['Start -> Data', 'Data -> Loop', 'Loop:1 -> Double', 'Double -> Loop', 'Loop -> Done'],
      ),
    );
    expect(w.connections).toContainEqual({ source: 'n3', target: 'n2', targetPort: 'continue' });
    expect(r.nodes.find((n) => n.source === 'Loop')?.status).toBe('exact');
    const { out, runs } = await run(w);
    expect(ids(out('Done'))).toEqual([2, 4, 6, 8, 10]);
    expect(runs.filter((x) => x.nodeName === 'Done')).toHaveLength(1);
    expect(runs.filter((x) => x.nodeName === 'Double')).toHaveLength(3);
  });

  it('Wait: time interval and specific time; webhook resume is a placeholder', async () => {
    const wait = (typeVersion: number, parameters: Record<string, unknown>) =>
      one(n8nWorkflow([{ name: 'W', type: `${base}wait`, typeVersion, parameters }], ['Start -> W']));
    expect(wait(1.1, {}).w.nodes[1]?.parameters).toEqual({ mode: 'duration', amount: 1, unit: 'hours' });
    const { w } = wait(1.1, { amount: 0, unit: 'seconds' });
    expect((await run(w)).result.status).toBe('succeeded');
    const { w: until } = wait(1, { resume: 'specificTime', dateTime: '2026-01-01T00:00:00Z' });
    expect((await run(until)).out('W')).toEqual([{}]);
    const { w: parked } = wait(1, { amount: 2, unit: 'minutes' });
    expect((await run(parked)).result.status).toBe('waiting');
    expect(wait(1, { resume: 'webhook' }).r.nodes[1]?.status).toBe('unsupported');
  });

  it('Stop and Error fails the execution with the message; No-op passes items', async () => {
    const { w } = one(
      n8nWorkflow(
        [
          { name: 'Pass', type: `${base}noOp` },
          {
            name: 'Stop',
            type: `${base}stopAndError`,
            parameters: { errorMessage: '=Bad order {{ $json.id ?? "none" }}' },
          },
        ],
        ['Start -> Pass', 'Pass -> Stop'],
      ),
    );
    const { result } = await run(w);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toBe('Bad order none');
  });

  it('Execute Workflow and its trigger, by workflow id, once or per item', () => {
    const { w, r } = one(
      n8nWorkflow(
        [
          {
            name: 'Call',
            type: `${base}executeWorkflow`,
            typeVersion: 1.1,
            parameters: { workflowId: { __rl: true, value: 'abc', mode: 'id' }, mode: 'each' },
          },
          { name: 'Inner', type: `${base}executeWorkflowTrigger`, parameters: {} },
        ],
        ['Start -> Call'],
      ),
    );
    expectValid(w);
    expect(w.nodes[1]).toMatchObject({
      type: 'weft.executeWorkflow',
      parameters: { source: 'id', workflowId: 'abc', mode: 'each' },
    });
    expect(w.nodes[2]?.type).toBe('weft.subWorkflowTrigger');
    expect(r.nodes[1]?.differences[0]).toMatch(/n8n id/);
  });

  it('node settings: retry, continue on error, error output', async () => {
    const { w, r } = one(
      n8nWorkflow(
        [
          {
            name: 'Boom',
            type: `${base}code`,
            typeVersion: 2,
            parameters: { jsCode: 'throw new Error("boom")' },
            onError: 'continueErrorOutput',
            retryOnFail: true,
            maxTries: 2,
            waitBetweenTries: 10,
          },
          { name: 'Ok', type: `${base}noOp` },
          { name: 'Err', type: `${base}noOp` },
        ],
        ['Start -> Boom', 'Boom -> Ok', 'Boom:1 -> Err'],
      ),
    );
    expect(w.nodes[1]).toMatchObject({ onError: 'route', retry: { attempts: 2, baseMs: 10 } });
    expect(r.nodes[1]?.differences.join()).toMatch(/exponentially/);
    delete w.nodes[1]?.retry; // the manual clock would never end the backoff
    const { out } = await run(w);
    expect(out('Err')).toHaveLength(1);
    expect(out('Ok')).toBeUndefined();
  });
});

describe('n8n triggers', () => {
  it('webhook, schedule (every rule kind), cron, interval and error trigger become Weft triggers', () => {
    const trig = (type: string, typeVersion: number, parameters: Record<string, unknown>) =>
      importN8n({
        name: 't',
        nodes: [{ name: 'T', type: `${base}${type}`, typeVersion, parameters }],
        connections: {},
        settings: { timezone: 'Europe/Paris' },
      });
    const params = (type: string, v: number, p: Record<string, unknown>) => {
      const { workflows } = trig(type, v, p);
      expectValid(workflows[0]!);
      return workflows[0]?.nodes[0]?.parameters;
    };
    expect(
      params('webhook', 2, {
        httpMethod: 'POST',
        path: 'orders/:id',
        responseMode: 'responseNode',
        authentication: 'headerAuth',
      }),
    ).toEqual({
      path: 'orders/-id',
      methods: ['POST'],
      responseMode: 'respondNode',
      rawBody: false,
    });
    expect(
      trig('webhook', 2, { path: 'x', authentication: 'headerAuth' }).report.workflows[0]?.credentials[0]?.type,
    ).toBe('weft.webhookHeaderSecret');
    const rule = (interval: Record<string, unknown>) =>
      params('scheduleTrigger', 1.2, { rule: { interval: [interval] } });
    expect(rule({ field: 'minutes', minutesInterval: 15 })).toMatchObject({ mode: 'interval', everyMinutes: 15 });
    expect(rule({ field: 'hours', hoursInterval: 2, triggerAtMinute: 5 })).toMatchObject({
      cron: '5 */2 * * *',
      timezone: 'Europe/Paris',
    });
    expect(rule({})).toMatchObject({ cron: '0 0 */1 * *' });
    expect(rule({ field: 'weeks', triggerAtDay: [1, 5], triggerAtHour: 9 })).toMatchObject({ cron: '0 9 * * 1,5' });
    expect(rule({ field: 'months', triggerAtDayOfMonth: 15, triggerAtHour: 8 })).toMatchObject({
      cron: '0 8 15 */1 *',
    });
    expect(rule({ field: 'cronExpression', expression: '0 30 9 * * 1-5' })).toMatchObject({ cron: '30 9 * * 1-5' });
    expect(
      params('cron', 1, { triggerTimes: { item: [{ mode: 'everyWeek', hour: 8, minute: 30, weekday: 2 }] } }),
    ).toMatchObject({ cron: '30 8 * * 2' });
    expect(params('interval', 1, { interval: 2, unit: 'hours' })).toMatchObject({
      mode: 'interval',
      everyMinutes: 120,
    });
    expect(trig('errorTrigger', 1, {}).report.workflows[0]?.nodes[0]?.status).toBe('differences');
  });

  it('Respond to Webhook answers the webhook with the chosen body', async () => {
    const { workflows } = importN8n({
      name: 'hook',
      nodes: [
        {
          name: 'Hook',
          type: `${base}webhook`,
          typeVersion: 2,
          parameters: { httpMethod: 'POST', path: 'orders', responseMode: 'responseNode' },
        },
        {
          name: 'Reply',
          type: `${base}respondToWebhook`,
          typeVersion: 1.1,
          parameters: {
            respondWith: 'json',
            responseBody: '={{ { "got": $json.body.id } }}',
            options: {
              responseCode: 201,
              responseHeaders: { entries: [{ name: 'X-Id', value: '={{ $json.body.id }}' }] },
            },
          },
        },
      ],
      connections: { Hook: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
    });
    const { result } = await run(workflows[0]!, [
      { method: 'POST', path: 'orders', headers: {}, query: {}, body: { id: 7 } },
    ]);
    expect(result.response).toMatchObject({ status: 201, headers: { 'x-id': '7' } });
    expect(JSON.parse(String((result.response as { body: string }).body))).toEqual({ got: 7 });
  });
});
