import {
  type AnyNodeType,
  type ExecutionMode,
  InterpreterSandbox,
  type Item,
  type JsonValue,
  type NodeContext,
  type NodeResult,
  type ResolvedCredential,
  silentLogger,
  systemClock,
} from '@weft/engine';

/** Options for {@link runNode}. */
export interface RunNodeOptions {
  params?: Record<string, unknown>;
  itemParams?: Record<string, unknown>[];
  items?: Item[];
  credential?: ResolvedCredential;
  mode?: ExecutionMode;
  workspaceId?: string;
  /** Receives what the node reports through `ctx.progress`. */
  onProgress?: (data: JsonValue) => void;
  signal?: AbortSignal;
}

/**
 * Runs a node type's `execute` with a hand-built NodeContext, as the executor would (parameters
 * already evaluated). For tests of connector node types without the whole engine.
 *
 * @example
 * ```ts
 * const result = await runNode(nodeType, { params: { url }, items: [{ json: {} }] });
 * ```
 */
export async function runNode(nodeType: AnyNodeType, options: RunNodeOptions = {}): Promise<Item[]> {
  const items = options.items ?? [];
  const params = options.params ?? {};
  const ctx: NodeContext = {
    node: {
      id: 'n1',
      name: 'Node 1',
      type: nodeType.type,
      typeVersion: nodeType.version,
      parameters: params,
      ...(options.credential ? { credentials: { auth: options.credential.id } } : {}),
    },
    workflow: { id: 'wf1', name: 'Test', nodes: [], connections: [] },
    execution: { id: 'ex1', workspaceId: options.workspaceId ?? 'ws1', mode: options.mode ?? 'trigger', depth: 0 },
    inputs: { main: items },
    params,
    itemParams: options.itemParams ?? items.map(() => params),
    runIndex: 0,
    state: undefined,
    resumed: undefined,
    signal: options.signal ?? new AbortController().signal,
    clock: systemClock,
    logger: silentLogger,
    sandbox: new InterpreterSandbox(),
    sandboxLimits: { timeoutMs: 1000, memoryMb: 32 },
    blobs: undefined,
    respond: () => {},
    progress: options.onProgress ?? (() => {}),
    expressionData: () => {
      throw new Error('expressionData is not available in runNode');
    },
    credential: async (slot) => {
      if (!options.credential) throw new Error(`No credential for slot ${slot}`);
      return options.credential;
    },
    executeWorkflow: async () => [],
  } as NodeContext;
  const result: NodeResult = await nodeType.execute(ctx as never);
  if (!('outputs' in result)) throw new Error('Node asked to wait');
  return result.outputs.main ?? [];
}
