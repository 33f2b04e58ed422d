/**
 * What training a person has not taken yet would credit them: the rule set in effect is asked
 * about a completion of the candidate's course as it would happen, with the history the registry
 * holds. Shared by the recommendations page and the training suggested in deadline reminders, so
 * both offer the same hours for the same training.
 */
import type { CourseForCredit, EventForCredit } from '../db/recommendations.js';
import { compareDates, yearOf, type LocalDate } from '../rules/dates.js';
import type { CompiledRuleSet, EnrollmentFacts, TrainingFacts } from '../rules/engine.js';
import type { CandidateCredit } from '../rules/recommendations.js';
import { trainingOf, type TrainingCircumstances } from './credit.js';

export type CreditAsker = (
  course: CourseForCredit,
  input: { completedOn: LocalDate; hours: number; source: 'attendance' | 'online_course' } & TrainingCircumstances,
) => Promise<CandidateCredit>;

/** How many distinct situations each rule-set version remembers the credit of before starting afresh. */
const DECISIONS_KEPT = 20_000;
/**
 * Credit decisions already made, per compiled version: a decision depends only on its facts, and a
 * version never changes, so a reminder run over thousands of people decides each situation (this
 * course on this day, never credited before) once rather than once per person.
 */
const decidedByVersion = new WeakMap<CompiledRuleSet, Map<string, Promise<CandidateCredit>>>();

/**
 * Asks the rule set what a candidate would credit this person: the `training` facts of a completion
 * of its course as it would happen, and the history the registry holds (credited completions of the
 * course earlier that calendar year). Candidates in the same situation (the same course on the same
 * day, say) are decided once.
 */
export function creditAsker(
  rules: CompiledRuleSet,
  credited: Array<{ courseId: number; completedOn: LocalDate }>,
): CreditAsker {
  const grantsNothing = new Set(
    rules.document.rules.flatMap((r) => (r.scope === 'training' && r.event.type === 'credit-none' ? [r.id] : [])),
  );
  let decided = decidedByVersion.get(rules);
  if (!decided) decidedByVersion.set(rules, (decided = new Map()));
  const kept = decided;
  return (course, input) => {
    const facts: TrainingFacts = {
      training: trainingOf(course, input),
      history: {
        creditedCompletionsOfCourseThisYear: credited.filter(
          (c) =>
            c.courseId === course.id &&
            yearOf(c.completedOn) === yearOf(input.completedOn) &&
            compareDates(c.completedOn, input.completedOn) <= 0,
        ).length,
        // Not known ahead: the person chooses whether to finish another online course first.
        overlapsAnotherCourseInProgress: false,
      },
    };
    const key = JSON.stringify(facts);
    let credit = kept.get(key);
    if (!credit) {
      if (kept.size >= DECISIONS_KEPT) kept.clear();
      credit = rules.decideCredit(facts).then((d) => ({
        hours: d.creditedHours,
        none: d.reasons.some((r) => grantsNothing.has(r.ruleId)),
        reasons: d.reasons.map((r) => r.text),
      }));
      kept.set(key, credit);
      // A failed decision is not remembered.
      credit.catch(() => kept.delete(key));
    }
    return credit;
  };
}

/**
 * As attendance will judge an event completed on `completedOn` (its last session's day): whether
 * its trainer holds an instructor certification for the course's CPR model on that day; null when
 * the course has no model or the event no trainer.
 */
export function trainerCertifiedForEvent(
  course: CourseForCredit,
  event: EventForCredit,
  completedOn: LocalDate,
): boolean | null {
  return course.cpr_model && event.trainerUserId !== null
    ? event.certifiedUntil !== null && compareDates(event.certifiedUntil, completedOn) >= 0
    : null;
}

const refusedByVersion = new WeakMap<CompiledRuleSet, Map<string, Promise<boolean>>>();

/**
 * Whether the enrollment rules refuse a person starting an online course now (DESE courses one at
 * a time, say). Remembered per version like credit: the answer depends only on the facts.
 */
export function enrollmentRefused(rules: CompiledRuleSet, facts: EnrollmentFacts): Promise<boolean> {
  let kept = refusedByVersion.get(rules);
  if (!kept) refusedByVersion.set(rules, (kept = new Map()));
  const key = JSON.stringify(facts);
  let refused = kept.get(key);
  if (!refused) {
    if (kept.size >= DECISIONS_KEPT) kept.clear();
    const remembered = kept;
    refused = rules.enrollmentRefusals(facts).then((reasons) => reasons.length > 0);
    kept.set(key, refused);
    refused.catch(() => remembered.delete(key));
  }
  return refused;
}
