/** An individual training request: credit for training taken outside MOPD, with proof. Approval records the training. */
import { insertTrainingRecord } from '../../db/trainingRecords.js';
import { ruleSetVersion } from '../../db/ruleSets.js';
import { trainingRequestSubmission, type TrainingRequestSubmission } from '../../rules/caseSubmissions.js';
import { refreshCompliance } from '../compliance.js';
import { trainingOf } from '../credit.js';
import { check, creditCheck, documentCount } from './checks.js';
import type { CaseKind } from './kind.js';

/** The training as a course, for the credit rules. */
const courseOf = (s: TrainingRequestSubmission) => ({
  approved: true,
  delivery: s.delivery,
  topic: s.topic,
  sponsor: s.provider,
  clock_hours: s.hours,
  in_person_hours: s.delivery === 'blended' ? (s.inPersonHours ?? null) : null,
  cpr_model: s.cprModel ?? null,
});

export const trainingRequest = {
  submission: trainingRequestSubmission,

  // Only a person with an MOPD ID asks (the API checks it with the request); asking twice is for the reviewer to judge.
  async beforeSubmission() {},

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
    // Would this completion earn hours? The credit rules of the pinned version answer.
    return [
      proofPresent,
      ...(await creditCheck(rules, courseOf(s), {
        completedOn: s.completedOn,
        hours: s.hours,
        source: 'individual_request',
      })),
    ];
  },

  async grant({ trx, c, now }) {
    const s = c.submission;
    const rules = await ruleSetVersion(trx, c.rule_set, c.rule_set_version);
    const course = courseOf(s);
    const [courseRow] = await trx('courses')
      .insert({
        title: s.title,
        description: 'Approved through an individual training request',
        approved_by_case_id: c.id,
        ...course,
      })
      .returning('id');
    const credit = await rules.decideCredit({
      training: trainingOf(course, { completedOn: s.completedOn, hours: s.hours, source: 'individual_request' }),
      history: { creditedCompletionsOfCourseThisYear: 0, overlapsAnotherCourseInProgress: false },
    });
    await insertTrainingRecord(trx, {
      professionalId: c.professional_id!,
      courseId: (courseRow as { id: number }).id,
      title: s.title,
      topic: s.topic,
      completedOn: s.completedOn,
      hours: s.hours,
      source: 'individual_request',
      credit,
      circumstances: { cprModel: s.cprModel ?? null },
    });
    await refreshCompliance(trx, c.professional_id!, now());
    return null;
  },
} satisfies CaseKind<'training_request'>;
