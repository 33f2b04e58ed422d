/**
 * A timeline note in the reader's language. Notes MOPD writes itself (a step of the case, what the
 * automatic checks found) are kept in English on the case, for reviewers and the audit; the page
 * says them in the reader's words: the fixed sentences by their key (`cases.page.notes.<key>`), and
 * the checks' summary by rewording each failed check, when the note is exactly the summary of the
 * failures recorded on the case (as the applicant's email does). A person's own words (a reason, a
 * message) are shown as they wrote them.
 */
import type { CheckResult } from '../../../../api/contract.js';
import type { Wording } from '../../wordedSentence.js';

/** The sentences MOPD writes as notes (services/cases.ts, workflows/approvalCase/stages.ts). */
const SYSTEM_NOTES: Record<string, string> = {
  'All automatic checks passed.': 'allChecksPassed',
  'In review.': 'inReview',
  'In review; assigned by workload.': 'assignedByWorkload',
  'The requested information did not arrive in time.': 'informationLate',
};

export function timelineNote(
  event: { kind: string; note: string },
  checkResults: CheckResult[],
  wording: Wording,
  sentenceOf: (result: CheckResult) => string,
): string {
  const key = SYSTEM_NOTES[event.note];
  if (key && wording.te(`cases.page.notes.${key}`)) return wording.t(`cases.page.notes.${key}`, {});
  // The checks' summary is the note of the check and of the request for information it led to.
  const failed = checkResults.filter((r) => !r.passed);
  if (failed.length > 0 && failed.map((r) => r.message).join(' ') === event.note)
    return failed.map(sentenceOf).join(' ');
  return event.note;
}
