/** One field-level problem of a validation error (`errors` in the problem document). */
export interface FieldProblem {
  /** Where: `body`, `query`, `params` or `header`. */
  in: string;
  /** JSON pointer or parameter name, e.g. `/nodes/0/name`. */
  path: string;
  message: string;
}

/** An RFC 9457 problem document as the host sends it. */
export interface ProblemDocument {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  /** Stable machine-readable code, e.g. `workflow-not-found`, `mfa-required`. */
  code: string;
  instance?: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

/**
 * A non-2xx answer of the host, carrying the fields of its `application/problem+json` body.
 * Network failures stay ordinary `TypeError`s from `fetch`.
 *
 * @example
 * ```ts
 * try {
 *   await client.login({ email, password });
 * } catch (e) {
 *   if (e instanceof WeftApiError && e.code === 'mfa-required') askForCode();
 *   else throw e;
 * }
 * ```
 */
export class WeftApiError extends Error {
  override readonly name = 'WeftApiError';
  readonly status: number;
  readonly code: string;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[];
  /** The whole problem document (extension members included). */
  readonly problem: ProblemDocument;

  constructor(problem: ProblemDocument) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }

  /**
   * Builds the error from a response; bodies that are not problem documents still give status and text.
   *
   * @example
   * ```ts
   * if (!res.ok) throw await WeftApiError.fromResponse(res);
   * ```
   */
  static async fromResponse(res: Response): Promise<WeftApiError> {
    const text = await res.text().catch(() => '');
    let body: Partial<ProblemDocument> | undefined;
    try {
      body = text ? (JSON.parse(text) as Partial<ProblemDocument>) : undefined;
    } catch {
      body = undefined;
    }
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      return new WeftApiError({ ...body, status: body.status ?? res.status, code: body.code });
    }
    return new WeftApiError({
      status: res.status,
      code: `http-${res.status}`,
      title: res.statusText || `HTTP ${res.status}`,
      ...(text ? { detail: text.slice(0, 500) } : {}),
    });
  }
}
