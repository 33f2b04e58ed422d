/**
 * The four approval-case workflows on the time-skipping server, with their real activities
 * against PostgreSQL: automatic checks, review, requests for information, lapses, service-level
 * reminders and escalation, decisions through validated updates, and trainer approvals expiring.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ActivityFailure,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type ApplicationFailure,
} from '@temporalio/client';
import { createCase, findCase, type CaseRow } from '../../db/cases.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import type { CaseType, UploadPurpose } from '../../rules/domain.js';
import {
  answerUpdate,
  CASE_WORKFLOW_TYPES,
  caseViewQuery,
  caseWorkflowId,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  releaseUpdate,
  recheckUpdate,
  requestInformationUpdate,
  withdrawUpdate,
  type CaseView,
} from '../../workflows/approvalCase.js';
import { addDays, addYears } from '../../rules/dates.js';
import { anOrganization } from '../support/fixtures.js';
import { until } from '../support/polling.js';
import { aUser, type TestUser } from '../support/app.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import { publishLicensingHours } from '../support/ruleSets.js';

let t: TimeSkipping;
beforeAll(async () => {
  t = await startTimeSkipping();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  // Each test decides who reviews: nobody is assigned automatically unless the test says so.
  await t.database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
});

const db = () => t.database.db;

async function anUpload(ownerUserId: number, purpose: UploadPurpose = 'document'): Promise<string> {
  const id = randomUUID();
  await db()('uploads').insert({
    id,
    owner_user_id: ownerUserId,
    purpose,
    original_name: 'file.pdf',
    media_type: 'application/pdf',
    size_bytes: 10,
    sha256: 'x',
  });
  return id;
}

async function submit(
  type: CaseType,
  applicantUserId: number,
  submission: unknown,
  extra: {
    documents?: Array<{ uploadId: string; label: string }>;
    professionalId?: number;
    organizationId?: number;
    region?: string;
    title?: string;
    renewsCaseId?: number;
  } = {},
): Promise<CaseRow> {
  return db().transaction((trx) =>
    createCase(trx, {
      type,
      applicantUserId,
      professionalId: extra.professionalId ?? null,
      organizationId: extra.organizationId ?? null,
      region: extra.region ?? null,
      title: extra.title ?? `A ${type}`,
      submission,
      documents: extra.documents ?? [],
      ruleSet: COMPLIANCE_RULE_SET,
      ruleSetVersion: 1,
      renewsCaseId: extra.renewsCaseId ?? null,
      workflowIdOf: (id) => caseWorkflowId(type, id),
    }),
  );
}

const started: string[] = [];
const start = (taskQueue: string, c: CaseRow) => {
  started.push(c.workflow_id);
  return t.env.client.workflow.start(CASE_WORKFLOW_TYPES[c.type], {
    taskQueue,
    workflowId: c.workflow_id,
    args: [{ caseId: c.id }],
  });
};
afterEach(async () => {
  // A workflow left running without its worker would hold the test server's clock still.
  for (const id of started.splice(0)) {
    await t.env.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  }
});
/** Polls until the check passes (the workflow reacts to a timer a moment after the clock gets there). */
async function eventually(check: () => Promise<void>) {
  let failure: unknown;
  const passed = await until(
    () =>
      check().then(
        () => true,
        (error: unknown) => ((failure = error), false),
      ),
    (ok) => ok,
    10_000,
  ).catch(() => false);
  if (!passed) throw failure;
}
const caseRow = async (id: number): Promise<CaseRow> => (await findCase(db(), id))!;
const timeline = async (id: number) =>
  (await db()('case_events').where({ case_id: id }).orderBy('id')).map((e: { kind: string }) => e.kind);
/** Waits until the workflow has the case in a status (the test server runs it on its own). */
/**
 * Until the case's row and its workflow both say `status`: the activity writes the row a moment
 * before the workflow hears it finished, and an update sent in between would meet the old state.
 */
async function untilStatus(id: number, status: string) {
  const reached = async () => {
    const row = await caseRow(id);
    if (row.status !== status) return false;
    const view = await t.env.client.workflow
      .getHandle(row.workflow_id)
      .query(caseViewQuery)
      .catch(() => undefined);
    return !view || view.status === status;
  };
  if (!(await until(reached, (yes) => yes, 10_000).catch(() => false)))
    throw new Error(`case ${id} never reached ${status}; it is ${(await caseRow(id)).status}`);
}
/** The refusal an update's validator gave: its failure type and message. */
async function refusal(promise: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
    return { type: cause.type, message: cause.message };
  }
  throw new Error('the update was accepted');
}

const claimSubmission = (organizationId: number) => ({ organizationId, position: 'Center director', message: '' });

/**
 * A trainer approved until 2099. The approval must name the case that granted it; any case of
 * theirs serves (an organization claim), since these tests are about the trainer's courses.
 */
async function anApprovedTrainer(): Promise<{ trainer: TestUser; approvalCase: CaseRow }> {
  const trainer = await aUser(db(), ['trainer']);
  const approvalCase = await submit(
    'organization_claim',
    trainer.user.id,
    claimSubmission((await anOrganization(db())).id),
  );
  await db()('trainers').insert({
    user_id: trainer.user.id,
    approved_until: '2099-12-31',
    approved_by_case_id: approvalCase.id,
  });
  return { trainer, approvalCase };
}

describe('a case whose row never committed', () => {
  it('fails its workflow after the retries, naming the case, instead of retrying for ever', async () => {
    // Temporal recorded the start, then the API's transaction rolled back: no row will ever come.
    const caseId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    const workflowId = caseWorkflowId('organization_claim', caseId);
    started.push(workflowId);
    await t.withWorker(async (taskQueue) => {
      const handle = await t.env.client.workflow.start(CASE_WORKFLOW_TYPES.organization_claim, {
        taskQueue,
        workflowId,
        args: [{ caseId }],
      });
      const failure = await handle.result().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const activity = (failure as WorkflowFailedError).cause;
      expect(activity).toBeInstanceOf(ActivityFailure);
      const cause = (activity as ActivityFailure).cause as ApplicationFailure;
      expect(cause.type).toBe('CaseNeverSaved');
      expect(cause.message).toContain(`Case ${caseId} was never saved`);
      const tries = (await handle.fetchHistory())
        .events!.filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt);
      expect(tries).toEqual([10]);
      await keepHistory(handle, 'organizationClaim-never-saved');
    });
    expect(await db()('outbox').where('dedupe_key', 'like', `${workflowId}%`)).toEqual([]);
  });
});

describe('an organization claim', () => {
  it('is checked, claimed by a reviewer and approved exactly once; the director then holds the claim', async () => {
    const organization = await anOrganization(db(), { name: 'Bluebird Early Learning' });
    const director = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const other = await aUser(db(), ['reviewer']);
    const c = await submit('organization_claim', director.user.id, claimSubmission(organization.id), {
      organizationId: organization.id,
      title: organization.name,
    });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');

      // Deciding before claiming, or claiming what another holds, is refused with a reason.
      expect(
        await refusal(
          handle.executeUpdate(decideUpdate, {
            args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
          }),
        ),
      ).toEqual({ type: 'Forbidden', message: 'Claim the case before acting on it' });
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      expect(
        await refusal(handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: other.user.id }] })),
      ).toMatchObject({ type: 'Conflict' });
      expect(
        await refusal(
          handle.executeUpdate(decideUpdate, {
            args: [{ reviewerUserId: other.user.id, decision: 'approved', reasons: [] }],
          }),
        ),
      ).toEqual({ type: 'Forbidden', message: 'Another reviewer holds this case' });
      expect(
        await refusal(
          handle.executeUpdate(decideUpdate, {
            args: [{ reviewerUserId: reviewer.user.id, decision: 'denied', reasons: [' '] }],
          }),
        ),
      ).toMatchObject({ type: 'Invalid' });

      // The same decision sent twice with one update id (a double click, a retried request) is applied once.
      const decision = {
        args: [
          {
            reviewerUserId: reviewer.user.id,
            decision: 'approved' as const,
            reasons: ['Director confirmed by phone.'],
          },
        ] as [{ reviewerUserId: number; decision: 'approved'; reasons: string[] }],
        updateId: 'decision-1',
      };
      const [first, second] = await Promise.all([
        handle.executeUpdate(decideUpdate, decision),
        handle.executeUpdate(decideUpdate, decision),
      ]);
      expect(first).toEqual<CaseView>({
        caseId: c.id,
        type: 'organization_claim',
        status: 'approved',
        applicantUserId: director.user.id,
        assigneeUserId: reviewer.user.id,
      });
      expect(second).toEqual(first);
      expect((await handle.result()).status).toBe('approved');
      await keepHistory(handle, 'organizationClaim-approved-after-refusals');
      // The case is closed and its workflow done: nothing more can be decided on it.
      await expect(
        handle.executeUpdate(decideUpdate, {
          args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
        }),
      ).rejects.toThrow();
    });
    expect(await timeline(c.id)).toEqual(['submitted', 'checked', 'review_started', 'claimed', 'approved']);
    expect(
      await db()('organization_claims')
        .where({ organization_id: organization.id, director_user_id: director.user.id })
        .pluck('status'),
    ).toEqual(['approved']);
    expect(await db()('user_roles').where({ user_id: director.user.id }).pluck('role')).toContain('director');
    const mail = (await t.outboxTo(director.user.email)).map((m) => m.subject);
    expect(mail).toEqual([
      'Your organization claim “Bluebird Early Learning” was received',
      'Approved: Bluebird Early Learning',
    ]);
    expect(await db()('notifications').where({ user_id: director.user.id }).pluck('title')).toEqual(mail);
  });

  it('is withdrawn by the applicant, and only by them', async () => {
    const organization = await anOrganization(db());
    const director = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const c = await submit('organization_claim', director.user.id, claimSubmission(organization.id), {
      organizationId: organization.id,
    });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      expect(
        await refusal(
          handle.executeUpdate(withdrawUpdate, { args: [{ applicantUserId: reviewer.user.id, reason: '' }] }),
        ),
      ).toMatchObject({ type: 'Forbidden' });
      await handle.executeUpdate(withdrawUpdate, {
        args: [{ applicantUserId: director.user.id, reason: 'Filed for the wrong center.' }],
      });
      expect((await handle.result()).status).toBe('withdrawn');
      await keepHistory(handle, 'organizationClaim-withdrawn');
    });
    expect((await caseRow(c.id)).status).toBe('withdrawn');
  });
});

describe('service levels on the business calendar', () => {
  it('reminds the holder when the target passes, then escalates to the lead reviewers', async () => {
    const organization = await anOrganization(db());
    const director = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const lead = await aUser(db(), ['reviewer']);
    await db()('reviewer_profiles').insert({
      user_id: lead.user.id,
      is_lead: true,
      accepts_automatic_assignment: false,
    });
    const c = await submit('organization_claim', director.user.id, claimSubmission(organization.id), {
      organizationId: organization.id,
      title: 'Slow claim',
    });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      const { due_at: dueAt } = await caseRow(c.id);
      // Organization claims are due in 5 working days: nothing happens a calendar day before.
      await t.env.sleep(dueAt!.getTime() - (await t.env.currentTimeMs()) - 86_400_000);
      expect((await caseRow(c.id)).reminded_at).toBeNull();
      await t.env.sleep('1 day');
      await eventually(async () => expect((await caseRow(c.id)).reminded_at).not.toBeNull());
      expect((await t.outboxTo(reviewer.user.email)).map((m) => m.subject)).toEqual(['Due now: Slow claim']);
      expect((await t.outboxTo(lead.user.email)).map((m) => m.subject)).toEqual([]);
      // Two working days later (a weekend may fall between): escalated to the lead.
      await t.env.sleep('4 days');
      await eventually(async () => expect((await caseRow(c.id)).escalated_at).not.toBeNull());
      expect((await t.outboxTo(lead.user.email)).map((m) => m.subject)).toEqual(['Escalated: Slow claim']);
      await handle.executeUpdate(decideUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
      });
      await handle.result();
      await keepHistory(handle, 'organizationClaim-reminded-escalated-approved');
    });
    expect(await timeline(c.id)).toEqual([
      'submitted',
      'checked',
      'review_started',
      'claimed',
      'reminded',
      'escalated',
      'approved',
    ]);
  });

  it('assigns new cases to the reviewer with the fewest open cases', async () => {
    await db()('settings')
      .where({ key: 'automatic_case_assignment' })
      .update({ value: JSON.stringify(true) });
    // Only two reviewers take automatic assignment here.
    await db()('reviewer_profiles')
      .insert(
        (await db()('user_roles').where({ role: 'reviewer' }).select('user_id')).map((r: { user_id: number }) => ({
          user_id: r.user_id,
          accepts_automatic_assignment: false,
        })),
      )
      .onConflict('user_id')
      .merge(['accepts_automatic_assignment']);
    const busy = await aUser(db(), ['reviewer']);
    const free = await aUser(db(), ['reviewer']);
    await db()('reviewer_profiles').insert([{ user_id: busy.user.id }, { user_id: free.user.id }]);
    const director = await aUser(db(), ['professional']);
    const cases: CaseRow[] = [];
    for (let i = 0; i < 3; i++) {
      const organization = await anOrganization(db());
      cases.push(
        await submit('organization_claim', director.user.id, claimSubmission(organization.id), {
          organizationId: organization.id,
        }),
      );
    }
    await t.withWorker(async (taskQueue) => {
      for (const c of cases) {
        await start(taskQueue, c);
        await untilStatus(c.id, 'in_review');
      }
    });
    const assignees = await Promise.all(cases.map(async (c) => (await caseRow(c.id)).assignee_user_id));
    // Alternating by workload: neither reviewer gets a second case before the other has one.
    expect(new Set(assignees.slice(0, 2))).toEqual(new Set([busy.user.id, free.user.id]));
    expect(
      assignees.filter((a) => a === busy.user.id).length + assignees.filter((a) => a === free.user.id).length,
    ).toBe(3);
    expect(
      await db()('case_events')
        .where({ case_id: cases[0]!.id, kind: 'assigned' })
        .count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 1 }]);
  });
});

describe('a trainer application', () => {
  const application = (certifications: Array<{ model: string; expiresOn: string; uploadId: string }>) => ({
    qualifications: 'Ten years teaching preschool; certified CPR instructor.',
    education: 'BA Early Childhood Education',
    experience: 'Led staff trainings at two centers.',
    specialties: ['cpr-first-aid', 'guidance'],
    regions: ['Central'],
    documents: [],
    certifications,
  });

  it('goes back to the applicant when a document is missing, and lapses when nobody answers, with a reminder first', async () => {
    const applicant = await aUser(db(), ['professional']);
    const c = await submit('trainer_application', applicant.user.id, application([]), { title: 'Jordan Lee' });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'information_requested');
      const asked = await caseRow(c.id);
      expect(asked.check_results).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ check: 'documents-present', passed: false }),
          expect.objectContaining({ check: 'instructor-certification-present', passed: false }),
        ]),
      );
      await t.env.sleep('24 days');
      expect((await t.outboxTo(applicant.user.email)).map((m) => m.subject)).toEqual([
        'Your trainer application “Jordan Lee” was received',
        'Information needed: Jordan Lee',
        'Reminder: information needed for Jordan Lee',
      ]);
      await t.env.sleep('7 days');
      expect((await handle.result()).status).toBe('lapsed');
      await keepHistory(handle, 'trainerApplication-lapsed');
    });
    expect(await timeline(c.id)).toEqual(['submitted', 'checked', 'information_requested', 'reminded', 'lapsed']);
  });

  it('is approved after the applicant answers a request for information; the approval ends after its term unless renewed', async () => {
    const applicant = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const resume = await anUpload(applicant.user.id);
    const certificate = await anUpload(applicant.user.id, 'instructor_certification');
    const today = await t.serverToday();
    const c = await submit(
      'trainer_application',
      applicant.user.id,
      application([{ model: 'American Red Cross', expiresOn: addDays(today, 400), uploadId: certificate }]),
      { title: 'Ari Moss', documents: [{ uploadId: resume, label: 'Résumé' }] },
    );
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await handle.executeUpdate(requestInformationUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, message: 'Please add a reference from a director.' }],
      });
      expect(
        await refusal(
          handle.executeUpdate(answerUpdate, {
            args: [{ applicantUserId: reviewer.user.id, message: 'x', uploadIds: [] }],
          }),
        ),
      ).toMatchObject({ type: 'Forbidden' });
      const reference = await anUpload(applicant.user.id);
      const back = await handle.executeUpdate(answerUpdate, {
        args: [{ applicantUserId: applicant.user.id, message: 'Reference attached.', uploadIds: [reference] }],
      });
      expect(back).toMatchObject({ status: 'in_review', assigneeUserId: reviewer.user.id });
      await handle.executeUpdate(decideUpdate, {
        args: [
          {
            reviewerUserId: reviewer.user.id,
            decision: 'approved',
            reasons: ['Qualifications and references in order.'],
          },
        ],
      });
      const trainer = await db()('trainers').where({ user_id: applicant.user.id }).first();
      expect(trainer!.approved_until).toBe((await caseRow(c.id)).approval_expires_on);
      expect(await db()('user_roles').where({ user_id: applicant.user.id }).pluck('role')).toContain('trainer');
      expect(await db()('trainer_certifications').where({ trainer_user_id: applicant.user.id }).pluck('model')).toEqual(
        ['American Red Cross'],
      );
      expect(await db()('case_messages').where({ case_id: c.id }).orderBy('id').pluck('body')).toEqual([
        'Please add a reference from a director.',
        'Reference attached.',
      ]);

      // Two years on: a renewal reminder 60 days before the end, then the approval ends.
      await t.env.sleep(`${2 * 365 - 30} days`);
      expect((await t.outboxTo(applicant.user.email)).map((m) => m.subject)).toContain(
        'Your trainer approval is ending: apply to renew',
      );
      await t.env.sleep('40 days');
      expect((await handle.result()).status).toBe('approved');
      await keepHistory(handle, 'trainerApplication-approved-then-expired');
    });
    expect(await db()('user_roles').where({ user_id: applicant.user.id }).pluck('role')).not.toContain('trainer');
    expect((await timeline(c.id)).slice(-2)).toEqual(['approval_expiring', 'approval_expired']);
  });
});

describe('a trainer renewal', () => {
  it('extends the approval from the end of the current term, so the old term ends without taking the role', async () => {
    const applicant = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const resume = await anUpload(applicant.user.id);
    const submission = {
      qualifications: 'Trainer.',
      education: 'BA',
      experience: 'Years.',
      specialties: ['guidance'],
      regions: [],
      documents: [],
      certifications: [],
    };
    const first = await submit('trainer_application', applicant.user.id, submission, {
      documents: [{ uploadId: resume, label: 'Résumé' }],
    });
    await t.withWorker(async (taskQueue) => {
      const firstHandle = await start(taskQueue, first);
      await untilStatus(first.id, 'in_review');
      await firstHandle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await firstHandle.executeUpdate(decideUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
      });
      const firstEnd = (await caseRow(first.id)).approval_expires_on!;

      await t.env.sleep('700 days'); // past the 60-day reminder of the first term
      const renewal = await submit('trainer_application', applicant.user.id, submission, {
        documents: [{ uploadId: resume, label: 'Résumé' }],
        renewsCaseId: first.id,
      });
      const renewalHandle = await start(taskQueue, renewal);
      await untilStatus(renewal.id, 'in_review');
      await renewalHandle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await renewalHandle.executeUpdate(decideUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: ['Renewed.'] }],
      });
      const trainer = await db()('trainers').where({ user_id: applicant.user.id }).first();
      expect(trainer!.approved_until > firstEnd).toBe(true);
      expect(trainer!.approved_until).toBe(addYears(firstEnd, 2));

      await t.env.sleep('40 days'); // the first term's end passes
      expect((await firstHandle.result()).status).toBe('approved');
      expect(await db()('user_roles').where({ user_id: applicant.user.id }).pluck('role')).toContain('trainer');
    });
  });
});

describe('a course approval', () => {
  it('refuses an online-only CPR course with the rule set’s reason before a reviewer sees it', async () => {
    const { trainer } = await anApprovedTrainer();
    const c = await submit('course_approval', trainer.user.id, {
      title: 'CPR at Home',
      description: 'Video course.',
      sponsor: 'Trainer',
      topic: 'cpr-first-aid',
      level: 'introductory',
      clockHours: 4,
      delivery: 'online',
      feeCents: 0,
      materials: '',
      cprModel: 'American Red Cross',
    });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      expect((await handle.result()).status).toBe('refused');
      await keepHistory(handle, 'courseApproval-refused-by-rules');
    });
    const refused = await caseRow(c.id);
    expect(refused.assignee_user_id).toBeNull();
    expect(refused.check_results).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'credit-cpr-online-only', passed: false })]),
    );
    expect((await t.outboxTo(trainer.user.email)).map((m) => m.subject)).toContain('Refused: A course_approval');
    expect(await db()('courses').where({ title: 'CPR at Home' })).toEqual([]);
  });
});

describe('a course approval that passes the checks', () => {
  it('reaches a reviewer, who denies it with a reason the trainer reads; no course is created', async () => {
    const { trainer } = await anApprovedTrainer();
    const reviewer = await aUser(db(), ['reviewer']);
    const c = await submit(
      'course_approval',
      trainer.user.id,
      {
        title: 'Outdoor Play',
        description: 'Planning outdoor play.',
        sponsor: 'Trainer',
        topic: 'curriculum',
        level: 'introductory',
        clockHours: 2,
        delivery: 'in_person',
        feeCents: 500,
        materials: '',
      },
      { title: 'Outdoor Play' },
    );
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      expect((await caseRow(c.id)).check_results).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ check: 'approved-trainer', passed: true }),
          expect.objectContaining({ check: 'credit', passed: true }),
        ]),
      );
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      // A re-check runs the checks again under the version in force now, and the case is judged under it.
      await publishLicensingHours(db(), { version: 7, effectiveFrom: await t.serverToday(), hours: 12 });
      await handle.executeUpdate(recheckUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      expect((await caseRow(c.id)).rule_set_version).toBe(7);
      await handle.executeUpdate(decideUpdate, {
        args: [
          {
            reviewerUserId: reviewer.user.id,
            decision: 'denied',
            reasons: ['The outline does not cover safety outdoors; please add it and submit again.'],
          },
        ],
      });
      expect((await handle.result()).status).toBe('denied');
      await keepHistory(handle, 'courseApproval-rechecked-denied');
    });
    expect(await db()('courses').where({ title: 'Outdoor Play' })).toEqual([]);
    expect(await timeline(c.id)).toEqual(['submitted', 'checked', 'review_started', 'claimed', 'rechecked', 'denied']);
    const denial = (await t.outboxTo(trainer.user.email)).find((m) => m.subject === 'Not approved: Outdoor Play');
    expect(denial?.body_text).toContain('The outline does not cover safety outdoors');
  });

  it('creates the approved course, owned by its trainer, when approved', async () => {
    const { trainer, approvalCase } = await anApprovedTrainer();
    const reviewer = await aUser(db(), ['reviewer']);
    // The trainer's Red Cross instructor certification is on file: attendance at this course can earn hours.
    await db()('trainer_certifications').insert({
      trainer_user_id: trainer.user.id,
      model: 'American Red Cross',
      expires_on: '2099-01-01',
      upload_id: await anUpload(trainer.user.id, 'instructor_certification'),
      case_id: approvalCase.id,
    });
    const c = await submit('course_approval', trainer.user.id, {
      title: 'Pediatric First Aid (blended)',
      description: 'Online theory, in-person skills.',
      sponsor: 'Trainer',
      topic: 'cpr-first-aid',
      level: 'introductory',
      clockHours: 6,
      delivery: 'blended',
      inPersonHours: 3,
      feeCents: 2500,
      materials: 'Manikins.',
      cprModel: 'American Red Cross',
    });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      const checks = (await caseRow(c.id)).check_results;
      expect(checks, JSON.stringify(checks)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            check: 'credit',
            passed: true,
            message: expect.stringContaining('3 of its 6 hours would earn credit'),
          }),
        ]),
      );
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await handle.executeUpdate(decideUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
      });
      await handle.result();
    });
    expect(await db()('courses').where({ approved_by_case_id: c.id }).first()).toMatchObject({
      title: 'Pediatric First Aid (blended)',
      approved: true,
      trainer_user_id: trainer.user.id,
      delivery: 'blended',
      in_person_hours: 3,
      fee_cents: 2500,
      cpr_model: 'American Red Cross',
    });
  });
});

describe('an online course approval', () => {
  it('carries the minimum time and the knowledge check’s attempts and wait the reviewer approved onto the course', async () => {
    const { trainer } = await anApprovedTrainer();
    const reviewer = await aUser(db(), ['reviewer']);
    const c = await submit('course_approval', trainer.user.id, {
      title: 'Guiding Behavior Online',
      description: 'Self-paced.',
      sponsor: 'Trainer',
      topic: 'curriculum',
      level: 'introductory',
      clockHours: 2,
      delivery: 'online',
      feeCents: 0,
      materials: '',
      minimumMinutes: 90,
      knowledgeCheckAttempts: 2,
      knowledgeCheckWaitMinutes: 30,
    });
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await handle.executeUpdate(decideUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
      });
      await handle.result();
    });
    expect(await db()('courses').where({ approved_by_case_id: c.id }).first()).toMatchObject({
      delivery: 'online',
      clock_hours: 2,
      minimum_minutes: 90,
      knowledge_check_attempts: 2,
      knowledge_check_wait_minutes: 30,
    });
  });
});

describe('an organization claim the checks refuse', () => {
  it('is refused when the applicant already directs the organization', async () => {
    const organization = await anOrganization(db());
    const director = await aUser(db(), ['director']);
    await db()('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const c = await submit('organization_claim', director.user.id, claimSubmission(organization.id), {
      organizationId: organization.id,
    });
    await t.withWorker(async (taskQueue) => {
      expect((await (await start(taskQueue, c)).result()).status).toBe('refused');
    });
    expect((await caseRow(c.id)).check_results).toEqual([
      expect.objectContaining({
        check: 'not-already-claimed',
        passed: false,
        message: 'You already direct this organization in MOPD.',
      }),
    ]);
  });
});

describe('an individual training request', () => {
  it('asks for proof when none is attached, goes back to review when it comes, and survives a release', async () => {
    const person = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const c = await submit(
      'training_request',
      person.user.id,
      {
        title: 'Pediatric CPR',
        provider: 'American Heart Association',
        topic: 'cpr-first-aid',
        completedOn: '2026-03-10',
        hours: 4,
        delivery: 'blended',
        inPersonHours: 2,
        cprModel: 'American Heart Association',
        proof: [],
      },
      { professionalId: person.professionalId!, title: 'Pediatric CPR' },
    );
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'information_requested');
      expect((await caseRow(c.id)).check_results).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ check: 'proof-present', passed: false }),
          expect.objectContaining({
            check: 'credit',
            passed: true,
            message: expect.stringContaining('2 of its 4 hours would earn credit'),
          }),
        ]),
      );
      const proof = await anUpload(person.user.id, 'training_proof');
      await handle.executeUpdate(answerUpdate, {
        args: [{ applicantUserId: person.user.id, message: 'Card attached.', uploadIds: [proof] }],
      });
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await handle.executeUpdate(releaseUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      expect((await caseRow(c.id)).assignee_user_id).toBeNull();
      await handle.executeUpdate(claimUpdate, { args: [{ reviewerUserId: reviewer.user.id }] });
      await handle.executeUpdate(decideUpdate, {
        args: [{ reviewerUserId: reviewer.user.id, decision: 'approved', reasons: [] }],
      });
      await handle.result();
      await keepHistory(handle, 'trainingRequest-answered-released-approved');
    });
    // The rule set decides the credit: blended CPR earns its in-person part only.
    const record = await db()('training_records').where({ professional_id: person.professionalId }).first();
    expect(record).toMatchObject({ source: 'individual_request', hours: 4, credited_hours: 2 });
    expect(record.credit_reasons).toEqual([expect.objectContaining({ code: 'cpr-blended-in-person-only' })]);
    expect(await db()('case_documents').where({ case_id: c.id }).count<{ count: number }[]>({ count: '*' })).toEqual([
      { count: 1 },
    ]);
  });

  it('creates a training record with its credit decision when approved', async () => {
    const person = await aUser(db(), ['professional']);
    const reviewer = await aUser(db(), ['reviewer']);
    const proof = await anUpload(person.user.id, 'training_proof');
    const c = await submit(
      'training_request',
      person.user.id,
      {
        title: 'Child Development (college course)',
        provider: 'State Fair Community College',
        topic: 'child-development',
        completedOn: '2026-05-15',
        hours: 45,
        delivery: 'in_person',
        proof: [proof],
      },
      { professionalId: person.professionalId!, documents: [{ uploadId: proof, label: 'Transcript' }] },
    );
    await t.withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, c);
      await untilStatus(c.id, 'in_review');
      await handle.executeUpdate(reassignUpdate, {
        args: [{ leadUserId: reviewer.user.id, toUserId: reviewer.user.id }],
      });
      await handle.executeUpdate(decideUpdate, {
        args: [
          { reviewerUserId: reviewer.user.id, decision: 'approved', reasons: ['Transcript shows a passing grade.'] },
        ],
      });
      await handle.result();
      await keepHistory(handle, 'trainingRequest-approved');
    });
    const record = await db()('training_records').where({ professional_id: person.professionalId }).first();
    expect(record).toMatchObject({
      title: 'Child Development (college course)',
      source: 'individual_request',
      hours: 45,
      credited_hours: 45,
      credit_rule_set_version: 1,
    });
    expect(
      await db()('compliance_results')
        .where({ professional_id: person.professionalId })
        .count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 1 }]);
  });
});
