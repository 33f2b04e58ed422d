/** Legacy import over HTTP: the preview report, the apply, a second run, credit by the rules. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { aProfessional } from '../support/fixtures.js';
import { previewFiles } from '../../activities/legacyImport/index.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/legacy');
const FILES = fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.csv'));

let http: HttpApp;
let database: TestDatabase;
let app: Express;
let admin: Session;

beforeAll(async () => {
  http = await startHttpApp('legacy-import');
  ({ database, app } = http);
  admin = await signIn(app, await aUser(database.db, ['admin']));
});
afterAll(async () => {
  await http?.close();
});

function upload(who: Session, system: string) {
  const req = who.agent.post('/api/admin/imports').set('x-csrf-token', who.csrf).field('system', system);
  for (const name of FILES) req.attach('files', path.join(FIXTURES, name));
  return req;
}

async function applied(who: Session, id: number) {
  await who.post(`/api/admin/imports/${id}/apply`).expect(202);
  for (let i = 0; i < 200; i++) {
    const { batch } = (await who.get(`/api/admin/imports/${id}`).expect(200)).body;
    if (batch.status !== 'applying') return batch;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the apply did not finish');
}

/** Every imported row of a system, as the registry holds it. */
async function snapshot(system: string) {
  const tables = ['organizations', 'professionals', 'courses', 'education', 'employments', 'training_records'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await database.db(t).where({ legacy_system: system }).orderBy('id')] as const)));
}

describe('legacy import', () => {
  it('reports each bad row by file, line, column and reason before anything is written', async () => {
    const { batch } = (await upload(admin, 'report-check').expect(201)).body;
    expect(batch.status).toBe('previewed');
    const rejected = (file: string) => batch.report[file].rejected;
    expect(rejected('training.csv')).toEqual([
      { line: 4, column: 'hours', reason: '30 hours is out of range (more than 0, at most 24)' },
      { line: 5, column: 'course_legacy_id', reason: 'no course with legacy id "WC-99" in courses.csv or the registry' },
      { line: 6, column: 'completed_on', reason: '"13/45/2025" is not a day of the calendar' },
      { line: 8, column: 'hours', reason: "5 hours is more than the course's 3 clock hours" },
    ]);
    expect(rejected('professionals.csv')).toEqual([
      { line: 4, column: 'mopd_id', reason: expect.stringContaining('"M12345" is not an MOPD ID') },
      { line: 5, column: 'birth_date', reason: '"2/30/1985" is not a day of the calendar' },
      { line: 6, column: 'last_name', reason: expect.stringMatching(/^looks like a duplicate of MO0004211 \(Katherine Smith\): same birth date 1986-04-12.*give MO0004211 in mopd_id$/) },
      { line: 7, column: 'email', reason: 'is required' },
    ]);
    expect(rejected('employment.csv')).toEqual([
      { line: 4, column: 'organization_legacy_id', reason: 'no organization with legacy id "ORG-77" in organizations.csv or the registry' },
      { line: 5, column: 'end_date', reason: '2021-06-01 is before the hire date 2022-06-01' },
    ]);
    expect(rejected('education.csv').map((p: { column: string }) => p.column)).toEqual(['person_legacy_id', 'degree_level']);
    expect(rejected('organizations.csv')).toEqual([{ line: 4, column: 'contract_year_start_month', reason: 'is required for a subsidized program' }]);
    expect(rejected('courses.csv').map((p: { line: number; column: string }) => [p.line, p.column])).toEqual([
      [4, 'clock_hours'],
      [5, 'in_person_hours'],
    ]);
    expect(batch.report['training.csv']).toMatchObject({ rows: 7, create: 3, update: 0, unchanged: 0, rejectedCount: 4 });
    // A preview writes nothing to the registry.
    expect(Object.values(await snapshot('report-check')).every((rows) => rows.length === 0)).toBe(true);
  });

  it('applies what the preview said, keeps MOPD IDs, credits training by the rules, and changes nothing on a second run', async () => {
    const { batch } = (await upload(admin, 'toolbox').expect(201)).body;
    const done = await applied(admin, batch.id);
    expect(done).toMatchObject({ status: 'applied', progress: { done: done.progress.total, total: 12 }, error: null });
    const rows = await snapshot('toolbox');
    const kinds: Record<string, string> = { organizations: 'organizations.csv', professionals: 'professionals.csv', courses: 'courses.csv', education: 'education.csv', employments: 'employment.csv', training_records: 'training.csv' };
    for (const [table, file] of Object.entries(kinds)) expect(rows[table]!.length, table).toBe(batch.report[file].create);

    // The MOPD ID the old registry gave is kept; a person without one gets a new one.
    const people = Object.fromEntries(rows.professionals!.map((p: { legacy_id: string; mopd_id: string }) => [p.legacy_id, p.mopd_id]));
    expect(people['TB-100']).toBe('MO0004211');
    expect(people['TB-101']).toMatch(/^MO\d{7}$/);

    // Online-only CPR earns nothing, by the rule and with its reason; the rest counts in full.
    const training = Object.fromEntries(rows.training_records!.map((t: { legacy_id: string }) => [t.legacy_id, t]));
    expect(training['TR-2']).toMatchObject({ source: 'legacy_import', credited_hours: 0, credit_rule_set_version: 1, credit_reasons: [expect.objectContaining({ ruleId: 'credit.cpr-online-only-not-allowed' })] });
    expect(training['TR-1']).toMatchObject({ source: 'legacy_import', hours: 3, credited_hours: 3, credit_reasons: [] });
    expect(training['TR-6']).toMatchObject({ credited_hours: 1.5 });
    // Compliance was computed for the people touched.
    expect(await database.db('compliance_results').whereIn('professional_id', rows.professionals!.map((p: { id: number }) => p.id)).count({ n: '*' }).first()).toEqual({ n: 2 });

    // The same batch again: everything unchanged, nothing written.
    const again = (await upload(admin, 'toolbox').expect(201)).body.batch;
    for (const file of Object.values(again.report) as Array<{ create: number; update: number; unchanged: number }>) expect([file.create, file.update]).toEqual([0, 0]);
    expect(again.report['training.csv'].unchanged).toBe(3);
    const second = await applied(admin, again.id);
    expect(second.status).toBe('applied');
    expect(await snapshot('toolbox')).toEqual(rows);

    // An applied batch is not applied twice.
    await admin.post(`/api/admin/imports/${again.id}/apply`).expect(409);
  });

  it('flags a person already in the registry under a slightly different name', async () => {
    const existing = await aProfessional(database.db, { firstName: 'Jonathan', lastName: 'Whitaker', email: 'jon.whitaker@example.org' });
    await database.db('professionals').where({ id: existing.id }).update({ birth_date: '1984-09-17' });
    const report = await previewFiles(database.db, 'dupes', [
      {
        name: 'professionals.csv',
        content: [
          'legacy_id,mopd_id,first_name,last_name,email,birth_date',
          'D-1,,Jonathon,Whittaker,j.whitaker@example.org,9/17/1984',
          'D-2,,Jon,Whitaker,jon.whitaker@example.org,',
          `D-3,${existing.mopd_id},Jonathon,Whittaker,jon.whitaker@example.org,1984-09-17`,
          'D-4,,Jonathan,Whitaker,someone.else@example.org,1990-01-01',
        ].join('\n'),
      },
    ]);
    const file = report['professionals.csv']!;
    expect(file.rejected).toEqual([
      { line: 2, column: 'last_name', reason: expect.stringContaining(`looks like a duplicate of ${existing.mopd_id} (Jonathan Whitaker): same birth date 1984-09-17`) },
      { line: 3, column: 'email', reason: expect.stringContaining(`jon.whitaker@example.org belongs to ${existing.mopd_id}`) },
    ]);
    // Given the MOPD ID, the same person is updated; a namesake with another birth date and email is new.
    expect(file).toMatchObject({ create: 1, update: 1, rejectedCount: 2 });
  });

  it('reports a training file checked in SQL the same as one checked row by row', async () => {
    // Quoted fields send a training file the row-by-row way; the same rows unquoted are staged with COPY.
    const files = FILES.map((name) => ({ name, content: fs.readFileSync(path.join(FIXTURES, name), 'utf8') }));
    const quoted = files.map((f) => (f.name === 'training.csv' ? { ...f, content: f.content.replace('Health and Safety Basics', '"Health and Safety Basics"') } : f));
    expect(quoted).not.toEqual(files);
    const [staged, rowByRow] = await Promise.all([previewFiles(database.db, 'both-ways', files), previewFiles(database.db, 'both-ways', quoted)]);
    expect(staged['training.csv']).toEqual(rowByRow['training.csv']);
    expect(staged['training.csv']!.rows).toBe(7);
    expect(staged['training.csv']!.rejected).toContainEqual({ line: 4, column: 'hours', reason: '30 hours is out of range (more than 0, at most 24)' });
  });

  it('refuses an upload that is not CSV, naming the field', async () => {
    const res = await admin.agent.post('/api/admin/imports').set('x-csrf-token', admin.csrf).attach('files', Buffer.from('%PDF-1.4'), 'training.pdf').expect(400);
    expect(res.body.error).toMatchObject({ type: 'Invalid', fields: [{ field: 'files', message: 'training.pdf is not a .csv file' }] });
  });
});
