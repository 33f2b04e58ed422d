/**
 * Business errors as values. The API maps each type to one HTTP status in one place; activities
 * turn the permanent ones into non-retryable ApplicationFailures of the same type
 * (activities/failures.ts). The types are the one vocabulary of rules/failures.ts.
 */
import type { DomainErrorType } from '../rules/failures.js';

export { DOMAIN_ERROR_TYPES, type DomainErrorType } from '../rules/failures.js';

export class DomainError extends Error {
  constructor(
    readonly type: DomainErrorType,
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
