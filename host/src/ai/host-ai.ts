import {
  AiRateLimitedError,
  type CatalogueEntry,
  type ChatProvider,
  type GenerateOptions,
  GenerationRefusedError,
  OpenAiCompatibleProvider,
  ProviderError,
  type ResponseCache,
  type UsageRecorder,
} from '@weft/ai';
import { RedisAiResponseCache } from '@weft/redis';
import { SqlAiResponseCache, SqlAiUsage } from '@weft/sql';
import type { AiSettings } from '../config/ai-settings.js';
import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** What the AI routes share: the catalogue, the model (if configured), cache, usage and rate limit. */
export interface HostAi {
  settings: AiSettings;
  catalogue(): CatalogueEntry[];
  provider?: ChatProvider;
  cache: ResponseCache;
  usage: UsageRecorder & Pick<SqlAiUsage, 'totals'>;
  /** Options for `generateWorkflow` / `editWorkflow` in a workspace. */
  options(workspaceId: string): Omit<GenerateOptions, 'base'>;
}

/**
 * Builds the host's AI wiring from the configured `WEFT_AI_*` settings (`config.ai`): the offline planner by
 * default, an OpenAI-compatible model when `WEFT_AI_BASE_URL` and `WEFT_AI_MODEL` are set, rate
 * limited per workspace through the host's rate limiter (Redis when configured). Model answers
 * are cached in Redis when the host has it, else in SQL (`ai_response_cache`); usage goes to SQL
 * (`ai_usage`), where analytics reads it.
 *
 * @example
 * ```ts
 * const ai = createHostAi(rt, { cache, usage });
 * await generateWorkflow(prompt, ai.options(workspaceId));
 * ```
 */
export function createHostAi(
  rt: HostRuntime,
  stores: { cache?: ResponseCache; usage?: HostAi['usage'] } = {},
  settings: AiSettings = rt.config.ai,
): HostAi {
  let catalogue: CatalogueEntry[] | undefined;
  const provider =
    settings.baseUrl && settings.model
      ? new OpenAiCompatibleProvider({
          baseUrl: settings.baseUrl,
          model: settings.model,
          timeoutMs: settings.timeoutMs,
          ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        })
      : undefined;
  const cache =
    stores.cache ??
    (rt.redis
      ? new RedisAiResponseCache({ redis: rt.redis, prefix: `${rt.config.redisPrefix}:ai` })
      : new SqlAiResponseCache(rt.h));
  const usage = stores.usage ?? new SqlAiUsage(rt.h);
  const ai: HostAi = {
    settings,
    catalogue: () => {
      catalogue ??= rt.registry.describe();
      return catalogue;
    },
    cache,
    usage,
    options: (workspaceId) => ({
      catalogue: ai.catalogue(),
      workspaceId,
      cache,
      usage,
      rateLimiter: rt.rateLimiter,
      rateLimit: { limit: settings.rateLimitPerMinute, windowMs: 60_000 },
      ...(provider ? { provider } : {}),
    }),
  };
  if (provider) ai.provider = provider;
  return ai;
}

/** Maps the AI package's errors to problem responses: 429 rate limit, 422 refused, 502 model failure. */
export function aiProblem(e: unknown): unknown {
  if (e instanceof AiRateLimitedError)
    return new ProblemError(429, 'ai-rate-limited', e.message, {
      headers: { 'retry-after': String(Math.ceil(e.retryAfterMs / 1000)) },
    });
  if (e instanceof GenerationRefusedError)
    return new ProblemError(422, 'ai-generation-refused', e.message, { problems: e.problems });
  if (e instanceof ProviderError)
    return new ProblemError(502, 'ai-provider-failed', `The AI model failed: ${e.message}`);
  return e;
}
