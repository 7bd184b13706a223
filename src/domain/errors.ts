/**
 * A problem the person who caused it can understand and act on. The Teams
 * layer shows `message` as it is; `code` is for tests and logs.
 */
export type ErrorCode =
  | 'not_allowed'
  | 'not_found'
  | 'invalid_input'
  | 'already_done'
  | 'stale'
  | 'conflict'
  | 'limit_reached'
  | 'too_late'
  | 'unreachable';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notAllowed = (message: string) => new DomainError('not_allowed', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const invalidInput = (message: string) => new DomainError('invalid_input', message);
