/**
 * What an automatic check found, in the reader's language: MOPD's own sentence for the outcome
 * (`cases.checks.passed.<key>` or `cases.checks.failed.<key>`, ui/src/locales/<language>/cases.json)
 * with the values the result names. A result that names none (recorded before passes were worded,
 * or a reason from the rule set or the evidence rules) or one this UI does not know shows its
 * English `message` as the checks recorded it.
 */
import type { CheckResult } from '../../../../api/contract.js';
import { wordedSentence, type Wording } from '../../wordedSentence.js';

/** Values named `…On` are calendar dates, written by `day`; `count` picks the plural form. */
export function checkSentence(result: CheckResult, wording: Wording, day: (date: string) => string): string {
  const words = result.passed ? result.passedWords : result.failedWords;
  return wordedSentence(`cases.checks.${result.passed ? 'passed' : 'failed'}`, words, result.message, wording, {
    day,
    number: String,
  });
}
