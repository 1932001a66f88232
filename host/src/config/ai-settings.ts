/**
 * The model behind `…/ai/generate` (`WEFT_AI_*`). Without `WEFT_AI_BASE_URL` and `WEFT_AI_MODEL`
 * the offline planner answers (no network, no key); with them, any OpenAI-compatible endpoint.
 */
export interface AiSettings {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl?: string;
  /** Sent as a bearer token (`WEFT_AI_API_KEY`); local servers often need none. */
  apiKey?: string;
  model?: string;
  /** Per model call (`WEFT_AI_TIMEOUT_MS`, default 60 s). */
  timeoutMs: number;
  /** Model calls per workspace per minute (`WEFT_AI_RATE_LIMIT`, default 30). */
  rateLimitPerMinute: number;
}

import { ConfigError } from './config-error.js';

/**
 * Reads the AI settings from the environment; throws a `ConfigError` naming each bad variable (a
 * base URL without a model or the reverse, a URL that is not http(s), a number out of range).
 *
 * @example
 * ```ts
 * const ai = aiSettings(process.env); // { baseUrl, apiKey, model, timeoutMs, rateLimitPerMinute }
 * ```
 */
export function aiSettings(env: Record<string, string | undefined>): AiSettings {
  const problems: string[] = [];
  const str = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const baseUrl = str('WEFT_AI_BASE_URL');
  const model = str('WEFT_AI_MODEL');
  const apiKey = str('WEFT_AI_API_KEY');
  if (baseUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(baseUrl).protocol);
    } catch {}
    if (!ok) problems.push(`WEFT_AI_BASE_URL must be an http(s) URL, got "${baseUrl}"`);
  }
  if ((baseUrl === undefined) !== (model === undefined))
    problems.push('WEFT_AI_BASE_URL and WEFT_AI_MODEL must be set together (neither: the offline planner)');
  if (apiKey !== undefined && baseUrl === undefined) problems.push('WEFT_AI_API_KEY needs WEFT_AI_BASE_URL');
  const settings: AiSettings = {
    ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, '') } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(model ? { model } : {}),
    timeoutMs: int('WEFT_AI_TIMEOUT_MS', 60_000, 1000, 600_000),
    rateLimitPerMinute: int('WEFT_AI_RATE_LIMIT', 30, 1, 100_000),
  };
  if (problems.length) throw new ConfigError(problems);
  return settings;
}
