import type { Item } from '../model/item.js';
import type { JsonObject, JsonValue } from '../model/json.js';

/**
 * Everything an expression or code node may read. It is copied into the sandbox as JSON; nothing
 * else from the host is reachable there.
 */
export interface ExpressionData {
  /** Items on the node's main input: `$json` is `items[i].json`, `$input.all()` is `items`. */
  items: Item[];
  /** Main-output items of the nodes the code refers to with `$("Node name")`. */
  nodes: Record<string, Item[]>;
  execution: { id: string; mode: string; resumeUrl?: string };
  workflow: { id: string; name: string };
  /** Allow-listed environment variables (`$env`). */
  env: Record<string, string>;
  /** Epoch ms of `$now`. */
  now: number;
  /** Loop iteration (`$runIndex`). */
  runIndex: number;
  vars?: JsonObject;
}

/** Resource limits applied to every sandbox call. Both are always enforced. */
export interface SandboxLimits {
  timeoutMs: number;
  memoryMb: number;
}

/**
 * Evaluate compiled expressions once per item (or once with `$json = {}` when `itemCount` is 0).
 * The `program` comes from {@link buildExpressionProgram}; its `key` identifies it for caching.
 */
export interface EvaluateRequest {
  program: { key: string; source: string };
  data: ExpressionData;
  itemCount: number;
  limits: SandboxLimits;
  /** Who is asking, for error messages (node name). */
  label: string;
}

/** A code node run. The `program` comes from {@link buildCodeProgram}. */
export interface RunCodeRequest {
  program: { key: string; source: string };
  data: ExpressionData;
  limits: SandboxLimits;
  label: string;
}

/** Items and console output of a code node run. */
export interface RunCodeResult {
  items: Item[];
  logs: string[];
}

/**
 * Where every expression and every line of user code runs. The engine never evaluates user code
 * itself: it builds programs ({@link buildExpressionProgram}, {@link buildCodeProgram}) over
 * the runtime in {@link EXPRESSION_RUNTIME_SOURCE} and hands them here.
 *
 * Implementations must enforce both limits on every call, copy only JSON across the boundary, and
 * throw {@link SandboxError} for failures in user code.
 *
 * @example
 * ```ts
 * const sandbox: CodeSandbox = new IsolateSandbox({ size: 2 }); // from @weft/sandbox
 * const values = await sandbox.evaluate({ program: buildExpressionProgram(['$json.a + 1']), data, itemCount: 1, limits, label: 'Set' });
 * // values[0][0] === data.items[0].json.a + 1
 * ```
 */
export interface CodeSandbox {
  /** Values per item, per expression: `values[item][slot]`. */
  evaluate(request: EvaluateRequest): Promise<JsonValue[][]>;
  runCode(request: RunCodeRequest): Promise<RunCodeResult>;
  /** Pool statistics, for metrics. */
  stats?(): { size: number; busy: number; created: number; disposed: number };
  close(): Promise<void>;
}

/** Why a sandbox call failed. */
export type SandboxErrorKind = 'error' | 'syntax' | 'timeout' | 'memory' | 'output';

/**
 * A failure inside the sandbox, with the item and expression slot it came from when known.
 *
 * @example
 * ```ts
 * throw new SandboxError('timeout', 'Code in "Compute" exceeded its 1000 ms timeout');
 * ```
 */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  constructor(
    readonly kind: SandboxErrorKind,
    message: string,
    readonly where: { itemIndex?: number; slot?: number } = {},
  ) {
    super(message);
  }
}
