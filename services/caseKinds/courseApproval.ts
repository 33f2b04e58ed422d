/** A course submitted by an approved trainer; approval puts it in the catalog. */
import { courseSubmission, type CourseSubmission } from '../../rules/caseSubmissions.js';
import { check, creditCheck } from './checks.js';
import type { CaseKind } from './kind.js';

/**
 * The catalog row an approved course application makes, as far as a reviewer's approval and the
 * legacy importer both write it (the importer adds its legacy stamp; an approval here adds the
 * description, materials and the online course's time settings, which old systems do not carry).
 */
export function approvedCourseOf(s: CourseSubmission, trainerUserId: number, caseId: number) {
  return {
    title: s.title,
    sponsor: s.sponsor,
    topic: s.topic,
    delivery: s.delivery,
    clock_hours: s.clockHours,
    in_person_hours: s.delivery === 'blended' ? (s.inPersonHours ?? null) : null,
    cpr_model: s.cprModel ?? null,
    approved: true,
    trainer_user_id: trainerUserId,
    level: s.level,
    fee_cents: s.feeCents,
    approved_by_case_id: caseId,
  };
}

export const courseApproval = {
  submission: courseSubmission,

  // Only trainers submit (the route's policy); whether they are approved now is an automatic check.
  async beforeSubmission() {},

  async automaticChecks({ db, c, rules, today }) {
    const s = c.submission;
    const trainer = await db('trainers')
      .where({ user_id: c.applicant_user_id })
      .where('approved_until', '>=', today)
      .first('user_id');
    const approvedTrainer = check(
      'approved-trainer',
      trainer !== undefined,
      'refuse',
      { message: 'Submitted by an approved trainer.', key: 'approvedTrainer' },
      { message: 'Only approved trainers submit courses; apply as a trainer first.', key: 'approvedTrainer' },
    );
    const certified = s.cprModel
      ? (await db('trainer_certifications')
          .where({ trainer_user_id: c.applicant_user_id, model: s.cprModel })
          .where('expires_on', '>=', today)
          .first('id')) !== undefined
      : null;
    const course = {
      approved: true,
      delivery: s.delivery,
      topic: s.topic,
      sponsor: s.sponsor,
      clock_hours: s.clockHours,
      in_person_hours: s.delivery === 'blended' ? (s.inPersonHours ?? null) : null,
      cpr_model: s.cprModel ?? null,
    };
    // Would a completion of this course earn hours? The credit rules of the pinned version answer.
    return [
      approvedTrainer,
      ...(await creditCheck(rules, course, {
        completedOn: today,
        hours: s.clockHours,
        source: 'attendance',
        trainerHasInstructorCertification: certified,
      })),
    ];
  },

  async grant({ trx, c }) {
    const s = c.submission;
    await trx('courses').insert({
      ...approvedCourseOf(s, c.applicant_user_id, c.id),
      description: s.description,
      materials: s.materials,
      // What the reviewer approved about time: the minimum and the knowledge check's attempts and wait.
      minimum_minutes: s.minimumMinutes ?? null,
      ...(s.knowledgeCheckAttempts !== undefined ? { knowledge_check_attempts: s.knowledgeCheckAttempts } : {}),
      ...(s.knowledgeCheckWaitMinutes !== undefined
        ? { knowledge_check_wait_minutes: s.knowledgeCheckWaitMinutes }
        : {}),
    });
    return null;
  },
} satisfies CaseKind<'course_approval'>;
