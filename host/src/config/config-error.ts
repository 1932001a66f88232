/**
 * Thrown by `loadConfig` with every bad setting, each named (`WEFT_PORT must be ...`).
 *
 * @example
 * ```ts
 * try { loadConfig(); } catch (e) { if (e instanceof ConfigError) console.error(e.problems.join('\n')); }
 * ```
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}
