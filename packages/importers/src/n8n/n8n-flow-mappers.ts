import { type Mapping, type PortRef, single, unsupported } from '../mapped-node.js';
import { conditionsV1, conditionsV2, type WeftCondition } from './n8n-conditions.js';
import { mergeMapper } from './n8n-merge-mapper.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { scheduleMapper } from './n8n-schedule.js';
import { composed, isN8nExpression, n8nValue } from './n8n-values.js';

type Params = Record<string, unknown>;

const ifMapper: N8nMapper = (p, v) => {
  const { conditions, combine } =
    v >= 2
      ? conditionsV2(p.conditions as Params, optionsOf(p).ignoreCase === true)
      : { conditions: conditionsV1(p.conditions as Params), combine: p.combineOperation === 'any' ? 'any' : 'all' };
  return single('weft.if', { conditions, combine }, { outputs: ['true', 'false'] });
};

const filterMapper: N8nMapper = (p, v) => {
  const { conditions, combine } =
    v >= 2
      ? conditionsV2(p.conditions as Params, optionsOf(p).ignoreCase === true)
      : { conditions: conditionsV1(p.conditions as Params), combine: p.combineConditions === 'OR' ? 'any' : 'all' };
  return single('weft.filter', { conditions, combine });
};

function switchV1(p: Params, v: number, outputCount: number): Mapping {
  if (p.mode === 'expression') {
    const outputs = Math.max(Number(p.outputsAmount ?? 4), outputCount, 1);
    return single(
      'weft.switch',
      { mode: 'expression', output: n8nValue(p.output), outputs },
      { outputs: Array.from({ length: outputs }, (_, i) => `route${i}`) },
    );
  }
  const type = String(p.dataType ?? 'number');
  const rules = ((p.rules as Params | undefined)?.rules as Params[] | undefined) ?? [];
  const order: number[] = [];
  const byOutput = new Map<number, WeftCondition[]>();
  for (const r of rules) {
    const o = Number(r.output ?? 0);
    if (!byOutput.has(o)) order.push(o);
    const defaults: Record<string, string> = { string: 'equal', number: 'equal', boolean: 'equal', dateTime: 'after' };
    const cond = conditionsV1({
      [type]: [{ value1: p.value1, operation: r.operation ?? defaults[type], value2: r.value2 }],
    });
    byOutput.set(o, [...(byOutput.get(o) ?? []), ...cond]);
  }
  const fallback = Number(p.fallbackOutput ?? -1);
  const routes = order.map((o) => ({ conditions: byOutput.get(o), combine: 'any' }));
  const outputs: (PortRef | PortRef[])[] = Array.from({ length: Math.max(outputCount, 4) }, (_, o) => {
    const k = order.indexOf(o);
    const refs: PortRef[] = k >= 0 ? [{ key: '', port: `route${k}` }] : [];
    if (o === fallback) refs.push({ key: '', port: 'fallback' });
    return refs;
  });
  const m = single('weft.switch', { mode: 'rules', routes, fallback: fallback >= 0 }, {});
  m.outputs = outputs;
  if (v < 3 && rules.length > 1)
    m.differences.push('rules sending to the same output are one route whose rules are OR-ed');
  m.status = m.differences.length ? 'differences' : 'exact';
  return m;
}

const switchMapper: N8nMapper = (p, v, _node, ctx) => {
  if (v < 3) return switchV1(p, v, ctx.outputCount);
  const opts = optionsOf(p);
  if (p.mode === 'expression') {
    const outputs = Math.max(Number(p.numberOutputs ?? 4), ctx.outputCount, 1);
    return single(
      'weft.switch',
      { mode: 'expression', output: n8nValue(p.output), outputs },
      { outputs: Array.from({ length: outputs }, (_, i) => `route${i}`) },
    );
  }
  const values = ((p.rules as Params | undefined)?.values as Params[] | undefined) ?? [];
  const routes = values.map((r) => conditionsV2(r.conditions as Params, opts.ignoreCase === true));
  const fb = opts.fallbackOutput ?? 'none';
  const outputs: (PortRef | PortRef[])[] = routes.map((_, k) => [{ key: '', port: `route${k}` }]);
  if (fb === 'extra') outputs.push({ key: '', port: 'fallback' });
  else if (typeof fb === 'number' && outputs[fb]) (outputs[fb] as PortRef[]).push({ key: '', port: 'fallback' });
  const m = single('weft.switch', {
    mode: 'rules',
    routes,
    allMatches: opts.allMatchingOutputs === true,
    fallback: fb !== 'none',
  });
  m.outputs = outputs;
  if (values.some((r) => r.renameOutput))
    m.differences.push('output names are route0, route1, … (renamed outputs are in the notes)');
  m.status = m.differences.length ? 'differences' : 'exact';
  return m;
};

const loopMapper: N8nMapper = (p, v) => {
  const batchSize = Number(p.batchSize ?? (v >= 3 ? 1 : 10));
  const diffs: string[] = [];
  if (optionsOf(p).reset)
    diffs.push('the "reset" option is not available: each run of the loop starts from the items it received');
  if (v < 3) {
    diffs.push('v1/v2 loops end with an IF on noItemsLeft; Weft emits every processed item on "done" instead');
    return single('weft.loop', { batchSize }, { outputs: ['loop'], differences: diffs });
  }
  return single('weft.loop', { batchSize }, { outputs: ['done', 'loop'], differences: diffs });
};

const waitMapper: N8nMapper = (p) => {
  const resume = String(p.resume ?? 'timeInterval');
  if (resume === 'timeInterval') {
    return single('weft.wait', { mode: 'duration', amount: n8nValue(p.amount ?? 1), unit: p.unit ?? 'hours' });
  }
  if (resume === 'specificTime') return single('weft.wait', { mode: 'until', until: n8nValue(p.dateTime ?? '') });
  return unsupported(`Wait "${resume}" (resume by ${resume}) has no Weft equivalent`);
};

const executeWorkflowMapper: N8nMapper = (p) => {
  const source = String(p.source ?? 'database');
  if (source !== 'database') return unsupported(`Execute Workflow from "${source}" has no Weft equivalent`);
  const diffs = ['the workflow id is the n8n id: import that workflow keeping its id'];
  if (optionsOf(p).waitForSubWorkflow === false) diffs.push('Weft always waits for the sub-workflow');
  return single(
    'weft.executeWorkflow',
    { source: 'id', workflowId: n8nValue(p.workflowId ?? ''), mode: p.mode === 'each' ? 'each' : 'once' },
    { differences: diffs },
  );
};

const respondMapper: N8nMapper = (p) => {
  const respondWith = String(p.respondWith ?? 'firstIncomingItem');
  const opts = optionsOf(p);
  const entries = ((opts.responseHeaders as Params | undefined)?.entries as Params[] | undefined) ?? [];
  const common = {
    statusCode: n8nValue(opts.responseCode ?? 200),
    headers: entries.map((e) => ({
      name: e.name,
      value: isN8nExpression(e.value) ? composed((js) => `String(${js} ?? '')`, e.value) : String(e.value ?? ''),
    })),
  };
  const map: Record<string, Params> = {
    firstIncomingItem: { respondWith: 'firstItem' },
    allIncomingItems: { respondWith: 'allItems' },
    json: {
      respondWith: 'json',
      body: composed((js) => `((v) => (typeof v === 'string' ? v : JSON.stringify(v)))(${js})`, p.responseBody ?? '{}'),
    },
    text: { respondWith: 'text', body: n8nValue(p.responseBody ?? '') },
    noData: { respondWith: 'noData' },
  };
  const chosen = map[respondWith];
  if (!chosen) return unsupported(`Respond to Webhook with "${respondWith}" has no Weft equivalent`);
  return single('weft.respondToWebhook', { ...chosen, ...common });
};

const stopMapper: N8nMapper = (p) => {
  if (p.errorType === 'errorObject') {
    return single(
      'weft.stopAndError',
      { message: n8nValue(p.errorObject ?? '') },
      { differences: ['the error object becomes the message text'] },
    );
  }
  return single('weft.stopAndError', { message: n8nValue(p.errorMessage ?? '') });
};

const webhookMapper: N8nMapper = (p) => {
  const diffs = ['the item holds method, path, headers, query and body (no params or webhookUrl)'];
  const raw = String(p.path ?? '');
  const path = raw.replace(/[^a-zA-Z0-9/_-]/g, '-').replace(/^\/+/, '') || 'imported';
  if (path !== raw) diffs.push(`path "${raw}" became "${path}" (Weft paths hold letters, digits, / _ -; no :params)`);
  const responseMode = { onReceived: 'immediately', lastNode: 'lastNode', responseNode: 'respondNode' }[
    String(p.responseMode ?? 'onReceived')
  ];
  if (responseMode === 'immediately')
    diffs.push('an immediate answer is 202 with the execution id, not 200 "Workflow was started"');
  const methods = Array.isArray(p.httpMethod) ? p.httpMethod : [p.httpMethod ?? 'GET'];
  const auth = { basicAuth: 'weft.webhookBasic', headerAuth: 'weft.webhookHeaderSecret' }[
    String(p.authentication ?? 'none')
  ];
  if (p.authentication && p.authentication !== 'none' && !auth)
    return unsupported(`webhook authentication "${p.authentication}"`);
  return single(
    'weft.webhook',
    { path, methods, responseMode, rawBody: optionsOf(p).rawBody === true },
    { differences: diffs, ...(auth ? { credentialType: auth } : {}) },
  );
};

/** Mappers of n8n's trigger and flow nodes, by n8n type name. */
export const flowMappers: Record<string, N8nMapper> = {
  'n8n-nodes-base.manualTrigger': () => single('weft.manualTrigger', {}),
  'n8n-nodes-base.start': () => single('weft.manualTrigger', {}),
  'n8n-nodes-base.executeWorkflowTrigger': () => single('weft.subWorkflowTrigger', {}),
  'n8n-nodes-base.errorTrigger': () =>
    single(
      'weft.manualTrigger',
      {},
      { differences: ["started by hand: set this workflow as another workflow's errorWorkflow"] },
    ),
  'n8n-nodes-base.webhook': webhookMapper,
  'n8n-nodes-base.scheduleTrigger': scheduleMapper,
  'n8n-nodes-base.cron': scheduleMapper,
  'n8n-nodes-base.interval': scheduleMapper,
  'n8n-nodes-base.if': ifMapper,
  'n8n-nodes-base.filter': filterMapper,
  'n8n-nodes-base.switch': switchMapper,
  'n8n-nodes-base.merge': mergeMapper,
  'n8n-nodes-base.splitInBatches': loopMapper,
  'n8n-nodes-base.wait': waitMapper,
  'n8n-nodes-base.executeWorkflow': executeWorkflowMapper,
  'n8n-nodes-base.respondToWebhook': respondMapper,
  'n8n-nodes-base.stopAndError': stopMapper,
  'n8n-nodes-base.noOp': () => single('weft.noOp', {}),
};
