import { describe, expect, it } from 'vitest';
import { expectValid, run } from '../import.test-support.js';
import { importNodeRed } from './import-node-red.js';

const tab = { id: 'tab1', type: 'tab', label: 'Orders', disabled: false, info: '' };
const inject = (wires: string[][], extra: Record<string, unknown> = {}) => ({
  id: 'inj',
  type: 'inject',
  z: 'tab1',
  name: 'Go',
  props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
  repeat: '',
  crontab: '',
  once: false,
  topic: 'orders',
  payload: '[3,1,2]',
  payloadType: 'json',
  x: 100,
  y: 100,
  wires,
  ...extra,
});

describe('importNodeRed', () => {
  it('function with two outputs, msg in/out and node.warn routes messages like Node-RED', async () => {
    const flows = [
      tab,
      inject([['split']]),
      {
        id: 'split',
        type: 'split',
        z: 'tab1',
        name: '',
        splt: '\\n',
        spltType: 'str',
        arraySplt: 1,
        arraySpltType: 'len',
        stream: false,
        addname: '',
        x: 200,
        y: 100,
        wires: [['fn']],
      },
      {
        id: 'fn',
        type: 'function',
        z: 'tab1',
        name: 'Odd or even',
        func: 'node.warn("got " + msg.payload);\nmsg.kind = msg.payload % 2 ? "odd" : "even";\nreturn msg.payload % 2 ? [msg, null] : [null, msg];',
        outputs: 2,
        x: 300,
        y: 100,
        wires: [['odd'], ['even']],
      },
      { id: 'odd', type: 'debug', z: 'tab1', name: 'Odd', x: 400, y: 50, wires: [] },
      { id: 'even', type: 'debug', z: 'tab1', name: 'Even', x: 400, y: 150, wires: [] },
    ];
    const { workflows, report } = importNodeRed(JSON.stringify(flows));
    expect(workflows).toHaveLength(1);
    const w = workflows[0]!;
    expectValid(w);
    const { out } = await run(w);
    expect(out('Odd')?.map((m) => [m.payload, m.kind, m.topic])).toEqual([
      [3, 'odd', 'orders'],
      [1, 'odd', 'orders'],
    ]);
    expect(out('Even')?.map((m) => [m.payload, m.kind])).toEqual([[2, 'even']]);
    expect(out('Odd')?.[0]).not.toHaveProperty('_weftOutput');
    expect(report.workflows[0]?.nodes.find((n) => n.source === 'Odd or even')?.status).toBe('differences');
  });
});

const wire = (id: string, type: string, wires: string[][], extra: Record<string, unknown> = {}) => ({
  id,
  type,
  z: 'tab1',
  name: id,
  x: 0,
  y: 0,
  wires,
  ...extra,
});
const flow = (...nodes: Record<string, unknown>[]) => {
  const { workflows, report } = importNodeRed([tab, ...nodes]);
  return { w: workflows[0]!, r: report.workflows[0]!, report };
};
const payloads = (list: Record<string, unknown>[] | undefined) => (list ?? []).map((m) => m.payload);

describe('importNodeRed: each core node', () => {
  it('inject: typed payload and topic; repeat and cron become schedules', async () => {
    const mk = (payload: string, payloadType: string, extra: Record<string, unknown> = {}) =>
      flow(inject([['out']], { payload, payloadType, ...extra }), wire('out', 'debug', []));
    const cases: [string, string, unknown][] = [
      ['42', 'num', 42],
      ['hi', 'str', 'hi'],
      ['true', 'bool', true],
      ['{"a":[1]}', 'json', { a: [1] }],
      ['', 'date', Date.UTC(2026, 0, 15, 10, 30)],
    ];
    for (const [payload, type, expected] of cases) {
      const { out } = await run(mk(payload, type).w);
      expect(out('out'), type).toEqual([{ payload: expected, topic: 'orders' }]);
    }
    expect(mk('1', 'num', { repeat: '300' }).w.nodes[0]?.parameters).toMatchObject({
      mode: 'interval',
      everyMinutes: 5,
    });
    expect(mk('1', 'num', { crontab: '00 12 * * 1' }).w.nodes[0]?.parameters).toMatchObject({
      mode: 'cron',
      cron: '00 12 * * 1',
    });
    expect(mk('1', 'flow').r.nodes[0]?.status).toBe('unsupported');
  });

  it('http in, function and http response answer the request', async () => {
    const { w } = flow(
      wire('in', 'http in', [['fn']], { url: '/orders', method: 'post' }),
      wire('fn', 'function', [['res']], {
        func: 'msg.payload = { total: msg.payload.qty * 2, ua: msg.req.headers["user-agent"] };\nreturn msg;',
        outputs: 1,
      }),
      wire('res', 'http response', [], { statusCode: '201', headers: { 'x-a': 'b' } }),
    );
    expect(w.nodes[0]).toMatchObject({
      type: 'weft.webhook',
      parameters: { path: 'orders', methods: ['POST'], responseMode: 'respondNode' },
    });
    const { result } = await run(w, [
      { method: 'POST', path: 'orders', headers: { 'user-agent': 'curl' }, query: {}, body: { qty: 4 } },
    ]);
    expect(result.response).toMatchObject({ status: 201, headers: { 'x-a': 'b' } });
    expect(JSON.parse((result.response as { body: string }).body)).toEqual({ total: 8, ua: 'curl' });
  });

  it('switch: rules on a msg property, first match or all matches, otherwise', async () => {
    const rules = [
      { t: 'eq', v: 'a', vt: 'str' },
      { t: 'btwn', v: '10', vt: 'num', v2: '20', v2t: 'num' },
      { t: 'regex', v: '^X', vt: 'str', case: true },
      { t: 'empty' },
      { t: 'istype', v: 'array', vt: 'array' },
      { t: 'else' },
    ];
    const outs = rules.map((_, k) => `o${k}`);
    const { w } = flow(
      wire('data', 'function', [['sw']], {
        func: 'return [["a", 15, "xy", "", [1], null].map((payload) => ({ payload }))];',
        outputs: 1,
      }),
      wire(
        'sw',
        'switch',
        [outs.map((o) => o).map((o) => o)].flatMap(() => outs.map((o) => [o])),
        { property: 'payload', propertyType: 'msg', rules, checkall: 'false', outputs: rules.length },
      ),
      ...outs.map((o) => wire(o, 'debug', [])),
    );
    const { out } = await run(w);
    expect(outs.map((o) => payloads(out(o)))).toEqual([['a'], [15], ['xy'], [''], [[1]], [null]]);
  });

  it('change: set, change (text and regex), delete and move', async () => {
    const { w } = flow(
      wire('data', 'function', [['ch']], {
        func: 'return { payload: "a-b-a", topic: "t", old: 1, n: 5 };',
        outputs: 1,
      }),
      wire('ch', 'change', [['out']], {
        rules: [
          { t: 'change', p: 'payload', pt: 'msg', from: 'a', fromt: 'str', to: 'X', tot: 'str' },
          { t: 'change', p: 'topic', pt: 'msg', from: '^t$', fromt: 're', to: 'T', tot: 'str' },
          { t: 'set', p: 'meta.count', pt: 'msg', to: 'n', tot: 'msg' },
          { t: 'set', p: 'flag', pt: 'msg', to: 'true', tot: 'bool' },
          { t: 'delete', p: 'n', pt: 'msg' },
          { t: 'move', p: 'old', pt: 'msg', to: 'renamed', tot: 'msg' },
        ],
      }),
      wire('out', 'debug', []),
    );
    expect((await run(w)).out('out')).toEqual([
      { payload: 'X-b-X', topic: 'T', meta: { count: 5 }, flag: true, renamed: 1 },
    ]);
  });

  it('template: mustache with HTML escaping, triple braces and JSON output', async () => {
    const { w } = flow(
      wire('data', 'function', [['tpl']], {
        func: 'return { payload: { name: "Tom & Jerry", raw: "<b>" } };',
        outputs: 1,
      }),
      wire('tpl', 'template', [['json']], {
        field: 'text',
        fieldType: 'msg',
        syntax: 'mustache',
        template: 'Hi {{payload.name}} {{{payload.raw}}}! "\'/=`',
        output: 'str',
      }),
      wire('json', 'template', [['out']], {
        field: 'obj',
        syntax: 'mustache',
        template: '{"n": "{{{payload.name}}}"}',
        output: 'json',
      }),
      wire('out', 'debug', []),
    );
    expect((await run(w)).out('out')).toEqual([
      {
        payload: { name: 'Tom & Jerry', raw: '<b>' },
        text: 'Hi Tom &amp; Jerry <b>! "\'/=`',
        obj: { n: 'Tom & Jerry' },
      },
    ]);
    expect(flow(wire('t', 'template', [], { template: '{{#items}}x{{/items}}' })).r.nodes[0]?.status).toBe(
      'unsupported',
    );
  });

  it('delay, split and join', async () => {
    const { w } = flow(
      inject([['split']], { payload: '[1,2,3]' }),
      wire('split', 'split', [['delay']], { splt: '\\n', arraySplt: 1 }),
      wire('delay', 'delay', [['double']], { pauseType: 'delay', timeout: '0', timeoutUnits: 'seconds' }),
      wire('double', 'change', [['join']], { rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '[0]', tot: 'json' }] }),
      wire('join', 'join', [['out']], { mode: 'auto' }),
      wire('out', 'debug', []),
    );
    expect((await run(w)).out('out')?.map((m) => [m.payload, m.topic])).toEqual([[[[0], [0], [0]], 'orders']]);
    const strings = flow(
      inject([['split']], { payload: 'a\nb\nc', payloadType: 'str' }),
      wire('split', 'split', [['join']], {}),
      wire('join', 'join', [['out']], { mode: 'custom', build: 'array', count: '2' }),
      wire('out', 'debug', []),
    );
    expect(payloads((await run(strings.w)).out('out'))).toEqual([['a', 'b'], ['c']]);
    expect(
      flow(wire('d', 'delay', [], { pauseType: 'delay', timeout: '2', timeoutUnits: 'minutes' })).w.nodes[0]
        ?.parameters,
    ).toEqual({ mode: 'duration', amount: 120, unit: 'seconds' });
    expect(flow(wire('d', 'delay', [], { pauseType: 'rate' })).r.nodes[0]?.differences[0]).toMatch(/rate limiting/);
  });

  it('link out/in within a tab, links to other tabs, comments, disabled nodes, unknown types', async () => {
    const flows = [
      tab,
      { id: 'tab2', type: 'tab', label: 'Other' },
      { id: 'cfg', type: 'mqtt-broker', name: 'broker' },
      { id: 'sf', type: 'subflow', name: 'Helper' },
      inject([['lo']]),
      wire('lo', 'link out', [], { links: ['li', 'far'] }),
      wire('li', 'link in', [['out']], {}),
      wire('out', 'debug', [], { d: true }),
      wire('c', 'comment', [], { name: 'Read me', info: 'details' }),
      wire('m', 'mqtt in', [[]], {}),
      wire('s', 'subflow:sf', [[]], {}),
      { id: 'far', type: 'link in', z: 'tab2', name: 'far', x: 0, y: 0, wires: [[]] },
    ];
    const { workflows, report } = importNodeRed(flows);
    expect(workflows.map((w) => w.name)).toEqual(['Orders', 'Other']);
    const w = workflows[0]!;
    expect(w.notes).toEqual([{ id: 'c', text: 'Read me\n\ndetails', position: [0, 0] }]);
    expect(w.nodes.find((n) => n.name === 'out')?.disabled).toBe(true);
    const r = report.workflows[0]!;
    expect(r.nodes.find((n) => n.source === 'lo')?.differences[0]).toMatch(/another flow/);
    expect(r.nodes.filter((n) => n.status === 'unsupported').map((n) => n.source)).toEqual(['m', 's']);
    expect(r.notes.join('\n')).toMatch(/subflow definitions not imported: Helper[\s\S]*mqtt-broker cfg/);
    expect((await run(w)).out('out')).toEqual([{ payload: [3, 1, 2], topic: 'orders' }]);
  });

  it('refuses input that is not a flows.json, naming where', () => {
    expect(() => importNodeRed('{"nodes": 1}')).toThrow(/expected a Node-RED flows.json/);
    expect(() => importNodeRed([{ id: 'a', type: 'tab' }, { id: 3 }])).toThrow(
      '/1: expected a node with a string id and type',
    );
  });
});
