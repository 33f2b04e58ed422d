/**
 * Every activity the worker registers is safe to run twice with the same input, as Temporal does
 * when a worker dies after the activity's work committed but before its completion reached the
 * server: the second run changes nothing in PostgreSQL (every table's rows, the outbox, the audit
 * log and case timelines included) and answers what the first answered. The list of cases is
 * checked against the keys of createActivities, so a new activity cannot be added without one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSetting } from '../../db/settings.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type Activities } from '../../activities/index.js';
import { importWorkflowsOverClient } from '../../services/workflowClient.js';
import { createRuleSetVersions } from '../../services/ruleSetVersions.js';
import { createRegistrations } from '../../services/registrations.js';
import { recordTraining } from '../../services/training.js';
import { previewBatch, startApplying } from '../../services/legacyImport/index.js';
import { createCase } from '../../db/cases.js';
import { createEvent } from '../../db/events.js';
import { addCredential } from '../../db/profile.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import type { CaseStatus, CaseType } from '../../rules/domain.js';
import type { Db } from '../../db/connection.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, type TestUser } from '../support/app.js';
import { aCourse, anEmployment, anOrganization, aProfessional, aSafeSleepCourse } from '../support/fixtures.js';
import { snapshotTables, tableDifferences } from '../support/snapshot.js';

let database: TestDatabase;
let db: Db;
let activities: Activities;
const today = localDateOf(new Date());
const at = new Date().toISOString();

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  // One person drafts and publishes in this test; four eyes are tested in ruleSetFourEyes.test.ts.
  await upsertSetting(db, 'rule_set_single_person_publication', true);
  activities = createActivities({ db, publicUrl: 'http://mopd.test', importWorkflows: importWorkflowsOverClient });
});
afterAll(async () => {
  await database?.drop();
});

type Name = keyof Activities;
/** Builds the world an activity acts on and returns its input (the same both times). */
type Prepare = () => Promise<unknown>;

/** People every case may use: an applicant with an MOPD ID, a lead reviewer, a director. */
let applicant: TestUser;
let reviewer: TestUser;

async function aCase(
  type: CaseType,
  over: {
    status?: CaseStatus;
    assigneeUserId?: number | null;
    submission?: unknown;
    professionalId?: number | null;
  } = {},
) {
  const submission =
    over.submission ??
    (type === 'organization_claim'
      ? { organizationId: (await anOrganization(db)).id, position: 'Director', message: '' }
      : {
          title: 'Infant CPR at the community college',
          provider: 'Columbia College',
          topic: 'health-safety',
          completedOn: addDays(today, -10),
          hours: 3,
          delivery: 'in_person',
          proof: [],
        });
  const c = await db.transaction((trx) =>
    createCase(trx, {
      type,
      applicantUserId: applicant.user.id,
      professionalId: over.professionalId ?? applicant.professionalId,
      title: `Case ${randomUUID().slice(0, 6)}`,
      submission,
      documents: [],
      ruleSet: 'mopd-compliance',
      ruleSetVersion: 1,
      workflowIdOf: (id) => `case-idempotency-${id}`,
    }),
  );
  if (over.status)
    await db('cases')
      .where({ id: c.id })
      .update({
        status: over.status,
        assignee_user_id: over.assigneeUserId ?? null,
        assigned_at: over.assigneeUserId ? new Date() : null,
      });
  return c;
}

/** An employment at a licensed program serving infants, its safe-sleep deadline planned, and a director there. */
async function aPlannedDeadline(hireDaysAgo: number) {
  const organization = await anOrganization(db);
  await anEmployment(db, await aProfessional(db), organization, addDays(today, -1000), 'director');
  const person = await aProfessional(db);
  const employment = await anEmployment(db, person, organization, addDays(today, -hireDaysAgo));
  const [planned] = await activities.planHireDeadlines({
    employmentId: employment.id,
    workflowId: `employment-deadlines-${employment.id}`,
  });
  return { person, employment, deadlineId: planned!.deadlineId };
}

/** The publication waiting for its date, or a new one: version 2 like version 1, validated, from today. */
async function aScheduledPublication(): Promise<number> {
  const scheduled = await db('rule_set_publications')
    .where({ status: 'scheduled' })
    .first<{ id: number } | undefined>('id');
  if (scheduled) return Number(scheduled.id);
  const policy = await aUser(db, ['policy_staff']);
  const versions = createRuleSetVersions({ db });
  const existing = await db('rule_set_versions')
    .where({ rule_set: 'mopd-compliance', status: 'validated' })
    .first<{ version: number } | undefined>('version');
  const version =
    existing?.version ??
    (
      await versions.createDraft({
        ruleSet: 'mopd-compliance',
        fromVersion: 1,
        changeNote: 'Unchanged, to publish',
        byUserId: policy.user.id,
      })
    ).version;
  if (!existing)
    expect((await versions.validate({ ruleSet: 'mopd-compliance', version, byUserId: policy.user.id })).status).toBe(
      'validated',
    );
  const { publicationId } = await versions.schedulePublication({
    ruleSet: 'mopd-compliance',
    version,
    effectiveFrom: today,
    byUserId: policy.user.id,
    start: async () => undefined,
  });
  return publicationId;
}

const recomputing = async () =>
  Number((await db('rule_set_publications').where({ status: 'recomputing' }).first<{ id: number }>('id'))!.id);

async function aSimulation(): Promise<number> {
  const [row] = await db('rule_set_simulations')
    .insert({ rule_set: 'mopd-compliance', version: 1, as_of: today, workflow_id: `simulation-${randomUUID()}` })
    .returning('id');
  return Number((row as { id: number }).id);
}

/** A previewed legacy batch of two people, marked applying as the API marks it. */
async function aBatchApplying(): Promise<number> {
  const system = `idem-${randomUUID().slice(0, 8)}`;
  const content = [
    'legacy_id,first_name,last_name,email',
    `P-1,Ana,Reyes,ana.${system}@example.org`,
    `P-2,Ben,Okafor,ben.${system}@example.org`,
  ].join('\n');
  const batch = await previewBatch(db, {
    name: system,
    system,
    files: [{ name: 'professionals.csv', content }],
    uploadedBy: null,
  });
  await startApplying(db, batch.id);
  return batch.id;
}

async function anEventWithASeat() {
  const course = await aCourse(db, { delivery: 'online', title: 'Early Literacy Online' });
  const startsAt = new Date(Date.now() + 3 * 86_400_000);
  const event = await createEvent(db, {
    course,
    capacity: 5,
    onlineUrl: 'https://meet.example/literacy',
    sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), hours: 2 }],
  });
  await createRegistrations({ db, publicUrl: 'http://mopd.test' }).register({
    eventId: event.id,
    professionalId: (await aProfessional(db)).id,
    byUserId: null,
  });
  return event.id;
}

/** An approved trainer application whose term ends soon, as the trainer's row says. */
async function anApprovedTrainer() {
  const c = await aCase('trainer_application', {
    submission: { specialties: [], regions: [], certifications: [], documents: [] },
  });
  const until = addDays(today, 30);
  await db('cases').where({ id: c.id }).update({ status: 'approved', approval_expires_on: until });
  await db('trainers')
    .insert({
      user_id: applicant.user.id,
      approved_until: until,
      approved_by_case_id: c.id,
      specialties: [],
      regions: [],
    })
    .onConflict('user_id')
    .merge();
  await db('user_roles')
    .insert({ user_id: applicant.user.id, role: 'trainer' })
    .onConflict(['user_id', 'role'])
    .ignore();
  return c.id;
}

const CASES: Record<Name, Prepare> = {
  planHireDeadlines: async () => {
    const employment = await anEmployment(db, await aProfessional(db), await anOrganization(db), addDays(today, -5));
    return { employmentId: employment.id, workflowId: `employment-deadlines-${employment.id}` };
  },
  planCredentialRenewal: async () => {
    const card = await addCredential(db, (await aProfessional(db)).id, {
      kind: 'cpr_first_aid_card',
      issuer: 'American Red Cross',
      issuedOn: addDays(today, -700),
      expiresOn: addDays(today, 30),
    });
    return { credentialId: card.id, workflowId: `credential-renewal-${card.id}` };
  },
  checkDeadline: async () => {
    const { person, deadlineId } = await aPlannedDeadline(10);
    await recordTraining(
      db,
      {
        professionalId: person.id,
        courseId: (await aSafeSleepCourse(db)).id,
        completedOn: addDays(today, -1),
        source: 'online_course',
      },
      { actorUserId: null },
    );
    return { deadlineId, at };
  },
  sendDeadlineReminder: async () => ({ deadlineId: (await aPlannedDeadline(25)).deadlineId }),
  markDeadlineOverdue: async () => ({ deadlineId: (await aPlannedDeadline(40)).deadlineId }),

  openCase: async () => {
    const c = await aCase('organization_claim');
    return { caseId: c.id, workflowId: c.workflow_id };
  },
  resumeCase: async () => {
    const c = await aCase('organization_claim', { status: 'in_review' });
    return { caseId: c.id, workflowId: c.workflow_id };
  },
  runAutomaticChecks: async () => {
    const c = await aCase('training_request');
    return { caseId: c.id, underCurrentRules: false, actorUserId: null, at, key: `${c.workflow_id}#1-checks` };
  },
  enterReview: async () => {
    const c = await aCase('organization_claim');
    return { caseId: c.id, usedMinutes: 0, at, key: `${c.workflow_id}#2-review` };
  },
  assignCase: async () => {
    const c = await aCase('organization_claim', { status: 'in_review' });
    return {
      caseId: c.id,
      toUserId: reviewer.user.id,
      byUserId: reviewer.user.id,
      how: 'claimed',
      key: `${c.workflow_id}#3-claim`,
    };
  },
  requestInformation: async () => {
    const c = await aCase('training_request', { status: 'in_review', assigneeUserId: reviewer.user.id });
    return {
      caseId: c.id,
      reviewerUserId: reviewer.user.id,
      message: 'Please attach the certificate.',
      reviewStartedAt: new Date(Date.now() - 3_600_000).toISOString(),
      usedMinutes: 0,
      at,
      key: `${c.workflow_id}#3-information`,
    };
  },
  answerInformation: async () => {
    const c = await aCase('training_request', { status: 'information_requested', assigneeUserId: reviewer.user.id });
    return {
      caseId: c.id,
      applicantUserId: applicant.user.id,
      message: 'Attached now.',
      uploadIds: [],
      key: `${c.workflow_id}#4-answer`,
    };
  },
  remindCase: async () => {
    const c = await aCase('organization_claim', { status: 'in_review', assigneeUserId: reviewer.user.id });
    return { caseId: c.id, stage: 'decision', key: `${c.workflow_id}#3-remind` };
  },
  escalateCase: async () => {
    const c = await aCase('organization_claim', { status: 'in_review', assigneeUserId: reviewer.user.id });
    return { caseId: c.id, key: `${c.workflow_id}#4-escalate` };
  },
  decideCase: async () => {
    // An approved training request grants the most: a course, a credited training record, compliance.
    const c = await aCase('training_request', { status: 'in_review', assigneeUserId: reviewer.user.id });
    return {
      caseId: c.id,
      reviewerUserId: reviewer.user.id,
      decision: 'approved',
      reasons: ['Certificate checked.'],
      at,
      key: `${c.workflow_id}#3-approved`,
    };
  },
  closeCase: async () => {
    const c = await aCase('organization_claim', { status: 'in_review', assigneeUserId: reviewer.user.id });
    return {
      caseId: c.id,
      status: 'withdrawn',
      actorUserId: applicant.user.id,
      note: 'Changed my mind',
      key: `${c.workflow_id}#3-withdraw`,
    };
  },
  postMessage: async () => {
    const c = await aCase('organization_claim', { status: 'in_review', assigneeUserId: reviewer.user.id });
    return {
      caseId: c.id,
      authorUserId: applicant.user.id,
      body: 'Is anything missing?',
      key: `${c.workflow_id}-message-${randomUUID()}`,
    };
  },
  trainerApprovalTerm: async () => ({ caseId: await anApprovedTrainer() }),
  remindTrainerRenewal: async () => {
    const caseId = await anApprovedTrainer();
    return { caseId, key: `case-idempotency-${caseId}#9-renewal-due` };
  },
  expireTrainerApproval: async () => {
    const caseId = await anApprovedTrainer();
    return { caseId, key: `case-idempotency-${caseId}#10-approval-expired` };
  },

  planEventReminder: async () => ({ eventId: await anEventWithASeat(), at }),
  sendEventReminders: async () => ({ eventId: await anEventWithASeat(), at }),

  planPublication: async () => ({ publicationId: await aScheduledPublication() }),
  cancelScheduledPublication: async () => ({ publicationId: await aScheduledPublication(), at }),
  switchRuleSetVersion: async () => ({ publicationId: await aScheduledPublication(), at }),
  // The publication the step before switched in, still recomputing.
  recomputeForPublication: async () => ({ publicationId: await recomputing(), at }),
  finishPublication: async () => ({ publicationId: await recomputing(), at }),

  runSimulation: async () => ({ simulationId: await aSimulation() }),
  failSimulation: async () => ({ simulationId: await aSimulation(), error: 'The worker ran out of memory' }),

  applyImportBatch: async () => ({ batchId: await aBatchApplying(), actorUserId: null }),
  failImportBatch: async () => ({ batchId: await aBatchApplying(), error: 'The worker ran out of memory' }),

  applySettingsForRollover: async () => ({ asOf: today }),
  recomputeRolloverBatch: async () => ({ asOf: addDays(today, 1), afterId: 0, limit: 5000 }),
  sendRemindersBatch: async () => {
    // Someone with no hours a week before the year ends: their 7-day reminder (email and notification).
    const person = await aProfessional(db);
    await anEmployment(db, person, await anOrganization(db), addDays(today, -400));
    return { asOf: `${today.slice(0, 4)}-12-24`, afterId: person.id - 1, limit: 1 };
  },
  sendDirectorDigestBatch: async () => {
    // A director whose one staff member has credited nothing: their digest says so.
    const director = await aUser(db, ['director']);
    const center = await anOrganization(db);
    await db('organization_claims').insert({
      organization_id: center.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    await anEmployment(db, await aProfessional(db), center, addDays(today, -400));
    return { asOf: today, afterUserId: director.user.id - 1, limit: 1 };
  },
};

/** Runs an activity as the worker does: inside an activity context (heartbeats go nowhere). */
async function runActivity(name: Name, input: unknown): Promise<unknown> {
  const fn = activities[name] as (input: unknown) => Promise<unknown>;
  return new MockActivityEnvironment().run(fn, input);
}

describe('every activity run twice with the same input', () => {
  beforeAll(async () => {
    applicant = await aUser(db, ['professional']);
    reviewer = await aUser(db, ['reviewer']);
    await db('reviewer_profiles').insert({
      user_id: reviewer.user.id,
      is_lead: true,
      accepts_automatic_assignment: true,
    });
    // A registry to recompute and simulate: a person at a licensed program with a credited training.
    const person = await aProfessional(db);
    await anEmployment(db, person, await anOrganization(db, { serves_infants: false }), addDays(today, -400));
    await recordTraining(
      db,
      {
        professionalId: person.id,
        courseId: (await aCourse(db)).id,
        completedOn: addDays(today, -30),
        source: 'attendance',
      },
      { actorUserId: null },
    );
  });

  it('sees a changed row, an added row and a removed row (the comparison can fail)', async () => {
    const before = await snapshotTables(db);
    const [row] = await db('outbox')
      .insert({
        dedupe_key: `probe-${randomUUID()}`,
        template: 'probe',
        to_address: 'probe@example.org',
        subject: 'Probe',
        body_text: 'Probe',
        body_html: '<p>Probe</p>',
      })
      .returning('id');
    const id = (row as { id: number }).id;
    expect(
      tableDifferences(before, await snapshotTables(db)).map((d) => [d.table, d.added.length, d.gone.length]),
    ).toEqual([['outbox', 1, 0]]);
    const withProbe = await snapshotTables(db);
    await db('outbox').where({ id }).update({ subject: 'Changed' });
    expect(
      tableDifferences(withProbe, await snapshotTables(db)).map((d) => [d.table, d.added.length, d.gone.length]),
    ).toEqual([['outbox', 1, 1]]);
    await db('outbox').where({ id }).delete();
    expect(tableDifferences(before, await snapshotTables(db))).toEqual([]);
  });

  it('has a case for every activity the worker registers', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(activities).sort());
  });

  // In the order of the record above: publication steps build on one another.
  for (const name of Object.keys(CASES) as Name[]) {
    it(`${name}: the second run changes nothing and answers the same`, async () => {
      const input = await CASES[name]();
      const first = await runActivity(name, input);
      const afterFirst = await snapshotTables(db);
      const second = await runActivity(name, input);
      const afterSecond = await snapshotTables(db);
      expect(tableDifferences(afterFirst, afterSecond)).toEqual([]);
      expect(second).toEqual(first);
    });
  }

  it('each case did something the first time (a case that changes nothing proves nothing)', async () => {
    // The steps' own traces: timeline events, emails, audit rows for the writers among them.
    const kinds = (await db('case_events').distinct('kind').pluck('kind')) as string[];
    expect(kinds).toEqual(
      expect.arrayContaining([
        'checked',
        'assigned',
        'claimed',
        'information_requested',
        'information_given',
        'reminded',
        'escalated',
        'approved',
        'withdrawn',
        'message',
        'approval_expiring',
        'approval_expired',
      ]),
    );
    const templates = (await db('outbox').distinct('template').pluck('template')) as string[];
    expect(templates).toEqual(
      expect.arrayContaining([
        'case-notice',
        'deadline-reminder',
        'deadline-overdue',
        'staff-deadline-overdue',
        'registration-reminder',
      ]),
    );
    expect(await db('deadlines').whereIn('status', ['met', 'overdue']).count('* as n')).toEqual([{ n: 2 }]);
    expect(await db('training_records').where({ source: 'individual_request' }).count('* as n')).toEqual([{ n: 1 }]);
    expect((await db('rule_set_publications').pluck('status')).sort()).toEqual(['cancelled', 'completed']);
    expect((await db('rule_set_simulations').pluck('status')).sort()).toEqual(['completed', 'failed']);
  });
});
