/**
 * Business errors as values. The API maps each type to one HTTP status in one place; workflows
 * turn them into non-retryable ApplicationFailures of the same type.
 */
export const DOMAIN_ERROR_TYPES = ['NotFound', 'Invalid', 'Conflict', 'Forbidden', 'Unauthenticated', 'TooManyRequests', 'TooLarge', 'Unavailable'] as const;
export type DomainErrorType = (typeof DOMAIN_ERROR_TYPES)[number];

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
