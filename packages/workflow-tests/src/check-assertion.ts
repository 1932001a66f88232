import {
  buildExpressionProgram,
  type CodeSandbox,
  type ExecutionResult,
  type ExpressionData,
  getPath,
  type Item,
  isTemplate,
  type JsonValue,
  type NodeRunRecord,
  type PortItems,
  type SandboxLimits,
  templateToExpression,
} from '@weft/engine';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { containsDiff, jsonDiff, pathText, show } from './json-diff.js';
import type { Assertion, AssertionKind } from './test-suite-schema.js';

/** The outcome of one assertion. `diff` lists, one line each, what differs. */
export interface AssertionResult {
  kind: AssertionKind;
  /** What was asserted, in words: `equals on "Tag large" main $[0].tier`. */
  label: string;
  passed: boolean;
  /** Why it failed, in one line. */
  message?: string;
  /** The readable per-assertion diff: one line per difference, with its JSON path. */
  diff?: string[];
  expected?: JsonValue;
  actual?: JsonValue;
}

/** What a case's run left for its assertions to look at. */
export interface CaseOutcome {
  result: ExecutionResult;
  /** Node runs in the order they ran. */
  runs: NodeRunRecord[];
  /** Each node's outputs from its last run, by node name. */
  outputs: Map<string, PortItems>;
  expressionData: Omit<ExpressionData, 'items' | 'runIndex'>;
  sandbox: CodeSandbox;
  sandboxLimits: SandboxLimits;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

function validator(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(schema);
    if (validators.size > 500) validators.clear();
    validators.set(key, v);
  }
  return v;
}

function items(outcome: CaseOutcome, node: string, port = 'main'): Item[] | undefined {
  return outcome.outputs.get(node)?.[port];
}

function subject(
  outcome: CaseOutcome,
  a: { node: string; port?: string | undefined; item?: number | undefined; path?: string | undefined },
): { value: JsonValue | undefined; where: string; missing?: string } {
  const port = a.port ?? 'main';
  const where = `"${a.node}" ${port}${a.item === undefined ? '' : ` item ${a.item}`}${a.path ? ` ${a.path}` : ''}`;
  if (!outcome.outputs.has(a.node)) return { value: undefined, where, missing: `node "${a.node}" did not run` };
  const list = items(outcome, a.node, port) ?? [];
  const read = (it: Item) => (a.path ? getPath(it.json, a.path) : it.json);
  if (a.item === undefined) return { value: list.map((it) => read(it) ?? null), where };
  const it = list[a.item];
  if (!it) return { value: undefined, where, missing: `"${a.node}" output ${list.length} item(s) on ${port}` };
  return { value: read(it), where };
}

const pass = (kind: AssertionKind, label: string): AssertionResult => ({ kind, label, passed: true });
const fail = (kind: AssertionKind, label: string, message: string, extra: Partial<AssertionResult> = {}) => ({
  kind,
  label,
  passed: false,
  message,
  ...extra,
});

/**
 * Checks one assertion against what a case's run produced, with a readable diff when it fails.
 *
 * @example
 * ```ts
 * const r = await checkAssertion({ kind: 'equals', node: 'Tag large', item: 0, path: 'tier', value: 'large' }, outcome);
 * if (!r.passed) console.log(r.label, r.diff?.join('\n'));
 * ```
 */
export async function checkAssertion(a: Assertion, outcome: CaseOutcome): Promise<AssertionResult> {
  switch (a.kind) {
    case 'equals':
    case 'contains':
    case 'schema': {
      const s = subject(outcome, a);
      const label = `${a.kind} on ${s.where}`;
      if (s.missing) return fail(a.kind, label, s.missing);
      if (a.kind === 'schema') return checkSchema(label, a.schema, s.value as JsonValue);
      const expected = a.value as JsonValue;
      const diff =
        a.kind === 'equals' ? jsonDiff(expected, s.value) : containsDiff(expected, s.value as JsonValue | undefined);
      return diff.length
        ? fail(a.kind, label, `${diff.length} difference${diff.length === 1 ? '' : 's'}`, {
            diff,
            expected,
            actual: (s.value ?? null) as JsonValue,
          })
        : pass(a.kind, label);
    }
    case 'itemCount': {
      const label = `itemCount on "${a.node}" ${a.port ?? 'main'}`;
      if (!outcome.outputs.has(a.node)) return fail(a.kind, label, `node "${a.node}" did not run`);
      const n = items(outcome, a.node, a.port)?.length ?? 0;
      const wanted =
        a.count !== undefined
          ? n === a.count
          : (a.min === undefined || n >= a.min) && (a.max === undefined || n <= a.max);
      const range = a.count !== undefined ? `${a.count}` : `between ${a.min ?? 0} and ${a.max ?? '∞'}`;
      return wanted
        ? pass(a.kind, label)
        : fail(a.kind, label, `expected ${range} items, received ${n}`, {
            diff: [`$.length: expected ${range}, received ${n}`],
            actual: n,
          });
    }
    case 'path': {
      const ran = outcome.runs.map((r) => r.nodeName);
      const label = `path ${a.nodes.join(' → ')}`;
      const diff = jsonDiff(a.nodes, ran);
      return diff.length
        ? fail(a.kind, label, `ran ${ran.join(' → ') || 'no node'}`, { diff, expected: a.nodes, actual: ran })
        : pass(a.kind, label);
    }
    case 'route': {
      const label = `route "${a.node}" → ${a.port}`;
      const out = outcome.outputs.get(a.node);
      if (!out) return fail(a.kind, label, `node "${a.node}" did not run`);
      const used = Object.entries(out)
        .filter(([, list]) => list.length > 0)
        .map(([port]) => port);
      return used.length === 1 && used[0] === a.port
        ? pass(a.kind, label)
        : fail(a.kind, label, `items went out on ${used.length ? used.join(', ') : 'no port'}`, {
            diff: [`$.ports: expected ["${a.port}"], received ${show(used)}`],
            expected: [a.port],
            actual: used,
          });
    }
    case 'error':
      return checkError(a, outcome.result);
    case 'expression':
      return checkExpression(a, outcome);
  }
}

function checkSchema(label: string, schema: Record<string, unknown>, value: JsonValue): AssertionResult {
  let validate: ValidateFunction;
  try {
    validate = validator(schema);
  } catch (e) {
    return fail('schema', label, `invalid JSON Schema: ${(e as Error).message}`);
  }
  if (validate(value)) return pass('schema', label);
  const diff = (validate.errors ?? []).map((e) => {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const params = e.keyword === 'additionalProperties' ? ` (${show(e.params.additionalProperty)})` : '';
    return `${pathText(path)}: ${e.message ?? e.keyword}${params}`;
  });
  return fail('schema', label, `does not match the schema (${diff.length} error${diff.length === 1 ? '' : 's'})`, {
    diff,
    actual: value,
  });
}

function checkError(a: Extract<Assertion, { kind: 'error' }>, result: ExecutionResult): AssertionResult {
  const label = `error${a.node ? ` at "${a.node}"` : ''}${a.code ? ` ${a.code}` : ''}${a.message ? ` "${a.message}"` : ''}`;
  const err = result.error;
  if (result.status !== 'failed' || !err)
    return fail('error', label, `the execution ${result.status} instead of failing`, {
      diff: [`$.status: expected "failed", received ${show(result.status)}`],
    });
  const diff: string[] = [];
  if (a.node && err.nodeName !== a.node)
    diff.push(`$.node: expected ${show(a.node)}, received ${show(err.nodeName ?? null)}`);
  if (a.code && err.code !== a.code) diff.push(`$.code: expected ${show(a.code)}, received ${show(err.code)}`);
  if (a.message && !err.message.includes(a.message))
    diff.push(`$.message: ${show(err.message)} does not contain ${show(a.message)}`);
  return diff.length
    ? fail('error', label, 'the execution failed differently', {
        diff,
        actual: { node: err.nodeName ?? null, code: err.code, message: err.message },
      })
    : pass('error', label);
}

async function checkExpression(
  a: Extract<Assertion, { kind: 'expression' }>,
  outcome: CaseOutcome,
): Promise<AssertionResult> {
  const label = `expression on "${a.node}": ${a.expression}`;
  if (!outcome.outputs.has(a.node)) return fail('expression', label, `node "${a.node}" did not run`);
  const list = items(outcome, a.node, a.port) ?? [];
  const source = isTemplate(a.expression) ? templateToExpression(a.expression) : a.expression;
  let values: JsonValue[][];
  try {
    values = await outcome.sandbox.evaluate({
      program: buildExpressionProgram([source]),
      data: { ...outcome.expressionData, items: list, runIndex: 0 },
      itemCount: list.length,
      limits: outcome.sandboxLimits,
      label: `assertion on "${a.node}"`,
    });
  } catch (e) {
    return fail('expression', label, `the expression threw: ${(e as Error).message}`);
  }
  const diff = values.flatMap((row, i) =>
    row[0] ? [] : [`$[${i}]: ${show(row[0])} for $json = ${show(list[i]?.json ?? {})}`],
  );
  return diff.length
    ? fail('expression', label, `not true for ${diff.length} of ${values.length} item(s)`, { diff })
    : pass('expression', label);
}
