/**
 * Worked cases for every credit rule of rule set v1, written out by hand from seed 001 (DESE's
 * professional-development page): the facts of one training, and the hours and reasons expected.
 */
import { describe, expect, it } from 'vitest';
import { compileRuleSet, type TrainingFacts } from '../../rules/engine.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { localDateOf } from '../../rules/dates.js';
import { trainingFacts } from '../support/trainingFacts.js';

const v1 = compileRuleSet(shippedRuleSets[0]!);

type Case = {
  name: string;
  training?: Partial<TrainingFacts['training']>;
  history?: Partial<TrainingFacts['history']>;
  credited: number;
  reasons: string[];
};


const cpr = { topic: 'cpr-first-aid', cprModel: 'American Red Cross', trainerHasInstructorCertification: true, hours: 6 } as const;
const deseOnline = { sponsor: 'DESE OOC', delivery: 'online', source: 'online_course', hours: 2, registeredOn: '2025-06-10' } as const;

const cases: Case[] = [
  { name: 'approved in-person training earns all its hours', credited: 3, reasons: [] },
  { name: 'training DESE has not approved earns nothing', training: { approved: false }, credited: 0, reasons: ['not-approved'] },
  { name: 'in-person CPR from an accepted model with a certified trainer earns all its hours', training: { ...cpr, delivery: 'in_person' }, credited: 6, reasons: [] },
  { name: 'online-only CPR earns nothing', training: { ...cpr, delivery: 'online', source: 'online_course' }, credited: 0, reasons: ['cpr-online-only'] },
  { name: 'blended CPR earns its in-person part only', training: { ...cpr, delivery: 'blended', inPersonHours: 2.5 }, credited: 2.5, reasons: ['cpr-blended-in-person-only'] },
  ...['American Heart Association', 'American Trauma Event Management (ATEM)', 'Emergency Care and Safety Institute', 'National Safety Council', 'ProTrainings', 'Health and Safety Institute (HSI)'].map(
    (model): Case => ({ name: `CPR from ${model} is accepted`, training: { ...cpr, cprModel: model }, credited: 6, reasons: [] }),
  ),
  { name: 'in-person CPR attended in part earns nothing', training: { ...cpr, delivery: 'in_person', hours: 4, courseHours: 6 }, credited: 0, reasons: ['cpr-partial-attendance'] },
  { name: 'other training attended in part earns the hours attended', training: { hours: 2, courseHours: 3 }, credited: 2, reasons: [] },
  { name: 'CPR from a model the seed does not list earns nothing', training: { ...cpr, cprModel: 'Acme Lifesaving' }, credited: 0, reasons: ['cpr-model-not-accepted'] },
  { name: 'CPR whose model is unknown earns nothing', training: { ...cpr, cprModel: null }, credited: 0, reasons: ['cpr-model-not-accepted'] },
  { name: 'CPR attendance from a trainer without an uploaded instructor certification earns nothing', training: { ...cpr, trainerHasInstructorCertification: false }, credited: 0, reasons: ['cpr-trainer-not-certified'] },
  { name: 'CPR approved through an individual request needs no trainer certification in MOPD', training: { ...cpr, source: 'individual_request', trainerHasInstructorCertification: null }, credited: 6, reasons: [] },
  { name: 'a DESE online course completed in the year registered earns its hours', training: { ...deseOnline, completedOn: '2025-12-31' }, credited: 2, reasons: [] },
  { name: 'a DESE online course completed after Dec 31 of the year registered earns nothing', training: { ...deseOnline, completedOn: '2026-01-01' }, credited: 0, reasons: ['dese-course-completed-after-year-end'] },
  {
    name: 'a DESE course finished at 23:59 on Dec 31 in Missouri counts for that year, though it is Jan 1 in UTC',
    training: { ...deseOnline, completedOn: localDateOf(new Date('2026-01-01T05:59:00Z')) },
    credited: 2,
    reasons: [],
  },
  { name: 'the same DESE course a second time in one calendar year earns nothing', training: { ...deseOnline, completedOn: '2025-09-01' }, history: { creditedCompletionsOfCourseThisYear: 1 }, credited: 0, reasons: ['dese-course-already-credited-this-year'] },
  { name: 'the same DESE course again the next year earns its hours', training: { ...deseOnline, registeredOn: '2026-01-05', completedOn: '2026-02-01' }, history: { creditedCompletionsOfCourseThisYear: 0 }, credited: 2, reasons: [] },
  { name: 'a DESE course completed while another course was in progress earns nothing', training: { ...deseOnline, completedOn: '2025-07-01' }, history: { overlapsAnotherCourseInProgress: true }, credited: 0, reasons: ['dese-course-overlapped-another'] },
  { name: 'an online module used to train a group earns nothing', training: { delivery: 'online', usedForGroup: true }, credited: 0, reasons: ['online-module-used-for-group'] },
  { name: 'an in-person session for a group is fine', training: { delivery: 'in_person', usedForGroup: true }, credited: 3, reasons: [] },
  { name: 'hours while in ratio with children earn nothing', training: { inRatio: true }, credited: 0, reasons: ['in-ratio-with-children'] },
  { name: 'every reason is kept when several rules cut the same training', training: { ...cpr, delivery: 'online', source: 'online_course', cprModel: 'Acme Lifesaving', approved: false }, credited: 0, reasons: ['not-approved', 'cpr-online-only', 'cpr-model-not-accepted'] },
];

describe('credit rules of rule set v1', () => {
  it.each(cases)('$name', async ({ training, history, credited, reasons }) => {
    const decision = await v1.decideCredit(trainingFacts(training, history));
    expect(decision.creditedHours).toBe(credited);
    expect(decision.reasons.map((r) => r.code).sort()).toEqual([...reasons].sort());
    for (const reason of decision.reasons) expect(reason.text.length).toBeGreaterThan(30);
    expect(decision).toMatchObject({ ruleSet: 'mopd-compliance', version: 1 });
  });
});

describe('starting an online course (enrollment rules)', () => {
  const deseCourse = { sponsor: 'DESE OOC', delivery: 'online', topic: 'guidance' } as const;
  it('refuses a DESE online course while another online course is in progress, saying why', async () => {
    const reasons = await v1.enrollmentRefusals({ course: deseCourse, learner: { onlineCoursesInProgress: 1 } });
    expect(reasons.map((r) => r.code)).toEqual(['finish-course-in-progress-first']);
    expect(reasons[0]!.text).toMatch(/one at a time/);
  });
  it('allows it when nothing else is in progress, and does not limit other sponsors’ courses', async () => {
    expect(await v1.enrollmentRefusals({ course: deseCourse, learner: { onlineCoursesInProgress: 0 } })).toEqual([]);
    expect(await v1.enrollmentRefusals({ course: { ...deseCourse, sponsor: 'Child Care Aware of Missouri' }, learner: { onlineCoursesInProgress: 2 } })).toEqual([]);
  });
});
