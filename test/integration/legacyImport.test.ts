/** Legacy import over HTTP: the preview report, the apply, a second run, credit by the rules. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { aCourse, aProfessional, anOrganization } from '../support/fixtures.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import { applyBatch, previewBatch, previewFiles, startApplying } from '../../services/legacyImport/index.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { startWorker } from '../support/worker.js';
import { until } from '../support/polling.js';
import { Client, Connection } from '@temporalio/client';
import { keepHistoryOf } from '../support/histories.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/legacy');
const FILES = fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.csv'));

let http: HttpApp;
let database: TestDatabase;
let app: Express;
let admin: Session;
/** Applies run in their workflow on the worker, as do the approval workflows of pending applications. */
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  http = await startHttpApp('legacy-import');
  ({ database, app } = http);
  admin = await signIn(app, await aUser(database.db, ['admin']));
  worker = await startWorker(database.db, http.taskQueue);
});
afterAll(async () => {
  await worker?.stop();
  await http?.close();
});

function upload(who: Session, system: string) {
  const req = who.agent.post('/api/admin/imports').set('x-csrf-token', who.csrf).field('system', system);
  for (const name of FILES) req.attach('files', path.join(FIXTURES, name));
  return req;
}

async function applied(who: Session, id: number) {
  await who.post(`/api/admin/imports/${id}/apply`).expect(202);
  return until(
    async () => (await who.get(`/api/admin/imports/${id}`).expect(200)).body.batch,
    (batch) => batch.status !== 'applying',
  );
}

/** Rows as knex reads them (typed loosely, as the tests read their columns). */
type Rows = Awaited<ReturnType<ReturnType<TestDatabase['db']>['select']>>;

/** Every imported row of a system, as the registry holds it. */
/** Waits until the workflow rests on a timer (its last event started one) or has ended. */
async function untilWaitingOnTimer(workflowId: string): Promise<void> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const handle = new Client({ connection }).workflow.getHandle(workflowId);
    await until(
      async () => (await handle.fetchHistory()).events?.at(-1) ?? null,
      // A timer of a moment (a reminder date already passed) is not a rest: the step comes next.
      (last) =>
        last !== null &&
        (Number(last.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) > 60 ||
          last.workflowExecutionCompletedEventAttributes != null),
    );
  } finally {
    await connection.close();
  }
}

async function snapshot(system: string): Promise<Record<string, Rows>> {
  const tables = [
    'organizations',
    'professionals',
    'courses',
    'education',
    'employments',
    'training_records',
    'cases',
    'events',
  ];
  const rows: Record<string, Rows> = Object.fromEntries(
    await Promise.all(
      tables.map(async (t) => [t, await database.db(t).where({ legacy_system: system }).orderBy('id')] as const),
    ),
  );
  // What imported cases and events brought with them.
  const caseIds = rows.cases!.map((c: { id: number }) => c.id);
  const users = rows.cases!.map((c: { applicant_user_id: number }) => c.applicant_user_id);
  return {
    ...rows,
    case_events: await database.db('case_events').whereIn('case_id', caseIds).orderBy('id'),
    trainers: await database.db('trainers').whereIn('user_id', users).orderBy('user_id'),
    trainer_certifications: await database.db('trainer_certifications').whereIn('case_id', caseIds).orderBy('id'),
    event_sessions: await database
      .db('event_sessions')
      .whereIn(
        'event_id',
        rows.events!.map((e: { id: number }) => e.id),
      )
      .orderBy('id'),
    users: await database.db('users').whereIn('id', users).orderBy('id'),
  };
}

describe('legacy import', () => {
  it('reports each bad row by file, line, column and reason before anything is written', async () => {
    const { batch } = (await upload(admin, 'report-check').expect(201)).body;
    expect(batch.status).toBe('previewed');
    const rejected = (file: string) => batch.report[file].rejected;
    expect(rejected('training.csv')).toEqual([
      { line: 4, column: 'hours', reason: '30 hours is out of range (more than 0, at most 24)' },
      {
        line: 5,
        column: 'course_legacy_id',
        reason: 'no course with legacy id "WC-99" in courses.csv or the registry',
      },
      { line: 6, column: 'completed_on', reason: '"13/45/2025" is not a day of the calendar' },
      { line: 8, column: 'hours', reason: "5 hours is more than the course's 3 clock hours" },
    ]);
    expect(rejected('professionals.csv')).toEqual([
      { line: 4, column: 'mopd_id', reason: expect.stringContaining('"M12345" is not an MOPD ID') },
      { line: 5, column: 'birth_date', reason: '"2/30/1985" is not a day of the calendar' },
      {
        line: 6,
        column: 'last_name',
        reason: expect.stringMatching(
          /^looks like a duplicate of MO0004211 \(Katherine Smith\): same birth date 1986-04-12.*give MO0004211 in mopd_id$/,
        ),
      },
      { line: 7, column: 'email', reason: 'is required' },
    ]);
    expect(rejected('employment.csv')).toEqual([
      {
        line: 4,
        column: 'organization_legacy_id',
        reason: 'no organization with legacy id "ORG-77" in organizations.csv or the registry',
      },
      { line: 5, column: 'end_date', reason: '2021-06-01 is before the hire date 2022-06-01' },
    ]);
    expect(rejected('education.csv').map((p: { column: string }) => p.column)).toEqual([
      'person_legacy_id',
      'degree_level',
    ]);
    expect(rejected('organizations.csv')).toEqual([
      { line: 4, column: 'contract_year_start_month', reason: 'is required for a subsidized program' },
    ]);
    expect(rejected('courses.csv').map((p: { line: number; column: string }) => [p.line, p.column])).toEqual([
      [4, 'clock_hours'],
      [5, 'in_person_hours'],
    ]);
    expect(batch.report['training.csv']).toMatchObject({
      rows: 8,
      create: 4,
      update: 0,
      unchanged: 0,
      rejectedCount: 4,
    });
    expect(rejected('trainer_applications.csv')).toEqual([
      {
        line: 5,
        column: 'person_legacy_id',
        reason: 'no person with legacy id "TB-999" in professionals.csv or the registry',
      },
      { line: 6, column: 'specialties', reason: expect.stringContaining('specialty: "knitting" is not one of') },
      { line: 7, column: 'decided_on', reason: 'is required for an application approved' },
    ]);
    expect(rejected('course_applications.csv')).toEqual([
      { line: 5, column: 'trainer_legacy_id', reason: 'give the trainer’s application legacy id or MOPD ID' },
      {
        line: 6,
        column: 'trainer_legacy_id',
        reason: 'no trainer application with legacy id "TA-77" in trainer_applications.csv or the registry',
      },
      { line: 7, column: 'level', reason: '"expert" is not one of introductory, intermediate, advanced' },
      {
        line: 8,
        column: 'legacy_id',
        reason:
          '"WC-10" is already the legacy id of a course from courses.csv; courses and course applications share their ids',
      },
    ]);
    expect(rejected('events.csv')).toEqual([
      { line: 5, column: 'course_legacy_id', reason: expect.stringContaining('no course with legacy id "CA-3"') },
      { line: 6, column: 'address_line', reason: 'is required: the course is taught in person' },
      { line: 7, column: 'sessions', reason: 'session: "2025-08-01 11:00-09:00" ends before it starts' },
      { line: 8, column: 'address_line', reason: 'is only for in-person and blended events; this course is online' },
    ]);
    expect(batch.report['trainer_applications.csv']).toMatchObject({ rows: 6, create: 3, rejectedCount: 3 });
    expect(batch.report['course_applications.csv']).toMatchObject({ rows: 7, create: 3, rejectedCount: 4 });
    expect(batch.report['events.csv']).toMatchObject({ rows: 8, create: 4, rejectedCount: 4 });
    // A preview writes nothing to the registry.
    expect(Object.values(await snapshot('report-check')).every((rows) => rows.length === 0)).toBe(true);
  });

  it('applies what the preview said, keeps MOPD IDs, credits training by the rules, and changes nothing on a second run', async () => {
    const { batch } = (await upload(admin, 'toolbox').expect(201)).body;
    const done = await applied(admin, batch.id);
    expect(done).toMatchObject({ status: 'applied', progress: { done: done.progress.total, total: 23 }, error: null });
    // Pending applications entered their approval workflows, which the worker runs: once each has
    // done its automatic checks, the registry holds still.
    await until(
      () =>
        database
          .db('cases')
          .where({ legacy_system: 'toolbox', status: 'submitted' })
          .count<{ n: string }[]>({ n: '*' }),
      ([row]) => Number(row!.n) === 0,
    );
    // The imported trainer's term (TA-1) is followed by its own workflow, which reminds at once
    // when the reminder date has passed: wait until it rests on a timer, so it writes nothing more.
    const ta1 = await database
      .db('cases')
      .where({ legacy_system: 'toolbox', legacy_id: 'TA-1' })
      .first<{ workflow_id: string }>('workflow_id');
    await untilWaitingOnTimer(ta1.workflow_id);
    const rows = await snapshot('toolbox');
    const kinds: Record<string, string> = {
      organizations: 'organizations.csv',
      professionals: 'professionals.csv',
      education: 'education.csv',
      employments: 'employment.csv',
      training_records: 'training.csv',
      events: 'events.csv',
    };
    for (const [table, file] of Object.entries(kinds))
      expect(rows[table]!.length, table).toBe(batch.report[file].create);
    // courses.csv's rows and the approved course applications (CA-1, CA-2); cases of both application files.
    expect(rows.courses!.map((c: { legacy_id: string }) => c.legacy_id)).toEqual(['WC-10', 'WC-11', 'CA-1', 'CA-2']);
    expect(rows.cases!.length).toBe(
      batch.report['trainer_applications.csv'].create + batch.report['course_applications.csv'].create,
    );

    // The MOPD ID the old registry gave is kept; a person without one gets a new one.
    const people = Object.fromEntries(
      rows.professionals!.map((p: { legacy_id: string; mopd_id: string }) => [p.legacy_id, p.mopd_id]),
    );
    // Regions, which reports and search group by, come from the county.
    expect(
      rows.organizations!.map((o: { legacy_id: string; region: string | null }) => [o.legacy_id, o.region]),
    ).toEqual([
      ['ORG-1', 'Central'],
      ['ORG-2', 'Central'],
    ]);
    expect(rows.professionals!.find((p: { legacy_id: string }) => p.legacy_id === 'TB-100')).toMatchObject({
      county: 'Boone',
      region: 'Central',
    });
    expect(people['TB-100']).toBe('MO0004211');
    expect(people['TB-101']).toMatch(/^MO\d{7}$/);

    // Online-only CPR earns nothing, by the rule and with its reason; the rest counts in full.
    const training = Object.fromEntries(rows.training_records!.map((t: { legacy_id: string }) => [t.legacy_id, t]));
    expect(training['TR-2']).toMatchObject({
      source: 'legacy_import',
      credited_hours: 0,
      credit_rule_set_version: 1,
      credit_reasons: [expect.objectContaining({ ruleId: 'credit.cpr-online-only-not-allowed' })],
    });
    expect(training['TR-1']).toMatchObject({
      source: 'legacy_import',
      hours: 3,
      credited_hours: 3,
      credit_reasons: [],
    });
    expect(training['TR-6']).toMatchObject({ credited_hours: 1.5 });
    // Compliance was computed for the people touched.
    expect(
      await database
        .db('compliance_results')
        .whereIn(
          'professional_id',
          rows.professionals!.map((p: { id: number }) => p.id),
        )
        .count({ n: '*' })
        .first(),
    ).toEqual({ n: 2 });

    // Applications decided in the old system are closed cases with their outcome and an imported entry, no workflow run.
    const cases = Object.fromEntries(rows.cases!.map((c: { type: string; legacy_id: string }) => [c.legacy_id, c]));
    const katherine = rows.users!.find(
      (u: { professional_id: number }) =>
        u.professional_id === rows.professionals!.find((p: { legacy_id: string }) => p.legacy_id === 'TB-100').id,
    );
    expect(cases['TA-1']).toMatchObject({
      type: 'trainer_application',
      status: 'approved',
      applicant_user_id: katherine.id,
      approval_expires_on: '2027-02-03',
      decided_by_user_id: null,
    });
    expect(cases['TA-2']).toMatchObject({
      status: 'denied',
      decision_reasons: ['Not yet enough experience training adults'],
    });
    const timeline = (legacyId: string) =>
      rows
        .case_events!.filter((e: { case_id: number }) => e.case_id === cases[legacyId].id)
        .map((e: { kind: string }) => e.kind);
    // Then the renewal reminder, once its date (before the term's end) has come.
    expect(timeline('TA-1').slice(0, 3)).toEqual(['submitted', 'approved', 'imported']);
    expect(timeline('TA-1').slice(3)).toEqual(timeline('TA-1').length > 3 ? ['approval_expiring'] : []);
    // The approved trainer is one for two years from the decision, with the instructor certification (no file kept).
    expect(rows.trainers).toEqual([
      expect.objectContaining({
        user_id: katherine.id,
        approved_until: '2027-02-03',
        approved_by_case_id: cases['TA-1'].id,
        specialties: ['health-safety', 'cpr-first-aid'],
        regions: ['Central'],
      }),
    ]);
    expect(rows.trainer_certifications).toEqual([
      expect.objectContaining({
        trainer_user_id: katherine.id,
        model: 'American Red Cross',
        expires_on: '2027-06-30',
        upload_id: null,
      }),
    ]);
    expect(await database.db('user_roles').where({ user_id: katherine.id }).orderBy('role').pluck('role')).toEqual([
      'professional',
      'trainer',
    ]);
    // A person without an account got one, without a password (chosen later through "Forgot password").
    expect(katherine).toMatchObject({ email: 'katherine.smith@example.org', password_hash: '!imported' });
    // Still pending in the old system: its approval workflow ran the checks and, with no document
    // attached, asked the applicant for one, as for an application made in MOPD.
    expect(cases['TA-3']).toMatchObject({
      status: 'information_requested',
      submitted_at: new Date('2026-10-15T05:00:00Z'),
    });
    expect(timeline('TA-3').slice(0, 3)).toEqual(['submitted', 'imported', 'checked']);
    // An approved course application is an approved course of its trainer, which events and training use.
    const course = rows.courses!.find((c: { legacy_id: string }) => c.legacy_id === 'CA-1');
    expect(course).toMatchObject({
      approved: true,
      trainer_user_id: katherine.id,
      approved_by_case_id: cases['CA-1'].id,
      clock_hours: 2,
      fee_cents: 1500,
      level: 'introductory',
    });
    const events = Object.fromEntries(rows.events!.map((e: { legacy_id: string }) => [e.legacy_id, e]));
    expect(events['EV-1']).toMatchObject({
      course_id: course.id,
      trainer_user_id: katherine.id,
      trainer_name: 'Katherine Smith',
      city: 'Columbia',
      region: 'Central',
      capacity: 20,
      fee_cents: 1500,
      first_session_at: new Date('2025-04-12T14:00:00Z'),
    });
    expect(events['EV-2']).toMatchObject({
      delivery: 'online',
      online_url: 'https://learn.example.org/guidance',
      address_line: null,
    });
    expect(
      rows
        .event_sessions!.filter((s: { event_id: number }) => s.event_id === events['EV-3'].id)
        .map((s: { hours: number }) => s.hours),
    ).toEqual([1.5, 1.5]);
    expect(training['TR-8']).toMatchObject({ course_id: course.id, credited_hours: 2, source: 'legacy_import' });
    await keepHistoryOf(`import-apply-${batch.id}`, 'legacyImportApply-applied');
    // The imported trainer's term runs into next year: kept as far as it got (the renewal reminder, the wait for the expiry).
    await keepHistoryOf(cases['TA-1'].workflow_id, 'importedTrainerApproval-reminded', { ended: false });

    // The same batch again: everything unchanged, nothing written.
    const again = (await upload(admin, 'toolbox').expect(201)).body.batch;
    for (const file of Object.values(again.report) as Array<{ create: number; update: number; unchanged: number }>)
      expect([file.create, file.update]).toEqual([0, 0]);
    expect(again.report['training.csv'].unchanged).toBe(4);
    expect(again.report['events.csv'].unchanged).toBe(4);
    expect(again.report['trainer_applications.csv'].unchanged).toBe(3);
    const second = await applied(admin, again.id);
    expect(second.status).toBe('applied');
    expect(await snapshot('toolbox')).toEqual(rows);

    // A courses.csv row cannot take the legacy id of a course made from an approved application.
    const clash = await previewFiles(database.db, 'toolbox', [
      {
        name: 'courses.csv',
        content:
          'legacy_id,title,sponsor,topic,delivery,clock_hours,approved\nCA-1,Something Else,Calendar,guidance,in_person,2,yes',
      },
    ]);
    expect(clash['courses.csv']!.rejected).toEqual([
      {
        line: 2,
        column: 'legacy_id',
        reason: `"CA-1" is the legacy id of an approved course application (case ${cases['CA-1'].id}); courses and course applications share their ids`,
      },
    ]);

    // A training row changed since: both ways of checking list it as an update of the record imported before.
    const changedRow = fs
      .readFileSync(path.join(FIXTURES, 'training.csv'), 'utf8')
      .replace('TR-1,TB-100,,WC-10,,,,3/14/2025,3', 'TR-1,TB-100,,WC-10,,,,3/14/2025,2');
    const changedTraining = [
      changedRow,
      changedRow.replace('TR-6,,MO0004211,,Health and Safety Basics', 'TR-6,,MO0004211,,"Health and Safety Basics"'),
    ];
    for (const content of changedTraining) {
      const preview = await previewFiles(database.db, 'toolbox', [{ name: 'training.csv', content }]);
      expect(preview['training.csv']).toMatchObject({
        update: 1,
        updates: [{ line: 2, record: 'training record "TR-1"', matchedBy: 'legacyId', changes: [] }],
      });
    }

    // An applied batch is not applied twice.
    await admin.post(`/api/admin/imports/${again.id}/apply`).expect(409);
  });

  it('flags a person already in the registry under a slightly different name', async () => {
    const existing = await aProfessional(database.db, {
      firstName: 'Jonathan',
      lastName: 'Whitaker',
      email: 'jon.whitaker@example.org',
    });
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
      {
        line: 2,
        column: 'last_name',
        reason: expect.stringContaining(
          `looks like a duplicate of ${existing.mopd_id} (Jonathan Whitaker): same birth date 1984-09-17`,
        ),
      },
      {
        line: 3,
        column: 'email',
        reason: expect.stringContaining(`jon.whitaker@example.org belongs to ${existing.mopd_id}`),
      },
    ]);
    // Given the MOPD ID, the same person is updated; a namesake with another birth date and email is new.
    expect(file).toMatchObject({ create: 1, update: 1, rejectedCount: 2 });
    // The preview says which existing person that update changes, how it was matched and what changes.
    expect(file.updates).toEqual([
      {
        line: 4,
        record: `${existing.mopd_id} (Jonathan Whitaker)`,
        matchedBy: 'mopdId',
        changes: ['first_name', 'last_name'],
      },
    ]);
  });

  it('reports a training file checked in SQL the same as one checked row by row', async () => {
    // Quoted fields send a training file the row-by-row way; the same rows unquoted are staged with COPY.
    const files = FILES.map((name) => ({ name, content: fs.readFileSync(path.join(FIXTURES, name), 'utf8') }));
    const quoted = files.map((f) =>
      f.name === 'training.csv'
        ? { ...f, content: f.content.replace('Health and Safety Basics', '"Health and Safety Basics"') }
        : f,
    );
    expect(quoted).not.toEqual(files);
    const [staged, rowByRow] = await Promise.all([
      previewFiles(database.db, 'both-ways', files),
      previewFiles(database.db, 'both-ways', quoted),
    ]);
    expect(staged['training.csv']).toEqual(rowByRow['training.csv']);
    expect(staged['training.csv']!.rows).toBe(8);
    expect(staged['training.csv']!.rejected).toContainEqual({
      line: 4,
      column: 'hours',
      reason: '30 hours is out of range (more than 0, at most 24)',
    });
  });

  it('credits repeated completions of a once-a-year course the same whether the file is written in SQL or row by row', async () => {
    // A DESE online course earns hours once a calendar year: the n-th completion in a year is
    // decided after the ones before it, counting a credited completion already in the registry.
    const online = await aCourse(database.db, {
      title: 'Guidance Online',
      topic: 'guidance',
      delivery: 'online',
      clock_hours: 2,
    });
    const inPerson = await aCourse(database.db, { title: 'Room Arrangement', topic: 'environment', clock_hours: 3 });
    const credited = async (system: string, sponsor: string) => {
      const person = await aProfessional(database.db);
      await database.db('training_records').insert({
        professional_id: person.id,
        course_id: online.id,
        title: online.title,
        topic: online.topic,
        completed_on: '2025-02-01',
        hours: 2,
        source: 'online_course',
        credited_hours: 2,
        credit_rule_set: COMPLIANCE_RULE_SET,
        credit_rule_set_version: 1,
      });
      const row = (id: string, course: typeof online, on: string, hours: number) =>
        `${id},,${person.mopd_id},,${course.title},${sponsor},${course.topic},${on},${hours}`;
      const content = [
        'legacy_id,person_legacy_id,mopd_id,course_legacy_id,course_title,course_sponsor,course_topic,completed_on,hours',
        row('O-1', online, '2025-03-01', 2),
        row('O-2', online, '1/15/2024', 2),
        row('O-3', online, '2026-06-01', 2),
        row('O-4', online, '2026-03-01', 1),
        row('O-5', online, '2026-03-01', 2),
        row('O-6', inPerson, '2026-03-01', 3),
        row('O-7', online, '2025-02-01', 2),
      ].join('\n');
      const files = [{ name: 'training.csv', content }];
      const batch = await previewBatch(database.db, {
        name: system,
        system,
        files,
        uploadedBy: null,
        keepFiles: false,
      });
      expect(batch.report['training.csv']).toMatchObject({ create: 7, rejectedCount: 0 });
      await startApplying(database.db, batch.id);
      await applyBatch(database.db, batch.id, { files });
      const records = await database
        .db('training_records')
        .where({ legacy_system: system })
        .orderBy('legacy_id')
        .select('legacy_id', 'credited_hours', 'credit_reasons');
      return records.map(
        (r: { legacy_id: string; credited_hours: number; credit_reasons: Array<{ ruleId: string }> }) => [
          r.legacy_id,
          r.credited_hours,
          r.credit_reasons.map((reason) => reason.ruleId),
        ],
      );
    };
    // A quoted field sends the same rows the row-by-row way.
    const [staged, rowByRow] = [await credited('once-sql', 'DESE OOC'), await credited('once-rows', '"DESE OOC"')];
    const again = ['credit.dese-online-once-per-calendar-year'];
    expect(staged).toEqual([
      ['O-1', 0, again], // after the registry's credited completion of 2025-02-01
      ['O-2', 2, []], // the first of 2024
      ['O-3', 0, again], // the third of 2026
      // O-4 and O-5 share a day: the one with more hours attended keeps the year's credit,
      // wherever it stands in the file (services/credit.ts sameDayOrderKey).
      ['O-4', 0, again],
      ['O-5', 2, []], // the first of 2026
      ['O-6', 3, []],
      ['O-7', 0, again], // the same day as the registry's
    ]);
    expect(rowByRow).toEqual(staged);
  });

  it('decides again a registry completion that an imported earlier one of the same course and year now precedes', async () => {
    const online = await aCourse(database.db, {
      title: 'Guidance Online Again',
      topic: 'guidance',
      delivery: 'online',
      clock_hours: 2,
    });
    const person = await aProfessional(database.db);
    const [september] = await database
      .db('training_records')
      .insert({
        professional_id: person.id,
        course_id: online.id,
        title: online.title,
        topic: online.topic,
        completed_on: '2025-09-01',
        hours: 2,
        source: 'online_course',
        credited_hours: 2,
        credit_rule_set: COMPLIANCE_RULE_SET,
        credit_rule_set_version: 1,
      })
      .returning('id');
    const content = [
      'legacy_id,person_legacy_id,mopd_id,course_legacy_id,course_title,course_sponsor,course_topic,completed_on,hours',
      `R-1,,${person.mopd_id},,${online.title},DESE OOC,${online.topic},2025-03-01,2`,
    ].join('\n');
    const files = [{ name: 'training.csv', content }];
    const batch = await previewBatch(database.db, {
      name: 'redecide',
      system: 'redecide',
      files,
      uploadedBy: null,
      keepFiles: false,
    });
    await startApplying(database.db, batch.id);
    await applyBatch(database.db, batch.id, { files });
    const records = await database
      .db('training_records')
      .where({ professional_id: person.id })
      .orderBy('completed_on')
      .select('completed_on', 'credited_hours', 'credit_reasons');
    expect(
      records.map((r: { completed_on: string; credited_hours: number; credit_reasons: Array<{ ruleId: string }> }) => [
        r.completed_on,
        Number(r.credited_hours),
        r.credit_reasons.map((c) => c.ruleId),
      ]),
    ).toEqual([
      ['2025-03-01', 2, []],
      ['2025-09-01', 0, ['credit.dese-online-once-per-calendar-year']],
    ]);
    const history = await database.db('audit_log').where({
      entity: 'training_record',
      entity_id: String((september as { id: number }).id),
      action: 'training_record.redecided',
    });
    expect(history).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ credited_hours: 2 }),
        after: expect.objectContaining({ credited_hours: 0 }),
      }),
    ]);
  });

  it('sends pending applications through their approval workflow to the review queue, and leaves them to MOPD afterwards', async () => {
    const { db } = database;
    const trainer = await aProfessional(db, {
      firstName: 'Quinn',
      lastName: 'Harper',
      email: 'quinn.harper@example.org',
    });
    const newcomer = await aProfessional(db, {
      firstName: 'Rosa',
      lastName: 'Delgado',
      email: 'rosa.delgado@example.org',
    });
    const reviewer = await signIn(app, await aUser(db, ['reviewer']));
    const files = (courseTitle: string) => [
      {
        name: 'trainer_applications.csv',
        content: [
          'legacy_id,mopd_id,specialties,submitted_on,outcome,decided_on',
          `Q-1,${trainer.mopd_id},curriculum,2025-09-01,approved,2025-09-20`,
          `Q-2,${newcomer.mopd_id},guidance,2026-11-20,pending,`,
        ].join('\n'),
      },
      {
        name: 'course_applications.csv',
        content: [
          'legacy_id,title,sponsor,topic,level,delivery,clock_hours,trainer_legacy_id,submitted_on,outcome',
          `QC-1,${courseTitle},Workshop Calendar,curriculum,intermediate,in_person,3,Q-1,2026-11-25,pending`,
        ].join('\n'),
      },
    ];
    const upload = async (content: ReturnType<typeof files>) => {
      const req = admin.agent.post('/api/admin/imports').set('x-csrf-token', admin.csrf).field('system', 'queue-check');
      for (const f of content) req.attach('files', Buffer.from(f.content), f.name);
      return (await req.expect(201)).body.batch;
    };
    {
      const batch = await upload(files('Play-Based Curriculum'));
      expect(await applied(admin, batch.id)).toMatchObject({ status: 'applied', error: null });
      const ids = Object.fromEntries(
        (await db('cases').where({ legacy_system: 'queue-check' }).select('legacy_id', 'id')).map((c) => [
          c.legacy_id!,
          c.id,
        ]),
      );

      // The course application of an approved trainer passes the automatic checks and waits for a reviewer;
      // the trainer application without documents goes back to its applicant, as one submitted in MOPD would.
      const queue = await until(
        async (): Promise<Array<{ id: number; status: string; type: string }>> =>
          (await reviewer.get('/api/cases').expect(200)).body.cases,
        (cases) =>
          cases.find((c) => c.id === ids['QC-1'])?.status === 'in_review' &&
          cases.find((c) => c.id === ids['Q-2'])?.status === 'information_requested',
        20_000,
      );
      expect(queue.find((c) => c.id === ids['QC-1'])).toMatchObject({ type: 'course_approval', status: 'in_review' });
      expect(queue.find((c) => c.id === ids['Q-2'])).toMatchObject({
        type: 'trainer_application',
        status: 'information_requested',
      });
      // The decided one is not in the queue; its trainer is approved until two years after the decision.
      expect(queue.some((c) => c.id === ids['Q-1'])).toBe(false);
      expect(
        await db('trainers')
          .join('users', 'users.id', 'trainers.user_id')
          .where('users.professional_id', trainer.id)
          .first('approved_until'),
      ).toEqual({ approved_until: '2027-09-20' });
      const timeline = (await reviewer.get(`/api/cases/${ids['QC-1']}`).expect(200)).body.timeline.map(
        (e: { kind: string }) => e.kind,
      );
      expect(timeline.slice(0, 3)).toEqual(['submitted', 'imported', 'checked']);

      // Running the batch again changes nothing; a changed row of a case MOPD now runs is refused, naming the case.
      const again = await upload(files('Play-Based Curriculum'));
      expect(again.report['course_applications.csv']).toMatchObject({ create: 0, update: 0, unchanged: 1 });
      const changed = await upload(files('Play-Based Curriculum (Revised)'));
      expect(changed.report['course_applications.csv'].rejected).toEqual([
        {
          line: 2,
          column: 'outcome',
          reason: `was imported as pending and is case ${ids['QC-1']} in MOPD now (in review); it is decided there, not by a re-import`,
        },
      ]);
    }
  });

  it('opens the hire-date deadlines of a recent imported hire, and none for a hire long past', async () => {
    const { db } = database;
    const license = `LIC-RECENT-${Date.now()}`;
    await anOrganization(db, { licensed: true, serves_infants: true, license_number: license });
    const recent = await aProfessional(db);
    const longAgo = await aProfessional(db);
    const today = localDateOf(new Date());
    const content = [
      'legacy_id,person_legacy_id,mopd_id,organization_legacy_id,license_number,role,hire_date,end_date',
      `HD-1,,${recent.mopd_id},,${license},teacher,${addDays(today, -10)},`,
      `HD-2,,${longAgo.mopd_id},,${license},teacher,${addDays(today, -400)},`,
    ].join('\n');
    const req = admin.agent.post('/api/admin/imports').set('x-csrf-token', admin.csrf).field('system', 'recent-hires');
    req.attach('files', Buffer.from(content), 'employment.csv');
    const batch = (await req.expect(201)).body.batch;
    expect(await applied(admin, batch.id)).toMatchObject({ status: 'applied', error: null });
    const deadlines = await until(
      () =>
        db('deadlines').where({ professional_id: recent.id }).select('requirement', 'status', 'due_on', 'workflow_id'),
      (rows) => rows.length > 0,
    );
    expect(deadlines).toEqual([
      expect.objectContaining({ requirement: 'infant-safe-sleep', status: 'open', due_on: addDays(today, 20) }),
    ]);
    expect(await db('deadlines').where({ professional_id: longAgo.id })).toEqual([]);
  });

  it('refuses an upload that is not CSV, naming the field', async () => {
    const res = await admin.agent
      .post('/api/admin/imports')
      .set('x-csrf-token', admin.csrf)
      .attach('files', Buffer.from('%PDF-1.4'), 'training.pdf')
      .expect(400);
    expect(res.body.error).toMatchObject({
      type: 'Invalid',
      fields: [{ field: 'files', message: 'training.pdf is not a .csv file' }],
    });
  });
});
