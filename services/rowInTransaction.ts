/**
 * The API starts some workflows inside the transaction that writes their row (a case, an event),
 * so that a workflow exists exactly when the row does. The workflow's first activity may therefore
 * run before that transaction has committed and find no row: it is retried. By the tenth try (two to
 * four minutes on the workflows' back-off) the transaction has long ended, and a row still missing
 * was rolled back — Temporal recorded the start but the request failed — so the activity stops
 * waiting. A database that does not answer is a different error, retried as long as it takes.
 */
import { Context } from '@temporalio/activity';

export const TRIES_BEFORE_ROW_NEVER_SAVED = 10;

/** True while a missing row may still be committing; false once it never will be. */
export function rowMayStillCommit(): boolean {
  try {
    return Context.current().info.attempt < TRIES_BEFORE_ROW_NEVER_SAVED;
  } catch {
    // Called outside an activity (a test or a script): there is no later try to wait for.
    return false;
  }
}
