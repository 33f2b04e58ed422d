/**
 * Every named failure, one vocabulary for all layers: a service throws a `DomainError` of one of
 * these types, an activity turns a permanent one into a non-retryable Temporal `ApplicationFailure`
 * of the same type (activities/failures.ts), a workflow's update validators refuse with them and
 * its retry policies name them, and the API maps each to one HTTP status (api/errors.ts).
 * Pure: workflows import it too.
 */
export const FAILURE = {
  /** No such record (HTTP 404). */
  NotFound: 'NotFound',
  /** The request is wrong: a field, a missing reason (400). */
  Invalid: 'Invalid',
  /** Not possible in this state, or already done otherwise (409). */
  Conflict: 'Conflict',
  /** Not yours to do (403). */
  Forbidden: 'Forbidden',
  /** Not signed in (401). */
  Unauthenticated: 'Unauthenticated',
  /** Too many tries for now (429): transient. */
  TooManyRequests: 'TooManyRequests',
  /** Too large to take (413). */
  TooLarge: 'TooLarge',
  /** A service the system depends on is away (503): transient. */
  Unavailable: 'Unavailable',
  /** A case's row was rolled back with the request that started its workflow: nothing to run (services/rowInTransaction.ts). */
  CaseNeverSaved: 'CaseNeverSaved',
  /** A legacy import batch that does not exist. */
  ImportBatchNotFound: 'ImportBatchNotFound',
  /** A legacy import batch not marked applying yet (its transaction may still commit): transient. */
  ImportBatchNotApplying: 'ImportBatchNotApplying',
} as const;

export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/** The failures a person's request to the API can end in (a `DomainError`'s type). */
export const DOMAIN_ERROR_TYPES = [
  FAILURE.NotFound,
  FAILURE.Invalid,
  FAILURE.Conflict,
  FAILURE.Forbidden,
  FAILURE.Unauthenticated,
  FAILURE.TooManyRequests,
  FAILURE.TooLarge,
  FAILURE.Unavailable,
] as const satisfies readonly FailureType[];
export type DomainErrorType = (typeof DOMAIN_ERROR_TYPES)[number];

/** What a workflow's update validator refuses with: not now, not you, not like this. */
export type RefusalType = typeof FAILURE.Conflict | typeof FAILURE.Forbidden | typeof FAILURE.Invalid;

/**
 * Failures that trying again cannot cure: an activity failing with one fails at once, and the
 * workflows' retry policies name them (`nonRetryableErrorTypes`). The rest (`Unavailable`,
 * `TooManyRequests`, `ImportBatchNotApplying`, and plain errors) are retried.
 */
export const PERMANENT_FAILURES = [
  FAILURE.NotFound,
  FAILURE.Invalid,
  FAILURE.Conflict,
  FAILURE.Forbidden,
  FAILURE.Unauthenticated,
  FAILURE.TooLarge,
  FAILURE.CaseNeverSaved,
  FAILURE.ImportBatchNotFound,
] as const satisfies readonly FailureType[];

export function isPermanentFailure(type: string): boolean {
  return (PERMANENT_FAILURES as readonly string[]).includes(type);
}
