import type { Mapping } from '../mapped-node.js';

/** A node as n8n exports it. */
export interface N8nNode {
  id?: string;
  name: string;
  type: string;
  typeVersion?: number;
  position?: [number, number];
  parameters?: Record<string, unknown>;
  credentials?: Record<string, { id?: string; name?: string }>;
  disabled?: boolean;
  notes?: string;
  retryOnFail?: boolean;
  maxTries?: number;
  waitBetweenTries?: number;
  continueOnFail?: boolean;
  onError?: string;
  alwaysOutputData?: boolean;
  executeOnce?: boolean;
}

/** What a mapper may ask about the node's place in the workflow. */
export interface N8nMapContext {
  /** How many outputs of this node are connected (highest index + 1). */
  outputCount: number;
  /** How many inputs of this node are connected (highest index + 1). */
  inputCount: number;
  /** The workflow's time zone setting, if any. */
  timezone?: string;
}

/** Maps one n8n node (its parameters and type version) to Weft. */
export type N8nMapper = (p: Record<string, unknown>, version: number, node: N8nNode, ctx: N8nMapContext) => Mapping;

/** Parameters commonly held in `options`. */
export const optionsOf = (p: Record<string, unknown>): Record<string, unknown> =>
  (p.options as Record<string, unknown> | undefined) ?? {};
