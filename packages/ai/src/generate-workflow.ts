import {
  type Clock,
  type RateLimiter,
  type RateLimitRule,
  systemClock,
  validateWorkflow,
  type Workflow,
} from '@weft/engine';
import { type CatalogueEntry, catalogueSource } from './catalogue/catalogue-entry.js';
import { editOffline } from './edit/offline-editor.js';
import type { ChatProvider } from './model/chat-provider.js';
import { planWithModelJson } from './model/json-schema-planner.js';
import { planWithModel } from './model/model-planner.js';
import type { GenerationResult } from './planner/generation-result.js';
import { planOffline } from './planner/offline-planner.js';
import type { DraftEvent } from './planner/workflow-draft.js';
import { cacheKey, type ResponseCache } from './ports/response-cache.js';
import { costOf, type ModelPricing, type UsageRecorder } from './ports/usage-recorder.js';

/** Options of {@link generateWorkflow}. Only `catalogue` is required. */
export interface GenerateOptions {
  /** The node types to plan with, as the host's `GET /api/v1/node-types` lists them. */
  catalogue: readonly CatalogueEntry[];
  /** A model; without one the offline planner answers (no network). */
  provider?: ChatProvider;
  /** The workspace charged for model calls (rate limit and usage). Default `default`. */
  workspaceId?: string;
  rateLimiter?: RateLimiter;
  /** Model calls allowed per workspace. Default 30 per minute. */
  rateLimit?: RateLimitRule;
  usage?: UsageRecorder;
  pricing?: ModelPricing;
  cache?: ResponseCache;
  /** Default 60 minutes. */
  cacheTtlMs?: number;
  /** Part of the cache key besides the prompt, e.g. the workflow being edited. */
  context?: unknown;
  /** Each node added and connection made, as the workflow is built (replayed from a cache hit). */
  onProgress?: (event: DraftEvent) => void;
  maxRepairRounds?: number;
  /** How the model answers: tool calls (default) or one JSON object matching a schema of the catalogue. */
  mode?: 'tools' | 'json';
  signal?: AbortSignal;
  clock?: Clock;
  /**
   * A workflow to edit instead of creating one ("add a Slack message after the IF"); see
   * `editWorkflow`, which also returns the diff. Edits through a model use tool calls.
   */
  base?: Workflow;
}

/** The workspace used up its model calls; `retryAfterMs` says when to try again. */
export class AiRateLimitedError extends Error {
  override name = 'AiRateLimitedError';
  constructor(
    readonly workspaceId: string,
    readonly retryAfterMs: number,
  ) {
    super(`Workspace "${workspaceId}" reached its AI rate limit; try again in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

function replay(result: GenerationResult, onProgress: ((e: DraftEvent) => void) | undefined): void {
  if (!onProgress) return;
  for (const node of result.workflow.nodes) onProgress({ type: 'node-added', node });
  for (const connection of result.workflow.connections) onProgress({ type: 'connected', connection });
}

/**
 * Turns a request in plain words into a workflow that validates against `catalogue`. Without a
 * provider the offline planner answers at once. With one, the model builds the workflow through
 * tool calls with a validate-and-repair loop (refusing with `GenerationRefusedError` if it stays
 * invalid); each call is rate-limited per workspace, its tokens and cost recorded, and the result
 * cached by normalised prompt and context (60 minutes by default).
 *
 * @example
 * ```ts
 * const { workflow, explanation, confidence, unresolved } = await generateWorkflow(
 *   'When a Stripe payment succeeds, post to #sales on Slack',
 *   { catalogue },
 * );
 * ```
 */
export async function generateWorkflow(prompt: string, options: GenerateOptions): Promise<GenerationResult> {
  if (typeof prompt !== 'string' || !prompt.trim()) throw new TypeError('prompt must be a non-empty string');
  const { catalogue, provider, base } = options;
  if (!provider)
    return base
      ? editOffline(base, prompt, catalogue, options.onProgress)
      : planOffline(prompt, catalogue, options.onProgress);
  const workspaceId = options.workspaceId ?? 'default';
  const clock = options.clock ?? systemClock;
  const key = cacheKey(prompt, {
    model: provider.model,
    mode: options.mode ?? 'tools',
    catalogue: catalogue.map((e) => `${e.type}@${e.version}`).sort(),
    context: options.context ?? null,
    base: base ? { nodes: base.nodes, connections: base.connections } : null,
  });
  const cached = await options.cache?.get(key);
  if (cached) {
    const result = JSON.parse(cached) as GenerationResult;
    if (validateWorkflow(result.workflow, catalogueSource(catalogue)).valid) {
      replay(result, options.onProgress);
      return { ...result, source: 'cache' };
    }
  }
  const rule = options.rateLimit ?? { limit: 30, windowMs: 60_000 };
  const plan = options.mode === 'json' && !base ? planWithModelJson : planWithModel;
  const result = await plan(prompt, {
    catalogue,
    provider,
    ...(options.onProgress ? { onEvent: options.onProgress } : {}),
    ...(options.maxRepairRounds !== undefined ? { maxRepairRounds: options.maxRepairRounds } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(base ? { base } : {}),
    beforeCall: async () => {
      if (!options.rateLimiter) return;
      const r = await options.rateLimiter.consume(`ai:${workspaceId}`, rule);
      if (!r.allowed) throw new AiRateLimitedError(workspaceId, r.retryAfterMs);
    },
    afterCall: async (response) => {
      await options.usage?.record({
        workspaceId,
        model: response.model || provider.model,
        promptTokens: response.usage.promptTokens,
        completionTokens: response.usage.completionTokens,
        costUsd: costOf(response.model || provider.model, response.usage, options.pricing),
        at: clock.now(),
      });
    },
  });
  await options.cache?.set(key, JSON.stringify(result), options.cacheTtlMs ?? 60 * 60_000);
  return result;
}
