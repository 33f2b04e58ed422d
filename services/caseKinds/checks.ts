/**
 * What an automatic check records: its result, worded for the applicant's notice and the case page
 * in the reader's language. Each case kind (./index.ts) runs its own checks with these.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import type { ruleSetVersion } from '../../db/ruleSets.js';
import type { EmailMessages } from '../mail/messages.js';
import { trainingOf } from '../credit.js';

export interface CheckResult {
  check: string;
  passed: boolean;
  /** What it found, in words the applicant and the reviewer understand. */
  message: string;
  /** What a failure means: the case is refused, or the applicant is asked to fill the gap. */
  onFailure: 'refuse' | 'needs_information';
  /**
   * A failure worded by MOPD itself: its message in services/mail/messages (`caseNotice.checks`)
   * and the values it names, so the applicant's notice says it in their language. Reasons that
   * come from the rule set or the evidence rules have none and stay as `message` says them.
   * The case page words it too (the UI's `cases.checks.failed.<key>`).
   */
  failedWords?: CheckWords<CheckWording>;
  /**
   * A pass worded by MOPD itself, for the case page in the reader's language (the UI's
   * `cases.checks.passed.<key>`, ui/src/locales/<language>/cases.json). Results recorded before
   * passes were worded have none; the page shows their `message`.
   */
  passedWords?: CheckWords<PassedCheckWording>;
}

/** Which of MOPD's sentences says an outcome, and the values it names: `…On` are calendar dates, `count` picks the plural form. */
export interface CheckWords<K extends string> {
  key: K;
  values: Record<string, string>;
}

export type CheckWording = keyof EmailMessages['caseNotice']['checks'];

/** The passes MOPD words itself: the keys of the UI's `cases.checks.passed` (a unit test keeps them in step). */
export const PASSED_CHECK_WORDINGS = [
  'documentsPresent',
  'instructorCertificationPresent',
  'instructorCertificationCurrent',
  'approvedTrainer',
  'proofPresent',
  'credit',
  'evidenceReflection',
  'notAlreadyHeld',
  'notAlreadyClaimed',
] as const;
type PassedCheckWording = (typeof PASSED_CHECK_WORDINGS)[number];

/** A rule-set version as the checks ask it (the pinned one, or the current one on a re-check). */
export type RuleSetVersion = Awaited<ReturnType<typeof ruleSetVersion>>;

/** How one outcome of a check is said: the English sentence, and MOPD's own wording of it when there is one. */
interface Said<K extends string> {
  message: string;
  key?: K;
  values?: Record<string, string>;
}

/** One check's result, worded for whether it passed. */
export function check(
  name: string,
  passed: boolean,
  onFailure: CheckResult['onFailure'],
  whenPassed: Said<PassedCheckWording>,
  whenFailed: Said<CheckWording>,
): CheckResult {
  const result: CheckResult = {
    check: name,
    passed,
    message: passed ? whenPassed.message : whenFailed.message,
    onFailure,
  };
  if (passed && whenPassed.key) result.passedWords = { key: whenPassed.key, values: whenPassed.values ?? {} };
  if (!passed && whenFailed.key) result.failedWords = { key: whenFailed.key, values: whenFailed.values ?? {} };
  return result;
}

/** The documents on a case, those sent with answers included. */
export async function documentCount(db: Db | Knex.Transaction, caseId: number): Promise<number> {
  return Number(
    (await db('case_documents').where({ case_id: caseId }).count<{ count: number }[]>({ count: '*' }))[0]?.count ?? 0,
  );
}

/**
 * Would a completion of this training earn hours? The credit rules of the given version answer;
 * no credit refuses the case with the rule set's reasons.
 */
export async function creditCheck(
  rules: RuleSetVersion,
  course: Parameters<typeof trainingOf>[0],
  circumstances: Parameters<typeof trainingOf>[1],
): Promise<CheckResult[]> {
  const hours = circumstances.hours;
  const credit = await rules.decideCredit({
    training: trainingOf(course, circumstances),
    history: { creditedCompletionsOfCourseThisYear: 0, overlapsAnotherCourseInProgress: false },
  });
  if (credit.creditedHours === 0)
    return credit.reasons.map((reason) => ({
      check: `credit-${reason.code}`,
      passed: false,
      message: reason.text,
      onFailure: 'refuse' as const,
    }));
  const partly = credit.creditedHours < hours;
  return [
    {
      check: 'credit',
      passed: true,
      message: partly
        ? `${credit.creditedHours} of its ${hours} hours would earn credit: ${credit.reasons.map((r) => r.text).join(' ')}`
        : `All ${hours} hours would earn credit under rule set version ${rules.version}.`,
      onFailure: 'refuse',
      // Part credit is explained by the rule set's own reasons, which stay as it words them.
      ...(!partly && {
        passedWords: { key: 'credit', values: { count: String(hours), version: String(rules.version) } },
      }),
    },
  ];
}
