/**
 * The input is not a workflow export of the expected format; `pointer` says where (a JSON pointer
 * into the input).
 *
 * @example
 * ```ts
 * try { importN8n('{}'); } catch (e) { if (e instanceof ImportError) console.log(e.pointer, e.message); }
 * ```
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  /** The message without the pointer. */
  readonly reason: string;
  constructor(
    message: string,
    readonly pointer = '',
  ) {
    super(pointer ? `${pointer}: ${message}` : message);
    this.reason = message;
  }
}

/** Parses JSON text (or passes a parsed value through), failing with an {@link ImportError}. */
export function parseInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (e) {
    throw new ImportError(`not valid JSON (${(e as Error).message})`);
  }
}
