import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  InvalidWorkflowError,
  NotFoundError,
  OperationFailedError,
  TimedOutError,
  UnavailableError,
} from '../runtime/host-error.js';
import { toProblem } from './error-handler.js';

describe('toProblem maps the runtime errors', () => {
  it('gives each kind its status and keeps the code and message', () => {
    const cases = [
      [new InvalidInputError('unknown-node', 'm'), 400],
      [new ForbiddenError('connector-not-allowed', 'm'), 403],
      [new NotFoundError('workflow-not-found', 'm'), 404],
      [new ConflictError('workflow-exists', 'm'), 409],
      [new InvalidWorkflowError('invalid-schedule', 'm'), 422],
      [new OperationFailedError('event-launch-failed', 'm'), 500],
      [new UnavailableError('shutting-down', 'm'), 503],
      [new TimedOutError('execution-timeout', 'm'), 504],
    ] as const;
    for (const [err, status] of cases) {
      const p = toProblem(err);
      expect([p.status, p.code, p.message]).toEqual([status, err.code, 'm']);
    }
  });

  it('passes field issues and facts through and turns retryAfterSeconds into a Retry-After header', () => {
    const errors = [{ in: 'body', path: '/breakpoints/0', message: 'Unknown node' }];
    expect(toProblem(new InvalidInputError('unknown-node', 'm', { errors })).extra).toEqual({ errors });
    expect(
      toProblem(new UnavailableError('shutting-down', 'm', { executionId: 'e1', retryAfterSeconds: 5 })).extra,
    ).toEqual({ executionId: 'e1', headers: { 'Retry-After': '5' } });
  });

  it('keeps the kind, code and details when the message is replaced', () => {
    const errors = [{ in: 'body/workflows/2', path: '/nodes', message: 'must be an array' }];
    const err = new InvalidWorkflowError('invalid-workflow', 'Invalid workflow', { errors }).withMessage(
      'workflows[2]: x',
    );
    expect(err).toBeInstanceOf(InvalidWorkflowError);
    const p = toProblem(err);
    expect([p.status, p.code, p.message, p.extra]).toEqual([422, 'invalid-workflow', 'workflows[2]: x', { errors }]);
  });
});
