/** One field-level issue: where in the input, and what is wrong there. */
export interface FieldIssue {
  /** Where: `body`, `query`, `params`, `header`, or a path such as `body/workflows/0`. */
  in: string;
  /** JSON pointer inside it, e.g. `/nodes/0/name`, or the parameter/header name. */
  path: string;
  message: string;
}

/** Details of a host error: field issues, and any facts the caller may act on (ids, statuses). */
export interface HostErrorDetails {
  errors?: FieldIssue[];
  /** How many seconds to wait before trying again (`unavailable`). */
  retryAfterSeconds?: number;
  [fact: string]: unknown;
}

/**
 * What kind of failure, independent of any transport: `http/` answers each with one status
 * (`invalid-input` 400, `forbidden` 403, `not-found` 404, `conflict` 409, `invalid-workflow` 422,
 * `failed` 500, `unavailable` 503, `timeout` 504).
 */
export type HostErrorKind =
  | 'invalid-input'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid-workflow'
  | 'failed'
  | 'unavailable'
  | 'timeout';

/**
 * A failure of the host's runtime or services with a stable `code` (e.g. `workflow-not-found`),
 * raised without knowing who asked: the HTTP layer turns it into a problem document, the CLI into
 * a message. Throw one of the subclasses below.
 *
 * @example
 * ```ts
 * try {
 *   await saveWorkflow(rt, ws, doc, { mode: 'create' });
 * } catch (e) {
 *   if (e instanceof HostError && e.kind === 'conflict') console.log(e.code); // 'workflow-exists'
 * }
 * ```
 */
export abstract class HostError extends Error {
  abstract readonly kind: HostErrorKind;
  constructor(
    readonly code: string,
    message: string,
    readonly details: HostErrorDetails = {},
  ) {
    super(message);
  }

  /** The same error with another message (e.g. prefixed with which of several documents failed). */
  withMessage(message: string): HostError {
    const Same = this.constructor as new (code: string, message: string, details: HostErrorDetails) => HostError;
    return new Same(this.code, message, this.details);
  }
}

/**
 * A field of the input is wrong; `details.errors` names each one with a JSON pointer.
 *
 * @example
 * ```ts
 * throw new InvalidInputError('unknown-node', 'Breakpoint "x" is neither a node name nor an id', {
 *   errors: [{ in: 'body', path: '/breakpoints/0', message: 'Unknown node' }],
 * });
 * ```
 */
export class InvalidInputError extends HostError {
  override readonly name = 'InvalidInputError';
  readonly kind = 'invalid-input';
}

/**
 * A workflow document breaks a rule (schema, graph, trigger settings).
 *
 * @example
 * ```ts
 * throw new InvalidWorkflowError('invalid-schedule', 'Invalid schedule: bad cron expression');
 * ```
 */
export class InvalidWorkflowError extends HostError {
  override readonly name = 'InvalidWorkflowError';
  readonly kind = 'invalid-workflow';
}

/**
 * The caller may not do this.
 *
 * @example
 * ```ts
 * throw new ForbiddenError('connector-not-allowed', 'This embedded session may not use slack');
 * ```
 */
export class ForbiddenError extends HostError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
}

/**
 * What was asked for does not exist (in this workspace).
 *
 * @example
 * ```ts
 * throw new NotFoundError('workflow-not-found', `Workflow "${id}" not found`);
 * ```
 */
export class NotFoundError extends HostError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found';
}

/**
 * The request clashes with the current state (an id or path taken, a session busy or finished).
 *
 * @example
 * ```ts
 * throw new ConflictError('workflow-exists', `Workflow "${id}" already exists`);
 * ```
 */
export class ConflictError extends HostError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict';
}

/**
 * The operation failed on the host's side, with facts about what did happen.
 *
 * @example
 * ```ts
 * throw new OperationFailedError('event-launch-failed', '1 subscriber(s) could not be started', { eventId });
 * ```
 */
export class OperationFailedError extends HostError {
  override readonly name = 'OperationFailedError';
  readonly kind = 'failed';
}

/**
 * The host cannot do this now (shutting down); `details.retryAfterSeconds` says when to retry.
 *
 * @example
 * ```ts
 * throw new UnavailableError('shutting-down', 'The host is shutting down', { retryAfterSeconds: 5 });
 * ```
 */
export class UnavailableError extends HostError {
  override readonly name = 'UnavailableError';
  readonly kind = 'unavailable';
}

/**
 * Waiting for something took longer than allowed; it may still finish.
 *
 * @example
 * ```ts
 * throw new TimedOutError('execution-timeout', `Execution ${id} did not finish within 30000 ms`, { executionId: id });
 * ```
 */
export class TimedOutError extends HostError {
  override readonly name = 'TimedOutError';
  readonly kind = 'timeout';
}
