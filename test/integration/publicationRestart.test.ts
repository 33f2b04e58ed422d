/**
 * A rule-set publication survives its worker being killed half-way through the recompute: the
 * worker is a real process (bin/worker.ts) on the Temporal dev server, killed with SIGKILL after
 * the first batches commit; a new one carries on after the last committed batch. Afterwards every
 * person's compliance is recomputed and every person whose status turned has exactly one email.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { upsertSetting } from '../../db/settings.js';
import { createRuleSetVersions } from '../../services/ruleSetVersions.js';
import { recomputeCompliance } from '../../services/compliance.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser } from '../support/app.js';
import { workerProcesses, type WorkerProcesses } from '../support/workerProcess.js';
import { until } from '../support/polling.js';
import { mustFind } from '../support/rows.js';

const PEOPLE = 20_000;
let http: HttpApp;
let database: TestDatabase;
let workers: WorkerProcesses;

beforeAll(async () => {
  http = await startHttpApp('publication-restart');
  ({ database } = http);
  // One person drafts and publishes in this test; four eyes are tested in ruleSetFourEyes.test.ts.
  await upsertSetting(database.db, 'rule_set_single_person_publication', true);
  // Worker processes of their own on the gateway's task queue.
  workers = workerProcesses({
    databaseUrl: database.url,
    temporalAddress: inject('temporalAddress'),
    taskQueue: http.taskQueue,
    workflowBundlePath: inject('workflowBundlePath'),
  });
});
afterAll(async () => {
  await workers?.killAll();
  await http?.close();
});

const publication = (id: number) => mustFind(database.db('rule_set_publications').where({ id }).first());
describe('a publication whose worker is killed', () => {
  it('carries on after the last committed batch on a new worker: nobody skipped, nobody told twice', async () => {
    const { db } = database;
    const lastYear = new Date().getFullYear() - 1;
    // 20,000 teachers at licensed programs since January of last year, each 1 hour short of 12 last year.
    await db.raw(
      `INSERT INTO organizations (name, licensed, subsidized, serves_infants, county) SELECT 'Center ' || g, true, false, false, 'Boone' FROM generate_series(1, 100) g`,
    );
    const [{ id: firstOrg }] = await db('organizations').orderBy('id').limit(1).select('id');
    await db.raw(
      `INSERT INTO professionals (mopd_id, first_name, last_name, email) SELECT 'MO' || lpad((5000000 + g)::text, 7, '0'), 'First' || g, 'Last' || g, 'restart' || g || '@example.org' FROM generate_series(1, ?) g`,
      [PEOPLE],
    );
    await db.raw(
      `INSERT INTO employments (professional_id, organization_id, role, hire_date) SELECT p.id, ? + p.id % 100, 'teacher', ?::date FROM professionals p`,
      [firstOrg, `${lastYear}-01-01`],
    );
    const [{ id: course }] = await db('courses')
      .insert({
        title: 'Guidance',
        sponsor: 'Child Care Aware of Missouri',
        topic: 'guidance',
        delivery: 'in_person',
        clock_hours: 11,
        approved: true,
      })
      .returning('id');
    await db.raw(
      `INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version)
       SELECT p.id, ?, 'Guidance', 'guidance', ?::date, 11, 'individual_request', 11, 'mopd-compliance', 1 FROM professionals p`,
      [course, `${lastYear}-06-01`],
    );
    await db.raw('ANALYZE');
    await recomputeCompliance(db, { asOf: new Date().toISOString().slice(0, 10) });
    expect(await db('compliance_results').where({ compliant: false }).count('* as n')).toEqual([{ n: PEOPLE }]);

    // Version 2: ten hours from January 1 of last year, its worked case agreeing.
    const policy = await aUser(db, ['policy_staff']);
    const versions = createRuleSetVersions({ db });
    const { version } = await versions.createDraft({
      ruleSet: 'mopd-compliance',
      fromVersion: 1,
      changeNote: 'Ten hours',
      byUserId: policy.user.id,
    });
    const document = structuredClone((await versions.detail('mopd-compliance', version)).document) as RuleSetDocument;
    (
      document.rules.find((r) => r.id === 'requirement.licensing-annual-hours')!.event.params as { hours: number }
    ).hours = 10;
    await versions.saveDraft({ ruleSet: 'mopd-compliance', version, document, byUserId: policy.user.id });
    const twelve = (await versions.cases('mopd-compliance')).find((c) => c.id === 'employment.licensed-twelve-hours')!;
    await versions.saveCase({
      ruleSet: 'mopd-compliance',
      definition: {
        ...twelve,
        expected: { requirements: ['licensing-annual-hours'], hours: { 'licensing-annual-hours': 10 } },
      },
      byUserId: policy.user.id,
    });
    expect((await versions.validate({ ruleSet: 'mopd-compliance', version, byUserId: policy.user.id })).status).toBe(
      'validated',
    );
    const { publicationId } = await versions.schedulePublication({
      ruleSet: 'mopd-compliance',
      version,
      effectiveFrom: `${lastYear}-01-01`,
      byUserId: policy.user.id,
      start: (_trx, id, workflowId) => http.temporal.startPublication(id, workflowId),
    });

    const { child: first } = workers.start();
    const atKill = await until(
      () => publication(publicationId),
      (p) => p.status === 'recomputing' && p.done >= 2000,
      120_000,
    );
    await workers.kill(first);
    const committedAtKill = (await publication(publicationId)).done;
    expect(committedAtKill).toBeGreaterThanOrEqual(atKill.done);
    expect(committedAtKill).toBeLessThan(PEOPLE);

    workers.start();
    const finished = await until(
      () => publication(publicationId),
      (p) => p.status === 'completed',
      150_000,
    );
    expect(finished).toMatchObject({ done: PEOPLE, total: PEOPLE, changed: PEOPLE });
    expect(
      await db('compliance_results').where({ compliant: true, rule_set_version: version }).count('* as n'),
    ).toEqual([{ n: PEOPLE }]);
    const emails = await db('outbox')
      .where({ template: 'compliance-turned' })
      .select(db.raw('count(*)::int AS n'), db.raw('count(DISTINCT to_address)::int AS people'));
    expect(emails).toEqual([{ n: PEOPLE, people: PEOPLE }]);
  }, 300_000);
});
