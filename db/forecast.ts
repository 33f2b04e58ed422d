/**
 * What the statewide forecast (services/analytics/forecast.ts) reads: for everyone employed on a
 * date, their workplace's region and program type (as db/analytics.ts places people: the
 * employment they were hired into last among those running that day), their last computed
 * compliance's hour requirements, and the credited hours of their pace window (rules/forecast.ts
 * `paceWindow`: the 365 days up to the date, or from their first day employed when later). One
 * query, one row per person: the forecast itself is the pure calculator's, not SQL's.
 */
import type { Db } from './connection.js';
import { addDays, type LocalDate } from '../rules/dates.js';
import { PACE_WINDOW_DAYS } from '../rules/forecast.js';
import type { ComplianceSummary } from '../rules/compliance.js';

/** Key for a workplace with no region recorded (as db/analytics.ts `NO_REGION`). */
const NO_REGION = 'unknown';

export interface PersonForForecast {
  professional_id: number;
  region: string;
  program_type: string;
  contract_year_start_month: number | null;
  employed_since: LocalDate | null;
  hours_in_window: string | number;
  as_of: LocalDate;
  requirements: ComplianceSummary['requirements'];
}

export async function peopleForForecast(db: Db, on: LocalDate): Promise<PersonForForecast[]> {
  const yearFrom = addDays(on, -(PACE_WINDOW_DAYS - 1));
  const { rows } = await db.raw<{ rows: PersonForForecast[] }>(
    `WITH placed AS (
       SELECT DISTINCT ON (e.professional_id) e.professional_id,
              coalesce(o.region, p.region, :noRegion) AS region, o.program_type, o.contract_year_start_month
         FROM employments e
         JOIN organizations o ON o.id = e.organization_id
         JOIN professionals p ON p.id = e.professional_id
        WHERE e.hire_date <= CAST(:on AS date) AND (e.end_date IS NULL OR e.end_date >= CAST(:on AS date))
        ORDER BY e.professional_id, e.hire_date DESC, e.id DESC),
     employed AS (
       SELECT e.professional_id, min(e.hire_date) AS employed_since
         FROM employments e JOIN placed USING (professional_id) GROUP BY 1),
     window_hours AS (
       SELECT t.professional_id, sum(t.credited_hours) AS hours
         FROM training_records t JOIN employed USING (professional_id)
        WHERE t.credited_hours > 0 AND t.completed_on <= CAST(:on AS date)
          AND t.completed_on >= greatest(CAST(:yearFrom AS date), least(employed.employed_since, CAST(:on AS date)))
        GROUP BY 1)
     SELECT placed.professional_id::int AS professional_id, placed.region, placed.program_type,
            placed.contract_year_start_month, employed.employed_since::text AS employed_since,
            coalesce(window_hours.hours, 0) AS hours_in_window, cr.as_of::text AS as_of,
            coalesce(cr.result -> 'requirements', '[]'::jsonb) AS requirements
       FROM placed
       JOIN compliance_results cr ON cr.professional_id = placed.professional_id
       JOIN employed ON employed.professional_id = placed.professional_id
       LEFT JOIN window_hours ON window_hours.professional_id = placed.professional_id`,
    { on, yearFrom, noRegion: NO_REGION },
  );
  return rows;
}
