/**
 * What Temporal makes of an activity's failure. A `DomainError` of a permanent type (a record that
 * is not there, a request that is wrong, a state that forbids it) fails the activity at once, as a
 * non-retryable `ApplicationFailure` of the same type, which the workflow sees and can name; a
 * transient one (`Unavailable`) and any other error stay as they are and are retried.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { DomainError } from '../services/errors.js';
import { isPermanentFailure } from '../rules/failures.js';

/** The error an activity throws for what a service threw. */
export function asActivityFailure(error: unknown): unknown {
  if (error instanceof DomainError && isPermanentFailure(error.type)) {
    const failure = ApplicationFailure.create({
      type: error.type,
      message: error.message,
      nonRetryable: true,
      details: error.field ? [{ field: error.field }] : undefined,
    });
    // Where the service threw it, not where it was converted.
    failure.stack = error.stack;
    return failure;
  }
  return error;
}

/** The same activities, each throwing its permanent failures as non-retryable ones (activity names unchanged). */
export function withNamedFailures<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw asActivityFailure(error);
      }
    };
  }
  return wrapped as A;
}
