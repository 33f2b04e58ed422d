/**
 * Four eyes on a rule-set version's publication, over HTTP: nobody who drafted a version approves
 * it (unless an admin lets one person do both); a second member of the policy staff does, and the
 * version says who drafted it and who approved it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('four-eyes');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const versionUrl = (v: number) => `/api/rule-sets/mopd-compliance/versions/${v}`;

describe('approving a rule-set version for publication', () => {
  it('is refused to those who drafted it and done by a second person, unless an admin allows one person', async () => {
    const { db } = database;
    const authorUser = await aUser(db, ['policy_staff']);
    const editorUser = await aUser(db, ['policy_staff']);
    const approverUser = await aUser(db, ['policy_staff']);
    const author = await signIn(app, authorUser);
    const editor = await signIn(app, editorUser);
    const approver = await signIn(app, approverUser);
    const admin = await signIn(app, await aUser(db, ['admin']));

    const { version } = (
      await author
        .post('/api/rule-sets/mopd-compliance/drafts', { fromVersion: 1, changeNote: 'Ten hours' })
        .expect(201)
    ).body;
    const { document } = (await author.get(versionUrl(version)).expect(200)).body;
    document.rules.find((r: { id: string }) => r.id === 'credit.not-while-in-ratio').description =
      'No clock hours while counted in ratio with children.';
    // A second person edits the draft too: they drafted it as much as its author.
    await editor.put(versionUrl(version), { document }).expect(200);
    expect((await editor.post(`${versionUrl(version)}/validate`).expect(200)).body.status).toBe('validated');

    for (const drafter of [author, editor]) {
      const seen = (await drafter.get(versionUrl(version)).expect(200)).body;
      expect(seen.approval).toEqual({ youMayApprove: false, refusal: expect.stringMatching(/four eyes/) });
      const refused = await drafter.post(`${versionUrl(version)}/publish`, { effectiveFrom: '2099-01-01' }).expect(403);
      expect(refused.body.error.message).toMatch(/another member of the policy staff approves/);
    }
    expect(await db('rule_set_publications').where({ version })).toHaveLength(0);

    // An admin may let one person draft and approve; a policy writer may not decide that.
    await author.put('/api/admin/settings/single-person-publication', { singlePersonPublication: true }).expect(403);
    await admin.put('/api/admin/settings/single-person-publication', { singlePersonPublication: true }).expect(200);
    expect((await author.get(versionUrl(version)).expect(200)).body.approval).toEqual({
      youMayApprove: true,
      refusal: null,
    });
    await admin.put('/api/admin/settings/single-person-publication', { singlePersonPublication: false }).expect(200);
    expect((await author.get('/api/admin/settings/single-person-publication').expect(200)).body).toEqual({
      singlePersonPublication: false,
    });
    expect((await author.get(versionUrl(version)).expect(200)).body.approval.youMayApprove).toBe(false);

    // A second person approves: the version names who drafted it and who approved it.
    expect((await approver.get(versionUrl(version)).expect(200)).body.approval).toEqual({
      youMayApprove: true,
      refusal: null,
    });
    const { publicationId } = (
      await approver.post(`${versionUrl(version)}/publish`, { effectiveFrom: '2099-01-01' }).expect(202)
    ).body;
    const detail = (await author.get(versionUrl(version)).expect(200)).body;
    expect(detail.version).toMatchObject({
      author: authorUser.user.display_name,
      draftedBy: [authorUser.user.display_name, editorUser.user.display_name],
      draftedByUserIds: [authorUser.user.id, editorUser.user.id],
      approvedBy: approverUser.user.display_name,
      approvedByUserId: approverUser.user.id,
      approvedAt: expect.any(String),
    });
    const listed = (await author.get('/api/rule-sets/mopd-compliance/versions').expect(200)).body.versions;
    expect(listed.find((v: { version: number }) => v.version === version)).toMatchObject({
      draftedBy: [authorUser.user.display_name, editorUser.user.display_name],
      approvedBy: approverUser.user.display_name,
    });
    const audited = await db('audit_log').where({
      action: 'setting.changed',
      entity_id: 'rule_set_single_person_publication',
    });
    expect(audited).toHaveLength(2);
    await approver.post(`/api/rule-set-publications/${publicationId}/cancel`).expect(202);
  });
});
