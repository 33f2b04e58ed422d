/** The rule-set API over HTTP: drafts, problems in plain words, the diff, worked cases, scheduling and cancelling publication. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSetting } from '../../db/settings.js';
import type { Express } from 'express';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('rule-sets');
  ({ database, app } = http);
  // One person drafts and publishes in this test; four eyes are tested in ruleSetFourEyes.test.ts.
  await upsertSetting(database.db, 'rule_set_single_person_publication', true);
});
afterAll(async () => {
  await http?.close();
});

describe('the rule-set API', () => {
  it('takes a draft from edit to scheduled publication, explaining every refusal', async () => {
    const policy = await signIn(app, await aUser(database.db, ['policy_staff']));
    const { version } = (
      await policy
        .post('/api/rule-sets/mopd-compliance/drafts', { fromVersion: 1, changeNote: 'Refresher rule for safe sleep' })
        .expect(201)
    ).body;
    expect(version).toBe(2);
    const { document } = (await policy.get(`/api/rule-sets/mopd-compliance/versions/${version}`).expect(200)).body;

    // A mistake is named by rule and field, and the draft is kept as written.
    const broken = structuredClone(document);
    broken.rules.find((r: { id: string }) => r.id === 'credit.not-while-in-ratio').conditions.all[0].path =
      '$.inRation';
    const saved = (
      await policy.put(`/api/rule-sets/mopd-compliance/versions/${version}`, { document: broken }).expect(200)
    ).body;
    expect(saved.problems).toEqual([
      {
        ruleId: 'credit.not-while-in-ratio',
        path: expect.stringMatching(/conditions\.all\.0\.path$/),
        message: expect.stringContaining('training has no field "inRation"'),
      },
    ]);
    expect(
      (await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/validate`).expect(200)).body.status,
    ).toBe('draft');
    await policy
      .post(`/api/rule-sets/mopd-compliance/versions/${version}/publish`, { effectiveFrom: '2027-01-01' })
      .expect(409);

    // Fixed, with a changed description: validated, and the diff reads as a sentence.
    const fixed = structuredClone(document);
    fixed.rules.find((r: { id: string }) => r.id === 'credit.not-while-in-ratio').description =
      'No clock hours while counted in ratio with children, ever.';
    await policy.put(`/api/rule-sets/mopd-compliance/versions/${version}`, { document: fixed }).expect(200);
    expect(
      (await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/validate`).expect(200)).body,
    ).toMatchObject({ status: 'validated', problems: [] });
    const detail = (await policy.get(`/api/rule-sets/mopd-compliance/versions/${version}`).expect(200)).body;
    expect(detail.comparedWith).toBe(1);
    expect(detail.diff.rules).toEqual([
      expect.objectContaining({
        ruleId: 'credit.not-while-in-ratio',
        change: 'changed',
        details: [
          expect.stringMatching(/^description: ".*" → "No clock hours while counted in ratio with children, ever\."$/),
        ],
      }),
    ]);
    expect(detail.cases.every((c: { passed: boolean }) => c.passed)).toBe(true);

    // A worked case written by policy staff, checked for shape.
    const badCase = await policy
      .put('/api/rule-sets/mopd-compliance/cases/credit.ratio-online', {
        id: 'credit.ratio-online',
        name: 'online in ratio',
        scope: 'training',
        facts: {},
        expected: { creditedHours: 'none', reasonCodes: [] },
      })
      .expect(400);
    expect(badCase.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['expected.creditedHours']);
    await policy
      .put('/api/rule-sets/mopd-compliance/cases/credit.ratio-online', {
        id: 'credit.ratio-online',
        name: 'an online course taken while in ratio earns nothing',
        scope: 'training',
        facts: { training: { delivery: 'online', source: 'online_course', inRatio: true } },
        expected: { creditedHours: 0, reasonCodes: ['in-ratio-with-children'] },
      })
      .expect(200);
    expect(
      (await policy.get('/api/rule-sets/mopd-compliance/cases').expect(200)).body.cases.map(
        (c: { id: string }) => c.id,
      ),
    ).toContain('credit.ratio-online');

    // Scheduled, listed with its publication, then cancelled; published versions are never edited.
    const scheduled = (
      await policy
        .post(`/api/rule-sets/mopd-compliance/versions/${version}/publish`, { effectiveFrom: '2099-01-01' })
        .expect(202)
    ).body;
    const listed = (await policy.get('/api/rule-sets/mopd-compliance/versions').expect(200)).body;
    expect(listed.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'validated'],
      [1, 'published'],
    ]);
    expect(listed.publications[0]).toMatchObject({
      id: scheduled.publicationId,
      version: 2,
      effectiveFrom: '2099-01-01',
      status: 'scheduled',
    });
    await policy
      .post(`/api/rule-sets/mopd-compliance/versions/${version}/publish`, { effectiveFrom: '2099-02-01' })
      .expect(409);
    await policy.post(`/api/rule-set-publications/${scheduled.publicationId}/cancel`).expect(202);
    const editPublished = await policy.put('/api/rule-sets/mopd-compliance/versions/1', { document }).expect(409);
    expect(editPublished.body.error.message).toMatch(/start a new draft from it/);

    // Roll back: a new draft with version 1's content and the reason.
    const rollback = (
      await policy
        .post('/api/rule-sets/mopd-compliance/rollbacks', {
          toVersion: 1,
          reason: 'The new wording confused directors',
        })
        .expect(201)
    ).body;
    const rolled = (await policy.get(`/api/rule-sets/mopd-compliance/versions/${rollback.version}`).expect(200)).body;
    expect(rolled.version).toMatchObject({
      rollbackOfVersion: 1,
      rollbackReason: 'The new wording confused directors',
      status: 'draft',
    });
    expect(rolled.diff.rules).toEqual([]);
  });

  it('is for policy staff and admins only', async () => {
    const professional = await signIn(app, await aUser(database.db, ['professional']));
    await professional.get('/api/rule-sets/mopd-compliance/versions').expect(403);
    await professional
      .post('/api/rule-sets/mopd-compliance/drafts', { fromVersion: 1, changeNote: 'sneaky' })
      .expect(403);
  });
});
