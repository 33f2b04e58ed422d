/**
 * An individual training request: credit for training taken outside MOPD, with proof. Only the
 * exceptions the rule set lists may be submitted (its `request` rules). Approval records the
 * training like any other path does (services/training.ts `recordTraining`): the credit is decided
 * by the version in effect on the completion date, from the same history facts (earlier credited
 * completions of the course this year, overlaps), and the records it changes are decided again.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { findCase } from '../../db/cases.js';
import { unmetDeadlinesForTopic } from '../../db/deadlines.js';
import type { CourseRow, DeadlineRow } from '../../db/rows.js';
import { ruleSetInEffect } from '../../db/ruleSets.js';
import { findCourse } from '../../db/trainingRecords.js';
import { trainingRequestSubmission, type TrainingRequestSubmission } from '../../rules/caseSubmissions.js';
import { localDateOf } from '../../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { creditFacts } from '../credit.js';
import { DomainError } from '../errors.js';
import { recordTraining } from '../training.js';
import { check, creditCheck, documentCount, type CheckResult, type RuleSetVersion } from './checks.js';
import type { CaseKind } from './kind.js';

/** The training as the request describes it, as a course for the credit rules. */
const describedCourse = (s: TrainingRequestSubmission) => ({
  approved: true,
  delivery: s.delivery,
  topic: s.topic,
  sponsor: s.provider,
  clock_hours: s.hours,
  in_person_hours: s.delivery === 'blended' ? (s.inPersonHours ?? null) : null,
  cpr_model: s.cprModel ?? null,
});

/** The catalog course a request names, refused in words when there is none or the hours exceed it. */
async function namedCourse(db: Db | Knex.Transaction, s: TrainingRequestSubmission): Promise<CourseRow | null> {
  if (s.courseId === undefined) return null;
  const course = await findCourse(db, s.courseId);
  if (!course) throw new DomainError('Invalid', `No course with id ${s.courseId}`, 'courseId');
  if (s.hours > Number(course.clock_hours))
    throw new DomainError('Invalid', `must be at most the course's ${course.clock_hours} clock hours`, 'hours');
  return course;
}

/**
 * Why the rule set refuses the request's exception category; empty when it lists it. A request
 * stored before requests named a category (issue 18) has none: its reviewer judges it as before.
 */
async function categoryRefusals(rules: RuleSetVersion, s: TrainingRequestSubmission) {
  const category = (s as Partial<TrainingRequestSubmission>).category;
  if (category === undefined) return [];
  return rules.requestRefusals({ request: { category } });
}

export const trainingRequest = {
  submission: trainingRequestSubmission,

  /**
   * Refused before it is saved: a category the rule set in effect today does not list (with the
   * rule's reason), or a catalog course that does not exist. Asking twice is for the reviewer to judge.
   */
  async beforeSubmission(db, { submission }) {
    const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, localDateOf(new Date()));
    const [refusal] = await categoryRefusals(rules, submission);
    if (refusal) throw new DomainError('Invalid', refusal.text, 'category');
    await namedCourse(db, submission);
  },

  async automaticChecks({ db, c, rules }) {
    const s = c.submission;
    const proof = await documentCount(db, c.id);
    const proofPresent = check(
      'proof-present',
      proof > 0,
      'needs_information',
      { message: 'Proof of completion attached.', key: 'proofPresent' },
      { message: 'Attach proof of completion (a certificate or transcript).', key: 'proofPresent' },
    );
    // A category the rule set stopped listing since the request was made is refused on a re-check.
    const refused: CheckResult[] = (await categoryRefusals(rules, s)).map((reason) => ({
      check: `request-${reason.code}`,
      passed: false,
      message: reason.text,
      onFailure: 'refuse',
    }));
    // Would this completion earn hours? The credit rules of the version in effect on the completion
    // date answer, from what the registry holds already (as approval will decide it).
    const onCompletion = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, s.completedOn);
    const course = s.courseId !== undefined ? await findCourse(db, s.courseId) : undefined;
    const credit = course
      ? await creditCheckWithHistory(db, onCompletion, c.professional_id!, course, s)
      : await creditCheck(onCompletion, describedCourse(s), {
          completedOn: s.completedOn,
          hours: s.hours,
          source: 'individual_request',
          inRatio: s.inRatio,
        });
    return [proofPresent, ...refused, ...credit];
  },

  async grant({ trx, c, publicUrl }) {
    const s = c.submission;
    let courseId = (await namedCourse(trx, s))?.id;
    if (courseId === undefined) {
      const [row] = await trx('courses')
        .insert({
          title: s.title,
          description: 'Approved through an individual training request',
          approved_by_case_id: c.id,
          ...describedCourse(s),
        })
        .returning<Array<{ id: number }>>('id');
      courseId = Number(row!.id);
    }
    // The same path as every other record: credit by the version in effect on the completion date,
    // from the registry's history; later records of the course decided again; compliance refreshed.
    await recordTraining(
      trx,
      {
        professionalId: c.professional_id!,
        courseId,
        completedOn: s.completedOn,
        hours: s.hours,
        source: 'individual_request',
        inRatio: s.inRatio,
      },
      // The reviewer deciding holds the case.
      { actorUserId: c.assignee_user_id, publicUrl },
    );
    return null;
  },
} satisfies CaseKind<'training_request'>;

/** The credit check for a catalog course, with the person's history of it (once a year, overlaps). */
async function creditCheckWithHistory(
  db: Db,
  rules: RuleSetVersion,
  professionalId: number,
  course: CourseRow,
  s: TrainingRequestSubmission,
): Promise<CheckResult[]> {
  const facts = await creditFacts(db, {
    professionalId,
    course,
    completedOn: s.completedOn,
    hours: s.hours,
    source: 'individual_request',
    inRatio: s.inRatio,
  });
  const credit = await rules.decideCredit(facts);
  if (credit.creditedHours === 0)
    return credit.reasons.map((reason) => ({
      check: `credit-${reason.code}`,
      passed: false,
      message: reason.text,
      onFailure: 'refuse' as const,
    }));
  return [
    {
      check: 'credit',
      passed: true,
      message: `${credit.creditedHours} of its ${s.hours} hours would earn credit under rule set version ${rules.version}.`,
      onFailure: 'refuse',
    },
  ];
}

/**
 * The deadlines an approved training request may meet: their workflows are woken once the decision
 * is committed (activities/cases.ts), as the API does for attendance and other records.
 */
export async function deadlinesWokenByDecision(db: Db, caseId: number): Promise<DeadlineRow[]> {
  const c = await findCase(db, caseId);
  if (!c || c.type !== 'training_request' || c.status !== 'approved' || c.professional_id === null) return [];
  // As stored when it was submitted (a request from before issue 18 has no category nor course).
  const s = c.submission as Partial<TrainingRequestSubmission>;
  const topic = s.courseId !== undefined ? ((await findCourse(db, s.courseId))?.topic ?? s.topic) : s.topic;
  if (topic === undefined) return [];
  return unmetDeadlinesForTopic(db, c.professional_id, topic);
}
