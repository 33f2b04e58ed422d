/**
 * The statewide forecast over HTTP against a real database: by registry program type and region,
 * the share at risk of not making their hours at their pace and the hours of training needed
 * before December 31 (projected shortfalls of periods ending by then, not later ones); small
 * groups suppressed with no lone hidden cell, the same figures in CSV, a region's column alone,
 * and only state staff may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { addDays, localDateOf, yearOf } from '../../rules/dates.js';
import type { PublishedCell, PublishedTable } from '../../services/analytics/tables.js';
import type { TablesReport } from '../../services/analytics/reports.js';
import type { ProfessionalRow } from '../../db/rows.js';
import { getSetting, upsertSetting } from '../../db/settings.js';

let http: HttpApp;
let app: Express;
let policy: Session;
const today = localDateOf(new Date());
const year = String(yearOf(today));
const contractYear = `${year}–${String(yearOf(today) + 1).slice(2)}`;

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
}

beforeAll(async () => {
  http = await startHttpApp('analytics-forecast');
  app = http.app;
  const { db } = http.database;
  await db('program_types').insert({ code: 'head_start', label_en: 'Head Start', label_es: 'Head Start' });
  const central = await anOrganization(db, { name: 'Central Center', region: 'Central', county: 'Boone' });
  const springfield = await anOrganization(db, {
    name: 'Springfield Center',
    program_type: 'head_start',
    subsidized: true,
    contract_year_start_month: 7,
    region: 'Southwest',
    county: 'Greene',
  });
  const hireDate = addDays(today, -800);
  const staff = async (n: number, organization: typeof central, name: string) => {
    const out: ProfessionalRow[] = [];
    for (let i = 0; i < n; i++) {
      const p = await aProfessional(db, { firstName: name, lastName: `Number${i}` });
      await anEmployment(db, p, organization, hireDate);
      out.push(p);
    }
    return out;
  };
  const requirement = (period: string, required: number, applied: number) => ({
    requirement: `r-${period}`,
    label: `Hours ${period}`,
    period,
    required,
    applied,
    status: applied >= required ? 'met' : 'in_progress',
    deficitsCarried: 0,
  });
  const store = (p: ProfessionalRow, requirements: Array<ReturnType<typeof requirement>>) =>
    db('compliance_results').insert({
      professional_id: p.id,
      as_of: today,
      rule_set: 'mopd-compliance',
      rule_set_version: 1,
      compliant: true,
      result: JSON.stringify({ asOf: today, compliant: true, requirements, prerequisites: [], refreshers: [] }),
    });
  const pace = await aCourse(db, { title: 'Steady Learning', clock_hours: 36.5 });
  const trained = (p: ProfessionalRow) =>
    db('training_records').insert({
      professional_id: p.id,
      course_id: pace.id,
      title: pace.title,
      topic: pace.topic,
      completed_on: addDays(today, -100),
      hours: 36.5,
      credited_hours: 36.5,
      source: 'attendance',
      credit_rule_set: 'mopd-compliance',
      credit_rule_set_version: 1,
    });

  // Central: 8 with 4 of 12 hours and nothing credited in a year (8 h short each), 4 done.
  const [behind, done] = [await staff(8, central, 'Behind'), await staff(4, central, 'Done')];
  for (const p of behind) await store(p, [requirement(year, 12, 4)]);
  for (const p of done) await store(p, [requirement(year, 12, 12)]);
  // Springfield: 2 behind the same way (also on a contract year ending next June: at risk, but
  // not hours needed before December 31), 8 on track at 0.1 h a day.
  const [few, steady] = [await staff(2, springfield, 'Few'), await staff(8, springfield, 'Steady')];
  for (const p of few) await store(p, [requirement(year, 12, 4), requirement(contractYear, 6, 0)]);
  for (const p of steady) {
    await store(p, [requirement(year, 12, 11.9)]);
    await trained(p);
  }
  // A result from a period that has ended says nothing now: not counted.
  const stale = await staff(1, central, 'Stale');
  await store(stale[0]!, [requirement(String(yearOf(today) - 1), 12, 0)]);

  policy = await signIn(app, await aUser(db, ['policy_staff']));
});
afterAll(async () => {
  await http?.close();
});

describe('the statewide forecast', () => {
  it('counts who is at risk and the hours needed before December 31, suppressing small groups', async () => {
    const report = (await policy.get('/api/analytics/forecast').expect(200)).body as TablesReport;
    expect(report).toMatchObject({ report: 'forecast', from: today, to: today, region: null, smallGroup: 5 });
    const [atRisk, hours] = report.tables as [PublishedTable, PublishedTable];
    expect(atRisk.id).toBe('forecast_at_risk_by_program_type_and_region');
    expect(atRisk.rows.map((r) => [r.key, r.label])).toEqual([
      ['child_care', expect.any(String)],
      ['head_start', 'Head Start'],
    ]);
    expect(cellOf(atRisk, 'child_care', 'Central')).toEqual({ suppressed: false, value: 8, of: 12 });
    expect(cellOf(atRisk, 'head_start', 'Southwest')).toEqual({ suppressed: false, value: 2, of: 10 });
    expect(atRisk.total).toEqual({ suppressed: false, value: 10, of: 22 });

    expect(hours.id).toBe('forecast_hours_by_program_type_and_region');
    expect(hours.measure).toBe('hours');
    expect(cellOf(hours, 'child_care', 'Central')).toEqual({ suppressed: false, value: 64 });
    // Two people's hours: hidden, and so is whatever would give them away.
    expect(cellOf(hours, 'head_start', 'Southwest')).toEqual({ suppressed: true });
    expect(hours.suppressedCells).toBeGreaterThan(1);
    expectNoLoneHiddenCell(hours);
    // The grand total less Central's would give Springfield's two away: hidden too.
    expect(hours.total).toEqual({ suppressed: true });
    expect(report.notes.join(' ')).toContain(`${year}-12-31`);
  });

  it('counts only shortfalls of periods ending by December 31 (seen with groups of two allowed)', async () => {
    const { db } = http.database;
    const before = await getSetting(db, 'analytics_small_group_threshold');
    await upsertSetting(db, 'analytics_small_group_threshold', 2);
    try {
      const report = (await policy.get('/api/analytics/forecast').expect(200)).body as TablesReport;
      const hours = report.tables[1]!;
      // 8 h each on the calendar year; their contract year (ending next June) adds nothing.
      expect(cellOf(hours, 'head_start', 'Southwest')).toEqual({ suppressed: false, value: 16 });
      expect(hours.total).toEqual({ suppressed: false, value: 80 });
    } finally {
      await upsertSetting(db, 'analytics_small_group_threshold', before);
    }
  });

  it('gives the same cells in CSV, a region its own column, and refuses those without a statewide view', async () => {
    const csv = await policy
      .get('/api/analytics/forecast?format=csv')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200)
      .expect('content-type', /text\/csv/);
    const lines = (csv.body as string).trim().split('\n');
    expect(lines).toContain(
      'forecast_hours_by_program_type_and_region,program_type,Head Start,region,Southwest,hours,suppressed,,',
    );
    expect(lines.some((l) => l.startsWith('forecast_at_risk_by_program_type_and_region,program_type,'))).toBe(true);

    const central = (await policy.get('/api/analytics/forecast?region=Central').expect(200)).body as TablesReport;
    expect(central.tables.every((t) => t.columns.every((c) => c.key === 'Central'))).toBe(true);
    expect(cellOf(central.tables[0]!, 'child_care', 'Central')).toEqual({ suppressed: false, value: 8, of: 12 });

    const director = await signIn(app, await aUser(http.database.db, ['director']));
    await director.get('/api/analytics/forecast').expect(403);
    const reviewer = await signIn(app, await aUser(http.database.db, ['reviewer']));
    await reviewer.get('/api/analytics/forecast').expect(200);
  });
});
