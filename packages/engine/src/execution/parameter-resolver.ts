import { type JsonPath, NOT_PLAIN, readJsonPath } from '../expressions/json-path.js';
import type { SandboxProgram } from '../expressions/programs.js';
import type { Item } from '../model/item.js';
import { type CodeSandbox, type ExpressionData, SandboxError, type SandboxLimits } from '../ports/code-sandbox.js';
import type { CompiledNode } from './compiled-workflow.js';
import { EngineError, type EngineErrorCode } from './engine-error.js';

/** Parameters of one node run: evaluated once (first item) and per item. */
export interface ResolvedParameters {
  params: Record<string, unknown>;
  itemParams: Record<string, unknown>[];
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function assign(root: Record<string, unknown>, path: (string | number)[], value: unknown, copied: Set<object>) {
  let cur: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    let child = cur[key] as Record<string | number, unknown>;
    if (!copied.has(child)) {
      child = (Array.isArray(child) ? [...child] : { ...child }) as Record<string | number, unknown>;
      copied.add(child);
      cur[key] = child;
    }
    cur = child;
  }
  cur[path[path.length - 1] as string | number] = value;
}

function coerce(node: CompiledNode, name: string, value: unknown): unknown {
  const spec = node.type.parameters[name];
  if (!spec) return value;
  if (spec.kind === 'number' && typeof value !== 'number') {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (Number.isNaN(n)) {
      throw new EngineError(
        'EXPRESSION_ERROR',
        `Parameter "${name}" of node "${node.node.name}" must be a number, but its expression gave ${JSON.stringify(value)}`,
        { parameter: name },
      );
    }
    return n;
  }
  if (spec.kind === 'boolean' && typeof value !== 'boolean') {
    if (value === 'true' || value === 'false') return value === 'true';
    throw new EngineError(
      'EXPRESSION_ERROR',
      `Parameter "${name}" of node "${node.node.name}" must be true or false, but its expression gave ${JSON.stringify(value)}`,
      { parameter: name },
    );
  }
  return value;
}

/**
 * Evaluates a node's parameter expressions for every main input item in one sandbox call.
 * Parameters without expressions are shared, not copied. Answers synchronously when no sandbox
 * call is needed (no expressions, or only plain `$json` paths): most nodes of a small flow, where
 * an async function would add two promises per node run.
 */
export function resolveParameters(
  node: CompiledNode,
  items: Item[],
  sandbox: CodeSandbox,
  limits: SandboxLimits,
  data: () => ExpressionData,
): ResolvedParameters | Promise<ResolvedParameters> {
  if (!node.program) {
    return { params: node.params, itemParams: items.length ? new Array(items.length).fill(node.params) : [] };
  }
  const plain = node.jsonPaths && items.length > 0 ? readPlain(node.jsonPaths, items) : undefined;
  if (plain) return withValues(node, items, plain);
  return evaluateParameters(node, node.program, items, sandbox, limits, data);
}

async function evaluateParameters(
  node: CompiledNode,
  program: SandboxProgram,
  items: Item[],
  sandbox: CodeSandbox,
  limits: SandboxLimits,
  data: () => ExpressionData,
): Promise<ResolvedParameters> {
  let values: unknown[][];
  try {
    values = await sandbox.evaluate({
      program,
      data: data(),
      itemCount: items.length,
      limits,
      label: node.node.name,
    });
  } catch (e) {
    throw toEngineError(e, node);
  }
  return withValues(node, items, values);
}

/** The node's parameters with each item's expression values put in. */
function withValues(node: CompiledNode, items: Item[], values: unknown[][]): ResolvedParameters {
  const rows = values.map((row) => {
    const copied = new Set<object>();
    const out = { ...node.params };
    node.expressions.forEach((expr, k) => {
      const value = expr.path.length === 1 ? coerce(node, expr.path[0] as string, row[k]) : row[k];
      assign(out, expr.path, value, copied);
    });
    return out;
  });
  return { params: rows[0] ?? node.params, itemParams: items.length ? rows : [] };
}

/** Every item's values of plain `$json` paths, or undefined when one needs the sandbox. */
function readPlain(paths: JsonPath[], items: Item[]): unknown[][] | undefined {
  const rows: unknown[][] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const row: unknown[] = new Array(paths.length);
    for (let k = 0; k < paths.length; k++) {
      const v = readJsonPath((items[i] as Item).json, paths[k] as JsonPath);
      if (v === NOT_PLAIN) return undefined;
      row[k] = v;
    }
    rows[i] = row;
  }
  return rows;
}

/** Maps a sandbox failure to the engine error a user sees, naming the node and the parameter. */
export function toEngineError(e: unknown, node: CompiledNode): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof SandboxError) {
    if (e.kind === 'timeout') return new EngineError('SANDBOX_TIMEOUT', e.message, { node: node.node.name });
    if (e.kind === 'memory') return new EngineError('SANDBOX_MEMORY', e.message, { node: node.node.name });
    const expr = e.where.slot === undefined ? undefined : node.expressions[e.where.slot];
    const where = expr ? ` in parameter "${pathText(expr.path)}"` : '';
    return new EngineError('EXPRESSION_ERROR', `Expression error${where} of node "${node.node.name}": ${e.message}`, {
      ...(expr ? { parameter: pathText(expr.path) } : {}),
      ...(e.where.itemIndex === undefined ? {} : { itemIndex: e.where.itemIndex }),
    });
  }
  // Errors may carry their own stable code (e.g. CREDENTIAL_BROKEN from a connector).
  const code = (e as { code?: unknown } | null)?.code;
  const ownCode =
    typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,40}$/.test(code) ? (code as EngineErrorCode) : 'NODE_ERROR';
  return new EngineError(ownCode, e instanceof Error ? e.message : String(e));
}
