/**
 * What the API answers for a case update Temporal refused: the first failure of a type the API
 * knows down the `cause` chain, in its own words, whether a validator refused at once or an
 * activity of the update's handler failed (wrapped in an ActivityFailure, "Activity task failed").
 */
import { describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { refusalOf } from '../../services/workflowClient.js';
import { DomainError } from '../../services/errors.js';

const failed = (cause: Error | undefined) => new WorkflowUpdateFailedError('Workflow Update failed', cause);
const activityFailed = (cause: Error) =>
  new ActivityFailure('Activity task failed', 'decideCase', '7', 'NON_RETRYABLE_FAILURE', 'worker', cause);

describe('refusalOf', () => {
  it("answers a validator's refusal with its type and words", () => {
    const refusal = refusalOf(failed(ApplicationFailure.create({ type: 'Forbidden', message: 'Not yours' })));
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ type: 'Forbidden', message: 'Not yours' });
  });

  it("answers an activity's failure with the inner failure's type and words, not the wrapper's", () => {
    const inner = ApplicationFailure.create({ type: 'NotFound', message: 'No case 12', nonRetryable: true });
    expect(refusalOf(failed(activityFailed(inner)))).toMatchObject({ type: 'NotFound', message: 'No case 12' });
    const conflict = ApplicationFailure.create({ type: 'Conflict', message: 'Case 12 is already decided' });
    expect(refusalOf(failed(activityFailed(conflict)))).toMatchObject({
      type: 'Conflict',
      message: 'Case 12 is already decided',
    });
  });

  it('answers a failure of no type the API knows as a Conflict, without its inner words', () => {
    const odd = ApplicationFailure.create({ type: 'CaseNeverSaved', message: 'Case 12 was never saved' });
    expect(refusalOf(failed(activityFailed(odd)))).toMatchObject({
      type: 'Conflict',
      message: 'The case could not take that action now',
    });
    expect(refusalOf(failed(undefined))).toMatchObject({ type: 'Conflict' });
  });

  it('passes other errors through unchanged', () => {
    const other = new Error('socket hang up');
    expect(refusalOf(other)).toBe(other);
  });
});
