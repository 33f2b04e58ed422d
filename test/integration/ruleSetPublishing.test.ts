/**
 * Changing the rules: a draft lowers the licensing requirement, validation and the worked cases
 * gate it, and the publication workflow (time-skipping server, real activities on PostgreSQL)
 * waits for the effective date, switches the version in, recomputes, and tells whoever turned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSetting } from '../../db/settings.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createRuleSetVersions } from '../../services/ruleSetVersions.js';
import { createPublicationActivities } from '../../activities/ruleSetPublication.js';
import { recordTraining } from '../../services/training.js';
import { refreshCompliance } from '../../services/compliance.js';
import {
  cancelPublicationSignal,
  publicationStageQuery,
  ruleSetPublication,
} from '../../workflows/ruleSetPublication.js';
import { addDays } from '../../rules/dates.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import type { TestDatabase } from '../support/database.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import { insertedId, mustFind } from '../support/rows.js';

let skipping: TimeSkipping;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
const RULE_SET = 'mopd-compliance';

beforeAll(async () => {
  skipping = await startTimeSkipping();
  ({ env, database } = skipping);
  // One person drafts and publishes in this test; four eyes are tested in ruleSetFourEyes.test.ts.
  await upsertSetting(database.db, 'rule_set_single_person_publication', true);
});
afterAll(async () => {
  await skipping?.close();
});

/** Someone at a licensed program since January of last year, with `hours` credited last year; their compliance stored. */
async function aTeacherWith(hours: number) {
  const { db } = database;
  const lastYear = Number((await skipping.serverToday()).slice(0, 4)) - 1;
  const organization = await anOrganization(db, { licensed: true, serves_infants: false });
  const person = await aProfessional(db);
  await anEmployment(db, person, organization, `${lastYear}-01-01`);
  const course = await aCourse(db, { topic: 'guidance', clock_hours: hours, sponsor: 'Child Care Aware of Missouri' });
  await recordTraining(db, {
    professionalId: person.id,
    courseId: course.id,
    completedOn: `${lastYear}-06-01`,
    source: 'individual_request',
  });
  await refreshCompliance(db, person.id, new Date(await env.currentTimeMs()));
  return person;
}

const compliant = async (professionalId: number) =>
  (await database.db('compliance_results').where({ professional_id: professionalId }).first()).compliant as boolean;
const statusOf = async (version: number) =>
  (await mustFind(database.db('rule_set_versions').where({ rule_set: RULE_SET, version }).first())).status;

/** A draft of the current version with the licensing requirement at `hours`. */
async function aDraftLowering(to: number, author: number) {
  const versions = createRuleSetVersions({ db: database.db, now: () => new Date() });
  const published = await mustFind(
    database
      .db('rule_set_versions')
      .where({ rule_set: RULE_SET, status: 'published' })
      .orderBy('version', 'desc')
      .first(),
  );
  const { version } = await versions.createDraft({
    ruleSet: RULE_SET,
    fromVersion: published.version,
    changeNote: `Licensing requirement to ${to} hours`,
    byUserId: author,
  });
  const document = structuredClone((await versions.detail(RULE_SET, version)).document) as RuleSetDocument;
  (document.rules.find((r) => r.id === 'requirement.licensing-annual-hours')!.event.params as { hours: number }).hours =
    to;
  await versions.saveDraft({ ruleSet: RULE_SET, version, document, byUserId: author });
  return { versions, version };
}

describe('publishing a rule change', () => {
  it('is gated by validation and the worked cases, switches the version in, recomputes and tells those whose status turned', async () => {
    const { db } = database;
    const policy = await aUser(db, ['policy_staff']);
    const short = await aTeacherWith(11);
    const enough = await aTeacherWith(12);
    expect([await compliant(short.id), await compliant(enough.id)]).toEqual([false, true]);

    const { versions, version } = await aDraftLowering(10, policy.user.id);
    const detail = await versions.detail(RULE_SET, version);
    expect(detail.diff!.rules).toEqual([
      {
        ruleId: 'requirement.licensing-annual-hours',
        change: 'changed',
        description: expect.any(String),
        details: ['hours: 12 → 10'],
      },
    ]);
    expect(detail.cases!.filter((c) => !c.passed).map((c) => c.id)).toEqual(['employment.licensed-twelve-hours']);
    expect(await versions.validate({ ruleSet: RULE_SET, version, byUserId: policy.user.id })).toMatchObject({
      status: 'validated',
      problems: [],
    });

    const today = await skipping.serverToday();
    // Lowered for last year on: last year's period is judged by it, so the one 1 hour short is no longer.
    const effectiveFrom = `${Number(today.slice(0, 4)) - 1}-01-01`;
    await skipping.withWorker(async (taskQueue) => {
      const start = (_trx: unknown, publicationId: number, workflowId: string) =>
        env.client.workflow.start(ruleSetPublication, { taskQueue, workflowId, args: [{ publicationId }] });
      const atServerTime = createRuleSetVersions({ db, now: () => new Date(Date.parse(`${today}T18:00:00Z`)) });
      // A failing worked case blocks publication, naming it.
      await expect(
        atServerTime.schedulePublication({
          ruleSet: RULE_SET,
          version,
          effectiveFrom,
          byUserId: policy.user.id,
          start,
        }),
      ).rejects.toThrow(/1 worked case fails with this version: staff of a licensed program need 12 clock hours/);
      // Policy staff agree the case should now say 10; the same draft then publishes.
      const twelve = (await versions.cases(RULE_SET)).find((c) => c.id === 'employment.licensed-twelve-hours')!;
      await versions.saveCase({
        ruleSet: RULE_SET,
        definition: {
          ...twelve,
          name: 'staff of a licensed program need 10 clock hours a calendar year',
          expected: { requirements: ['licensing-annual-hours'], hours: { 'licensing-annual-hours': 10 } },
        },
        byUserId: policy.user.id,
      });
      await expect(
        atServerTime.schedulePublication({
          ruleSet: RULE_SET,
          version,
          effectiveFrom: '2019-12-31',
          byUserId: policy.user.id,
          start,
        }),
      ).rejects.toThrow(/must be on or after 2020-01-01/);
      const { publicationId, workflowId } = await atServerTime.schedulePublication({
        ruleSet: RULE_SET,
        version,
        effectiveFrom,
        byUserId: policy.user.id,
        start,
      });
      expect(await env.client.workflow.getHandle(workflowId).result()).toBe('completed');
      await keepHistory(env.client.workflow.getHandle(workflowId), 'ruleSetPublication-completed');
      expect(await statusOf(version)).toBe('published');
      expect(await statusOf(version - 1)).toBe('superseded');
      const row = await mustFind(db('rule_set_versions').where({ rule_set: RULE_SET, version }).first());
      expect([
        row.effective_from,
        (row.document as RuleSetDocument).effectiveFrom,
        Number(row.approved_by_user_id),
      ]).toEqual([effectiveFrom, effectiveFrom, policy.user.id]);
      expect([await compliant(short.id), await compliant(enough.id)]).toEqual([true, true]);
      expect((await db('compliance_results').where({ professional_id: short.id }).first()).rule_set_version).toBe(
        version,
      );
      const publication = await mustFind(db('rule_set_publications').where({ id: publicationId }).first());
      expect(publication).toMatchObject({ status: 'completed', changed: 1 });
      expect(publication.done).toBe(publication.total);
      expect((await skipping.outboxTo(short.email)).map((m) => m.template)).toEqual(['compliance-turned']);
      expect(await skipping.outboxTo(enough.email)).toEqual([]);
    });
  });

  it('waits for its effective date and can be cancelled until then; the version stays validated', async () => {
    const { db } = database;
    const policy = await aUser(db, ['policy_staff']);
    const { versions, version } = await aDraftLowering(11, policy.user.id);
    // The suite says what this draft should do.
    const twelve = (await versions.cases(RULE_SET)).find((c) => c.id === 'employment.licensed-twelve-hours')!;
    await versions.saveCase({
      ruleSet: RULE_SET,
      definition: {
        ...twelve,
        expected: { requirements: ['licensing-annual-hours'], hours: { 'licensing-annual-hours': 11 } },
      },
      byUserId: policy.user.id,
    });
    await versions.validate({ ruleSet: RULE_SET, version, byUserId: policy.user.id });
    const today = await skipping.serverToday();
    await skipping.withWorker(async (taskQueue) => {
      const scheduler = createRuleSetVersions({ db, now: () => new Date(Date.parse(`${today}T18:00:00Z`)) });
      const { publicationId, workflowId } = await scheduler.schedulePublication({
        ruleSet: RULE_SET,
        version,
        effectiveFrom: addDays(today, 5),
        byUserId: policy.user.id,
        start: (_trx, id, wfId) =>
          env.client.workflow.start(ruleSetPublication, { taskQueue, workflowId: wfId, args: [{ publicationId: id }] }),
      });
      await env.sleep('1 day');
      expect(await env.client.workflow.getHandle(workflowId).query(publicationStageQuery)).toBe(
        'waiting for the effective date',
      );
      expect(await statusOf(version)).toBe('validated');
      await env.client.workflow.getHandle(workflowId).signal(cancelPublicationSignal);
      expect(await env.client.workflow.getHandle(workflowId).result()).toBe('cancelled');
      await keepHistory(env.client.workflow.getHandle(workflowId), 'ruleSetPublication-cancelled');
      expect(await db('rule_set_publications').where({ id: publicationId }).first()).toMatchObject({
        status: 'cancelled',
      });
      expect(await statusOf(version)).toBe('validated');
    });
  });

  it('a recompute started again carries on after the last batch it committed (its progress is in PostgreSQL)', async () => {
    const { db } = database;
    const people = [await aTeacherWith(11), await aTeacherWith(11), await aTeacherWith(11)];
    const published = await mustFind(
      db('rule_set_versions').where({ rule_set: RULE_SET, status: 'published' }).orderBy('version', 'desc').first(),
    );
    if (published.effective_from === null) throw new Error('A published version has the date it took effect');
    const publicationId = await insertedId(
      db('rule_set_publications')
        .insert({
          rule_set: RULE_SET,
          version: published.version,
          effective_from: published.effective_from,
          status: 'recomputing',
          workflow_id: `resume-${Date.now()}`,
          total: 0,
          last_professional_id: people[1]!.id,
        })
        .returning('id'),
    );
    // Stored results say "not compliant" under 12 hours; the published version asks 10.
    await db('compliance_results')
      .whereIn(
        'professional_id',
        people.map((p) => p.id),
      )
      .update({ compliant: false });
    const activity = new MockActivityEnvironment();
    const beats: unknown[] = [];
    activity.on('heartbeat', (d: unknown) => beats.push(d));
    const { recomputeForPublication } = createPublicationActivities({ db, publicUrl: 'http://mopd.test' });
    await activity.run(recomputeForPublication, {
      publicationId: Number(publicationId),
      at: new Date(await env.currentTimeMs()).toISOString(),
    });
    // Those up to the last finished batch were not touched again; the rest were recomputed and told.
    expect([await compliant(people[0]!.id), await compliant(people[1]!.id), await compliant(people[2]!.id)]).toEqual([
      false,
      false,
      true,
    ]);
    expect(beats.at(-1)).toEqual({ lastId: expect.any(Number) });
    expect((await skipping.outboxTo(people[2]!.email)).map((m) => m.template)).toEqual(['compliance-turned']);
    expect(await skipping.outboxTo(people[0]!.email)).toEqual([]);
  });
});
