import type { TokenUsage } from '../model/chat-provider.js';

/**
 * One model call, charged to a workspace. `costUsd` comes from the pricing given to
 * `generateWorkflow` (0 for models without a price).
 *
 * @example
 * ```ts
 * const entry: UsageEntry = { workspaceId: 'ws1', model: 'gpt-4o-mini', promptTokens: 900, completionTokens: 120, costUsd: 0.0002, at: Date.now() };
 * ```
 */
export interface UsageEntry extends TokenUsage {
  workspaceId: string;
  model: string;
  costUsd: number;
  /** Epoch ms. */
  at: number;
}

/**
 * Where token usage and cost are recorded per workspace (analytics reads them). The memory
 * implementation is {@link MemoryUsageRecorder}; SQL storage belongs in `adapters/sql`.
 *
 * @example
 * ```ts
 * await usage.record({ workspaceId: 'ws1', model: 'gpt-4o-mini', promptTokens: 10, completionTokens: 5, costUsd: 0, at: Date.now() });
 * ```
 */
export interface UsageRecorder {
  record(entry: UsageEntry): Promise<void>;
}

/** Price per million tokens of each model, in US dollars. */
export type ModelPricing = Record<string, { inputPerMillion: number; outputPerMillion: number }>;

/**
 * The cost of some tokens at a model's price; 0 for a model the pricing does not list.
 *
 * @example
 * ```ts
 * costOf('gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 0 }, { 'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 } }); // 0.15
 * ```
 */
export function costOf(model: string, usage: TokenUsage, pricing: ModelPricing = {}): number {
  const price = pricing[model];
  if (!price) return 0;
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1_000_000;
}

/**
 * Usage kept in memory, with totals per workspace.
 *
 * @example
 * ```ts
 * const usage = new MemoryUsageRecorder();
 * await generateWorkflow(prompt, { catalogue, provider, usage, workspaceId: 'ws1' });
 * await usage.totals('ws1'); // { calls, promptTokens, completionTokens, costUsd }
 * ```
 */
export class MemoryUsageRecorder implements UsageRecorder {
  readonly entries: UsageEntry[] = [];

  async record(entry: UsageEntry): Promise<void> {
    this.entries.push({ ...entry });
  }

  /** Totals of a workspace in [from, to) (all time by default). */
  async totals(
    workspaceId: string,
    range: { from?: number; to?: number } = {},
  ): Promise<{ calls: number; promptTokens: number; completionTokens: number; costUsd: number }> {
    const mine = this.entries.filter(
      (e) => e.workspaceId === workspaceId && e.at >= (range.from ?? -Infinity) && e.at < (range.to ?? Infinity),
    );
    return {
      calls: mine.length,
      promptTokens: mine.reduce((s, e) => s + e.promptTokens, 0),
      completionTokens: mine.reduce((s, e) => s + e.completionTokens, 0),
      costUsd: mine.reduce((s, e) => s + e.costUsd, 0),
    };
  }
}
