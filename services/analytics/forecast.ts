/**
 * The statewide forecast (issue 20) by program type and region: who is at risk now — people who,
 * at their pace of the last twelve months, will not have an hours requirement's hours by the end
 * of its current period (rules/forecast.ts) — and how many hours of training each group would need
 * before December 31: the sum of projected shortfalls of periods ending by then. From each person's
 * last computed compliance (compliance_results) and one read of their pace (db/forecast.ts),
 * published through the same small-group suppression as the other reports.
 */
import type { Db } from '../../db/connection.js';
import { peopleForForecast, type PersonForForecast } from '../../db/forecast.js';
import { programTypeLabels } from '../../db/organizations.js';
import { addDays, compareDates, dateOf, yearOf, type LocalDate } from '../../rules/dates.js';
import { forecastPeriod, willFallShort } from '../../rules/forecast.js';
import type { GroupedRow, Heading, RawTable } from './tables.js';

/**
 * The last day of a period from its label as the calculator writes it: "2026" is a calendar year
 * (or a contract year starting in January), "2026–27" a contract year starting in the program's
 * month. Null when the month is not known.
 */
export function periodEndOfLabel(label: string, contractYearStartMonth: number | null): LocalDate | null {
  const match = /^(\d{4})(?:–(\d{2}))?$/.exec(label);
  if (!match) return null;
  const startYear = Number(match[1]);
  if (!match[2]) return dateOf(startYear, 12, 31);
  if (!contractYearStartMonth || contractYearStartMonth === 1) return null;
  return addDays(dateOf(startYear + 1, contractYearStartMonth, 1), -1);
}

/** One person's standing in the forecast: whether they carry a current period, are at risk, and the hours short by Dec 31. */
export function personForecast(
  person: Pick<PersonForForecast, 'requirements' | 'contract_year_start_month' | 'employed_since' | 'hours_in_window'>,
  today: LocalDate,
): { current: boolean; atRisk: boolean; hoursByYearEnd: number } {
  const yearEnd = dateOf(yearOf(today), 12, 31);
  let current = false;
  let atRisk = false;
  let hours = 0;
  for (const r of person.requirements) {
    const end = periodEndOfLabel(r.period, person.contract_year_start_month);
    // A result computed before its period ended says nothing of the period now running.
    if (end === null || compareDates(end, today) < 0) continue;
    current = true;
    const f = forecastPeriod({
      asOf: today,
      period: { end, required: r.required, applied: r.applied },
      hoursInWindow: Number(person.hours_in_window),
      employedSince: person.employed_since,
    });
    if (!willFallShort(f.verdict)) continue;
    atRisk = true;
    if (compareDates(end, yearEnd) <= 0) hours += f.projectedShortfall;
  }
  return { current, atRisk, hoursByYearEnd: Math.round(hours * 100) / 100 };
}

/** Raw cells of the two forecast tables: at risk of those with a current period, and hours needed by Dec 31. */
export async function forecastGroups(
  db: Db,
  today: LocalDate,
): Promise<{ atRisk: GroupedRow[]; hours: GroupedRow[]; programTypes: Heading[]; computedFrom: string | null }> {
  const [people, programTypes] = await Promise.all([peopleForForecast(db, today), programTypeLabels(db)]);
  const atRisk: GroupedRow[] = [];
  const hours: GroupedRow[] = [];
  let computedFrom: string | null = null;
  for (const person of people) {
    const standing = personForecast(person, today);
    if (!standing.current) continue;
    if (computedFrom === null || person.as_of < computedFrom) computedFrom = person.as_of;
    atRisk.push({ row: person.program_type, column: person.region, people: 1, value: standing.atRisk ? 1 : 0 });
    if (standing.hoursByYearEnd > 0)
      hours.push({ row: person.program_type, column: person.region, people: 1, value: standing.hoursByYearEnd });
  }
  return { atRisk, hours, programTypes, computedFrom };
}

export const FORECAST_TABLES: Array<Pick<RawTable, 'id' | 'title' | 'rowDimension' | 'columnDimension' | 'measure'>> = [
  {
    id: 'forecast_at_risk_by_program_type_and_region',
    title: 'At risk of not making their hours by the end of the period, by program type and region',
    rowDimension: 'program_type',
    columnDimension: 'region',
    measure: 'rate',
  },
  {
    id: 'forecast_hours_by_program_type_and_region',
    title: 'Hours of training needed before December 31 (projected shortfall), by program type and region',
    rowDimension: 'program_type',
    columnDimension: 'region',
    measure: 'hours',
  },
];
