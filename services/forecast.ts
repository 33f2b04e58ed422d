/**
 * Forecasts of people's hours requirements (rules/forecast.ts) from what the database holds: their
 * compliance as computed by services/compliance.ts and one query for the hours each credited in
 * their pace window. What a director's home page and weekly digest show.
 */
import type { Db } from '../db/connection.js';
import { addDays, compareDates, type LocalDate } from '../rules/dates.js';
import { forecastPeriod, PACE_WINDOW_DAYS, willFallShort, type Forecast } from '../rules/forecast.js';
import type { ComplianceReport } from './compliance.js';

/** A person's pace facts: their first day employed and the hours credited in their pace window. */
export interface PaceFacts {
  employedSince: LocalDate | null;
  hoursInWindow: number;
}

/**
 * The pace facts of many people in one query. The window starts 365 days before `asOf` (today
 * included) or on the first day the person was employed, whichever is later, as
 * rules/forecast.ts `paceWindow` says.
 */
export async function paceFactsOf(db: Db, professionalIds: number[], asOf: LocalDate): Promise<Map<number, PaceFacts>> {
  const facts = new Map<number, PaceFacts>();
  if (professionalIds.length === 0) return facts;
  const yearFrom = addDays(asOf, -(PACE_WINDOW_DAYS - 1));
  const { rows } = await db.raw<{
    rows: Array<{ professional_id: string | number; employed_since: LocalDate | null; hours: string | null }>;
  }>(
    `WITH people AS (SELECT unnest(?::bigint[]) AS professional_id),
          employed AS (
            SELECT e.professional_id, min(e.hire_date) AS employed_since
              FROM employments e JOIN people USING (professional_id)
             GROUP BY 1)
     SELECT people.professional_id, employed.employed_since::text AS employed_since,
            (SELECT sum(t.credited_hours) FROM training_records t
              WHERE t.professional_id = people.professional_id
                AND t.credited_hours > 0
                AND t.completed_on <= ?::date
                AND t.completed_on >= greatest(?::date, least(coalesce(employed.employed_since, ?::date), ?::date))
            ) AS hours
       FROM people LEFT JOIN employed USING (professional_id)`,
    [professionalIds, asOf, yearFrom, yearFrom, asOf],
  );
  for (const r of rows)
    facts.set(Number(r.professional_id), { employedSince: r.employed_since, hoursInWindow: Number(r.hours ?? 0) });
  return facts;
}

export interface RequirementForecast extends Forecast {
  requirement: string;
  label: string;
  periodLabel: string;
  periodEnd: LocalDate;
}

/** The forecast of each hours requirement whose current period contains `asOf`. */
export function forecastsOfReport(
  report: Pick<ComplianceReport, 'requirements'>,
  pace: PaceFacts | undefined,
  asOf: LocalDate,
): RequirementForecast[] {
  const out: RequirementForecast[] = [];
  for (const r of report.requirements) {
    const current = r.periods.find((p) => compareDates(p.start, asOf) <= 0 && compareDates(asOf, p.end) <= 0);
    if (!current) continue;
    out.push({
      requirement: r.requirement,
      label: r.label,
      periodLabel: current.label,
      periodEnd: current.end,
      ...forecastPeriod({
        asOf,
        period: { end: current.end, required: current.required, applied: current.applied },
        hoursInWindow: pace?.hoursInWindow ?? 0,
        employedSince: pace?.employedSince ?? null,
      }),
    });
  }
  return out;
}

export interface StaffForecast {
  professionalId: number;
  name: string;
  organizationId: number;
  organizationName: string;
  requirement: string;
  label: string;
  periodEnd: LocalDate;
  stillNeeded: number;
  daysLeft: number;
  projected: number;
  projectedShortfall: number;
  pacePerDay: number;
  verdict: 'at-risk' | 'no-pace';
  /** 'since-employed' when the pace is over less than twelve months (a recent hire). */
  paceBasis: 'twelve-months' | 'since-employed';
}

/**
 * Who on an organization's staff will not make an hours requirement by its period's end at their
 * pace: largest projected shortfall first. `compliances` are the people's reports as of `asOf`.
 */
export function staffFallingShort(
  staff: Array<{ professionalId: number; name: string; organizationId: number; organizationName: string }>,
  compliances: Map<number, Pick<ComplianceReport, 'requirements'>>,
  paces: Map<number, PaceFacts>,
  asOf: LocalDate,
): StaffForecast[] {
  const out: StaffForecast[] = [];
  for (const person of staff) {
    const report = compliances.get(person.professionalId);
    if (!report) continue;
    for (const f of forecastsOfReport(report, paces.get(person.professionalId), asOf)) {
      if (!willFallShort(f.verdict)) continue;
      out.push({
        ...person,
        requirement: f.requirement,
        label: f.label,
        periodEnd: f.periodEnd,
        stillNeeded: f.stillNeeded,
        daysLeft: f.daysLeft,
        projected: f.projected,
        projectedShortfall: f.projectedShortfall,
        pacePerDay: f.pacePerDay,
        verdict: f.verdict as StaffForecast['verdict'],
        paceBasis: f.window.basis,
      });
    }
  }
  return out.sort(
    (a, b) => b.projectedShortfall - a.projectedShortfall || a.daysLeft - b.daysLeft || a.name.localeCompare(b.name),
  );
}
