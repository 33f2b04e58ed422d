/**
 * The facts a hire is judged by: the program settings in effect on the hire date (the
 * effective-dated `program_settings`, see rules/programSettings.ts), not the organization's own
 * columns, which hold today's. A hire recorded late at a program that has stopped serving infants
 * since still had its infant safe-sleep deadline; a future hire at a program that starts serving
 * infants only after it has none from a setting not yet in effect on its hire date, and vice versa.
 */
import type { Db } from '../db/connection.js';
import type { EmploymentWithOrganization } from '../db/employments.js';
import type { EmploymentFacts } from '../rules/engine.js';
import { employmentFacts, employmentsHeld, historiesFor } from './compliance.js';

export async function employmentFactsOnHireDate(
  db: Db,
  employment: EmploymentWithOrganization,
): Promise<EmploymentFacts> {
  const pieces = employmentsHeld([employment], await historiesFor(db, [employment]));
  // The pieces run in date order from the hire date: the first is the one in effect that day.
  const onHire = pieces.find((p) => p.piece?.from === employment.hire_date) ?? pieces[0];
  return onHire?.facts ?? employmentFacts(employment);
}
