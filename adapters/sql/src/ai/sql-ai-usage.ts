import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';

/** One model call charged to a workspace (the shape of `@weft/ai`'s `UsageEntry`). */
export interface AiUsageEntry {
  workspaceId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Epoch ms. */
  at: number;
}

/** Sums of a workspace's model calls in a period. */
export interface AiUsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/**
 * `@weft/ai`'s usage recorder on SQL (table `ai_usage`, migration 17): one row per model call,
 * and totals per workspace over a period for analytics (AI tokens in ROI, cost drivers).
 *
 * @example
 * ```ts
 * const usage = new SqlAiUsage(h);
 * await generateWorkflow(prompt, { catalogue, provider, usage, workspaceId: 'ws1' });
 * await usage.totals('ws1', { from: Date.now() - 86_400_000 }); // { calls, promptTokens, completionTokens, costUsd }
 * ```
 */
export class SqlAiUsage {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  async record(entry: AiUsageEntry): Promise<void> {
    await this.#db
      .insertInto('ai_usage')
      .values({
        workspace_id: entry.workspaceId,
        model: entry.model,
        prompt_tokens: entry.promptTokens,
        completion_tokens: entry.completionTokens,
        cost_usd: entry.costUsd,
        at: entry.at,
      })
      .execute();
  }

  /** Totals of a workspace in [from, to) (all time by default). */
  async totals(workspaceId: string, range: { from?: number; to?: number } = {}): Promise<AiUsageTotals> {
    const row = await this.#db
      .selectFrom('ai_usage')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('calls'),
        eb.fn.sum<number | string | null>('prompt_tokens').as('prompt'),
        eb.fn.sum<number | string | null>('completion_tokens').as('completion'),
        eb.fn.sum<number | string | null>('cost_usd').as('cost'),
      ])
      .where('workspace_id', '=', workspaceId)
      .$if(range.from !== undefined, (q) => q.where('at', '>=', range.from as number))
      .$if(range.to !== undefined, (q) => q.where('at', '<', range.to as number))
      .executeTakeFirstOrThrow();
    return {
      calls: Number(row.calls),
      promptTokens: Number(row.prompt ?? 0),
      completionTokens: Number(row.completion ?? 0),
      costUsd: Number(row.cost ?? 0),
    };
  }
}
