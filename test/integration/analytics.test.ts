/**
 * Workforce analytics over HTTP against a real database with built data: counts, rates, hours and
 * where demand exceeds supply; small groups suppressed in JSON and CSV alike; access by role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, visitor, type Session } from '../support/app.js';
import { createEvent } from '../../db/events.js';
import { addDays, localDateAtHour, localDateOf } from '../../rules/dates.js';
import type { PublishedCell, PublishedTable } from '../../services/analytics/tables.js';
import type { DemandReport, TablesReport } from '../../services/analytics/reports.js';
import type { ProfessionalRow } from '../../db/rows.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;
let policy: Session;
const today = localDateOf(new Date());

/** Minimal RFC 4180 reader for the answers (quotes, doubled quotes, commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

const cellOf = (table: PublishedTable, row: string, column: string): PublishedCell => {
  const i = table.rows.findIndex((r) => r.key === row);
  const j = table.columns.findIndex((c) => c.key === column);
  if (i === -1 || j === -1) throw new Error(`no cell ${row} × ${column} in ${table.id}`);
  return table.cells[i]![j]!;
};

/** Each hidden cell shares its row and its column with another hidden cell or total (else subtraction finds it). */
function expectNoLoneHiddenCell(table: PublishedTable) {
  table.rows.forEach((_, i) => {
    const line = [...table.cells[i]!, table.rowTotals[i]!];
    expect(line.filter((c) => c.suppressed).length, `${table.id} row ${table.rows[i]!.key}`).not.toBe(1);
  });
  table.columns.forEach((_, j) => {
    const line = [...table.cells.map((r) => r[j]!), table.columnTotals[j]!];
    expect(line.filter((c) => c.suppressed).length, `${table.id} column ${table.columns[j]!.key}`).not.toBe(1);
  });
  expect([...table.rowTotals, table.total].filter((c) => c.suppressed).length).not.toBe(1);
  expect([...table.columnTotals, table.total].filter((c) => c.suppressed).length).not.toBe(1);
  for (const c of [...table.cells.flat(), ...table.rowTotals, ...table.columnTotals, table.total])
    if (c.suppressed) expect(Object.keys(c)).toEqual(['suppressed']);
}

/** Every cell of the JSON tables appears in the CSV with the same value (or "suppressed"). */
function expectCsvMatches(report: TablesReport, csv: string[][]) {
  const [header, ...lines] = csv;
  expect(header).toEqual([
    'table',
    'row_dimension',
    'row',
    'column_dimension',
    'column',
    'measure',
    'value',
    'out_of',
    'rate_percent',
  ]);
  let count = 0;
  for (const t of report.tables) {
    const check = (row: string, column: string, cell: PublishedCell) => {
      const line = lines.find((l) => l[0] === t.id && l[2] === row && l[4] === column);
      expect(line, `${t.id} ${row} ${column}`).toBeDefined();
      expect(line![6]).toBe(cell.suppressed ? 'suppressed' : String(cell.value));
      if (!cell.suppressed && cell.of !== undefined) expect(line![7]).toBe(String(cell.of));
      count++;
    };
    t.rows.forEach((r, i) => {
      t.columns.forEach((c, j) => check(r.label, c.label, t.cells[i]![j]!));
      check(r.label, 'Total', t.rowTotals[i]!);
    });
    t.columns.forEach((c, j) => check('Total', c.label, t.columnTotals[j]!));
    check('Total', 'Total', t.total);
  }
  expect(lines).toHaveLength(count);
}

const people = async (n: number, name: string) => {
  const out: ProfessionalRow[] = [];
  for (let i = 0; i < n; i++)
    out.push(await aProfessional(http.database.db, { firstName: name, lastName: `Number${i}` }));
  return out;
};

let centralTeachers: ProfessionalRow[];
let southwest: ProfessionalRow[];

beforeAll(async () => {
  http = await startHttpApp('analytics');
  ({ database, app } = http);
  const { db } = database;
  const central = await anOrganization(db, {
    name: 'Central Center',
    licensed: true,
    subsidized: false,
    region: 'Central',
    county: 'Boone',
  });
  // Program types are the registry's: an admin added Head Start, and Springfield is one.
  await db('program_types').insert({ code: 'head_start', label_en: 'Head Start', label_es: 'Head Start' });
  const springfield = await anOrganization(db, {
    name: 'Springfield Center',
    program_type: 'head_start',
    licensed: true,
    subsidized: true,
    contract_year_start_month: 7,
    region: 'Southwest',
    county: 'Greene',
  });
  centralTeachers = await people(12, 'Teacher');
  const cooks = await people(3, 'Cook');
  southwest = await people(9, 'Southwest');
  for (const p of centralTeachers) await anEmployment(db, p, central, '2024-02-01', 'teacher');
  for (const p of cooks) await anEmployment(db, p, central, '2024-02-01', 'cook');
  for (const [i, p] of southwest.entries())
    await anEmployment(db, p, springfield, '2024-02-01', i === 0 ? 'director' : 'teacher');
  // Someone who left Central last year is counted nowhere but under "no current employment".
  const left = await aProfessional(db, { firstName: 'Left', lastName: 'Already' });
  await db('employments').insert({
    professional_id: left.id,
    organization_id: central.id,
    role: 'teacher',
    hire_date: '2020-01-01',
    end_date: '2021-01-01',
  });

  // Last computed compliance: 10 of 15 at Central, 6 of 9 at Springfield; the others still owe hours.
  const result = (compliant: boolean) => ({
    asOf: today,
    compliant,
    requirements: [
      {
        requirement: 'licensing',
        label: 'Licensing',
        period: '2026',
        required: 12,
        applied: compliant ? 12 : 4,
        status: compliant ? 'met' : 'in_progress',
        deficitsCarried: 0,
      },
    ],
    prerequisites: [],
    refreshers: [],
  });
  const store = (p: ProfessionalRow, compliant: boolean) =>
    db('compliance_results').insert({
      professional_id: p.id,
      as_of: today,
      rule_set: 'mopd-compliance',
      rule_set_version: 1,
      compliant,
      result: JSON.stringify(result(compliant)),
    });
  for (const [i, p] of [...centralTeachers, ...cooks].entries()) await store(p, i < 10);
  for (const [i, p] of southwest.entries()) await store(p, i < 6);

  // Training this month: guidance for the twelve Central teachers (2 h each), curriculum for the three cooks (1.5 h each).
  const guidance = await aCourse(db, { title: 'Guiding Behavior', topic: 'guidance', clock_hours: 2 });
  const curriculum = await aCourse(db, { title: 'Planning Play', topic: 'curriculum', clock_hours: 1.5 });
  const record = (p: ProfessionalRow, course: { id: number; title: string; topic: string; clock_hours: number }) =>
    db('training_records').insert({
      professional_id: p.id,
      course_id: course.id,
      title: course.title,
      topic: course.topic,
      completed_on: today,
      hours: course.clock_hours,
      credited_hours: course.clock_hours,
      source: 'attendance',
      credit_rule_set: 'mopd-compliance',
      credit_rule_set_version: 1,
    });
  for (const p of centralTeachers) await record(p, guidance);
  for (const p of cooks) await record(p, curriculum);
  // Six Springfield teachers trained 30 hours long ago: career level 2 by the rule set.
  const leadership = await aCourse(db, { title: 'Leading a Classroom', topic: 'professionalism', clock_hours: 30 });
  for (const p of southwest.slice(1, 7))
    await db('training_records').insert({
      professional_id: p.id,
      course_id: leadership.id,
      title: leadership.title,
      topic: leadership.topic,
      completed_on: '2025-03-01',
      hours: 30,
      credited_hours: 30,
      source: 'attendance',
      credit_rule_set: 'mopd-compliance',
      credit_rule_set_version: 1,
    });

  // Demand: a guidance event in Central with 2 seats, both taken, 7 waiting; an online health and
  // safety course with 50 seats nobody took; six Springfield staff owe infant safe sleep.
  const place = {
    addressLine: '210 Oak Grove Rd',
    city: 'Columbia',
    county: 'Boone',
    region: 'Central' as const,
    zip: '65201',
  };
  const startsAt = localDateAtHour(addDays(today, 10), 9);
  const full = await createEvent(db, {
    course: guidance,
    place,
    capacity: 2,
    sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), hours: 2 }],
  });
  const online = await aCourse(db, {
    title: 'Health and Safety Online',
    topic: 'health-safety',
    delivery: 'online',
    clock_hours: 2,
  });
  await createEvent(db, {
    course: online,
    place: null,
    onlineUrl: 'https://example.org/live',
    capacity: 50,
    sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), hours: 2 }],
  });
  for (const [i, p] of centralTeachers.slice(0, 9).entries())
    await db('registrations').insert({
      event_id: full.id,
      professional_id: p.id,
      status: i < 2 ? 'registered' : 'waitlisted',
    });
  const employments: Array<{ id: number; professional_id: number }> = await db('employments')
    .whereIn(
      'professional_id',
      southwest.slice(0, 6).map((p) => p.id),
    )
    .select('id', 'professional_id');
  for (const e of employments) {
    await db('deadlines').insert({
      employment_id: e.id,
      professional_id: e.professional_id,
      organization_id: springfield.id,
      requirement: 'infant-safe-sleep',
      label: 'Infant safe sleep within 30 days of hire',
      satisfied_by_topic: 'infant-safe-sleep',
      starts_on: addDays(today, -20),
      due_on: addDays(today, 10),
      remind_at: new Date(),
      overdue_at: new Date(Date.now() + 10 * 86_400_000),
      status: 'open',
      workflow_id: `employment-deadlines-${e.id}`,
      rule_set: 'mopd-compliance',
      rule_set_version: 1,
    });
  }
  policy = await signIn(app, await aUser(db, ['policy_staff']));
});

afterAll(async () => {
  await http?.close();
});

describe('workforce analytics', () => {
  it('counts professionals by region and role, suppressing groups under five and a second cell beside each', async () => {
    const res = await policy.get('/api/analytics/workforce').expect(200);
    const report = res.body as TablesReport;
    expect(report.smallGroup).toBe(5);
    const byRole = report.tables.find((t) => t.id === 'by_region_and_role')!;
    expect(cellOf(byRole, 'Central', 'teacher')).toEqual({ suppressed: false, value: 12 });
    expect(cellOf(byRole, 'Central', 'cook')).toEqual({ suppressed: true });
    expect(cellOf(byRole, 'Southwest', 'teacher')).toEqual({ suppressed: false, value: 8 });
    expect(cellOf(byRole, 'Southwest', 'director')).toEqual({ suppressed: true });
    // Central's 15 would give the cooks away next to its 12 teachers: something else in the row is hidden too.
    const central = byRole.rows.findIndex((r) => r.key === 'Central');
    expect(
      [...byRole.cells[central]!, byRole.rowTotals[central]!].filter((c) => c.suppressed).length,
    ).toBeGreaterThanOrEqual(2);
    expectNoLoneHiddenCell(byRole);
    // Central on its own shows its line exactly as the statewide table does, hidden cells included.
    const centralOnly = (
      (await policy.get('/api/analytics/workforce?region=Central').expect(200)).body as TablesReport
    ).tables.find((t) => t.id === 'by_region_and_role')!;
    expect(centralOnly.rows.map((r) => r.key)).toEqual(['Central']);
    const shown = (t: typeof byRole, i: number) => Object.fromEntries(t.columns.map((c, j) => [c.key, t.cells[i]![j]]));
    expect(shown(centralOnly, 0)).toEqual(
      Object.fromEntries(
        Object.entries(shown(byRole, central)).filter(([key]) => centralOnly.columns.some((c) => c.key === key)),
      ),
    );
    expect(centralOnly.total).toEqual(byRole.rowTotals[central]);
    const byLevel = report.tables.find((t) => t.id === 'by_region_and_career_level')!;
    expect(cellOf(byLevel, 'Central', 'level-1')).toEqual({ suppressed: false, value: 15 });
    expect(cellOf(byLevel, 'Southwest', 'level-2')).toEqual({ suppressed: false, value: 6 });
    expect(byLevel.columns.find((c) => c.key === 'level-2')!.label).toBe('Level 2 · Developing');
    expectNoLoneHiddenCell(byLevel);

    const csv = parseCsv(
      (
        await policy
          .get('/api/analytics/workforce?format=csv')
          .expect(200)
          .expect('content-type', /text\/csv/)
      ).text,
    );
    expectCsvMatches(report, csv);
    expect(csv.find((l) => l[0] === 'by_region_and_role' && l[2] === 'Central' && l[4] === 'Cook')![6]).toBe(
      'suppressed',
    );
  });

  it('gives compliance rates by program type and region', async () => {
    const report = (await policy.get('/api/analytics/compliance').expect(200)).body as TablesReport;
    const [table] = report.tables;
    // Rows are the registry's program types (organizations.program_type), not licensing and subsidy.
    expect(cellOf(table!, 'child_care', 'Central')).toEqual({ suppressed: false, value: 10, of: 15 });
    expect(cellOf(table!, 'head_start', 'Southwest')).toEqual({ suppressed: false, value: 6, of: 9 });
    expect(table!.rows.map((r) => r.key)).toEqual(expect.arrayContaining(['child_care', 'head_start']));
    expect(table!.rows.map((r) => r.key)).not.toContain('licensed');
    expect(table!.total).toEqual({ suppressed: false, value: 16, of: 24 });
    const csv = parseCsv((await policy.get('/api/analytics/compliance?format=csv').expect(200)).text);
    expectCsvMatches(report, csv);
    expect(csv.find((l) => l[2] === 'Child care program' && l[4] === 'Central')!.slice(6)).toEqual([
      '10',
      '15',
      '66.7',
    ]);
  });

  it('sums credited hours by topic and month, hiding the topic only three people trained in', async () => {
    const report = (await policy.get('/api/analytics/training-hours?period=month').expect(200)).body as TablesReport;
    const [table] = report.tables;
    const month = today.slice(0, 7);
    expect(table!.columns.at(-1)!.key).toBe(month);
    expect(table!.columns).toHaveLength(12);
    expect(cellOf(table!, 'guidance', month)).toEqual({ suppressed: false, value: 24 });
    expect(cellOf(table!, 'curriculum', month)).toEqual({ suppressed: true });
    expectNoLoneHiddenCell(table!);
    expect(JSON.stringify(table)).not.toContain('4.5');
    const csv = parseCsv((await policy.get('/api/analytics/training-hours?period=month&format=csv').expect(200)).text);
    expectCsvMatches(report, csv);
    expect(csv.some((l) => l.includes('4.5'))).toBe(false);
    // A region filter keeps only people working there: Southwest trained in nothing this month.
    const sw = (await policy.get('/api/analytics/training-hours?region=Southwest&period=quarter').expect(200))
      .body as TablesReport;
    expect(sw.tables[0]!.total).toEqual({ suppressed: false, value: 0 });
    expect(sw.tables[0]!.columns.length).toBeLessThanOrEqual(5);
    // Topic by region over the year: guidance's 24 hours were earned at Central, curriculum's hidden.
    const byRegion = report.tables.find((t) => t.id === 'hours_by_topic_and_region')!;
    expect(cellOf(byRegion, 'guidance', 'Central')).toEqual({ suppressed: false, value: 24 });
    expect(cellOf(byRegion, 'curriculum', 'Central')).toEqual({ suppressed: true });
    expectNoLoneHiddenCell(byRegion);
    // A region's view is its column of that table; Southwest earned nothing in the range.
    const swByRegion = sw.tables.find((t) => t.id === 'hours_by_topic_and_region')!;
    expect(swByRegion.columns.map((c) => c.key)).toEqual(['Southwest']);
    expect(swByRegion.total).toEqual({ suppressed: false, value: 0 });
  });

  it('puts where training is missing first: waitlists and open deadlines against seats', async () => {
    const report = (await policy.get('/api/analytics/demand').expect(200)).body as DemandReport;
    const [top, second] = report.demand;
    expect(top).toMatchObject({
      topic: 'guidance',
      region: 'Central',
      registered: { suppressed: true },
      waitlisted: { suppressed: false, value: 7 },
      unmetDemand: { suppressed: false, value: 7 },
      events: 1,
      seats: 2,
      seatsLeft: 0,
      gap: { suppressed: false, value: 7 },
    });
    expect(second).toMatchObject({
      topic: 'infant-safe-sleep',
      region: 'Southwest',
      openDeadlines: { suppressed: false, value: 6 },
      events: 0,
      gap: { suppressed: false, value: 6 },
    });
    expect(report.demand.at(-1)).toMatchObject({
      topic: 'health-safety',
      region: 'online',
      seatsLeft: 50,
      gap: { suppressed: false, value: -50 },
    });
    // Five at Central still owe hours; three at Springfield is too few to show.
    expect(report.hoursOwed.find((r) => r.region === 'Central')).toMatchObject({
      short: { suppressed: false, value: 5 },
      seatsLeft: 0,
      gap: { suppressed: false, value: 5 },
    });
    expect(report.hoursOwed.find((r) => r.region === 'Southwest')).toMatchObject({
      short: { suppressed: true },
      gap: { suppressed: true },
    });

    const csv = parseCsv((await policy.get('/api/analytics/demand?format=csv').expect(200)).text);
    expect(csv[1]!.slice(0, 12)).toEqual([
      'by_topic_and_region',
      'Guidance and positive behavior',
      'Central',
      'suppressed',
      '7',
      '0',
      '7',
      '',
      '1',
      '2',
      '0',
      '7',
    ]);
    expect(csv.filter((l) => l[0] === 'by_topic_and_region')).toHaveLength(report.demand.length);
    expect(csv.find((l) => l[0] === 'hours_owed_by_region' && l[2] === 'Southwest')!.slice(7)).toEqual([
      'suppressed',
      '0',
      '',
      '0',
      'suppressed',
    ]);
  });

  it('answers 400 naming the field for a bad filter, 403 to a professional or director, 401 to a visitor, and lets a reviewer read', async () => {
    const { db } = database;
    const bad = await policy.get('/api/analytics/training-hours?region=Mars').expect(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toContain('region');
    const backwards = await policy.get(`/api/analytics/demand?from=${today}&to=${addDays(today, -1)}`).expect(400);
    expect(JSON.stringify(backwards.body)).toContain('to');
    const professional = await signIn(
      app,
      await aUser(db, ['professional'], { professionalId: centralTeachers[0]!.id }),
    );
    await professional.get('/api/analytics/workforce').expect(403);
    await professional.get('/api/analytics/demand?format=csv').expect(403);
    const director = await signIn(app, await aUser(db, ['director']));
    await director.get('/api/analytics/compliance').expect(403);
    await (await visitor(app)).get('/api/analytics/workforce').expect(401);
    const reviewer = await signIn(app, await aUser(db, ['reviewer']));
    await reviewer.get('/api/analytics/demand').expect(200);
  });

  it('uses the small-group setting', async () => {
    const { db } = database;
    await db('settings')
      .where({ key: 'analytics_small_group_threshold' })
      .update({ value: JSON.stringify(10) });
    try {
      const report = (await policy.get('/api/analytics/workforce').expect(200)).body as TablesReport;
      expect(report.smallGroup).toBe(10);
      expect(cellOf(report.tables[0]!, 'Southwest', 'teacher')).toEqual({ suppressed: true });
      expect(cellOf(report.tables[0]!, 'Central', 'teacher')).toEqual({ suppressed: false, value: 12 });
    } finally {
      await db('settings')
        .where({ key: 'analytics_small_group_threshold' })
        .update({ value: JSON.stringify(5) });
    }
  });
});
