/**
 * An imported hire is a hire: when a hire-date deadline the rule set gives it is still ahead, its
 * deadline workflow starts as it does for a hire entered through the API. Older hires are history
 * (every deadline they had is past) and open nothing.
 */
import type { Db } from '../../db/connection.js';
import { findEmployment } from '../../db/employments.js';
import { ruleSetInEffect } from '../../db/ruleSets.js';
import { addDays, localDateOf, type LocalDate } from '../../rules/dates.js';
import { HIRE_DEADLINE_MAX_DAYS } from '../../rules/schema.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { employmentFactsOnHireDate } from '../hireSettings.js';
import type { ImportWorkflows } from './workshop.js';

/**
 * Starts the deadline workflow of each running employment of a system with a hire-date deadline
 * due today or later, under the version in effect on its hire date; one with deadlines already
 * opened is left alone, and a running workflow is not started twice. Returns how many started.
 */
export async function startImportedHireDeadlines(
  db: Db,
  system: string,
  workflows: ImportWorkflows,
  today: LocalDate = localDateOf(new Date()),
): Promise<number> {
  // No rule gives more than the schema's longest window: hires before it cannot have one ahead.
  const candidates: Array<{ id: string }> = await db('employments as e')
    .where('e.legacy_system', system)
    .where('e.hire_date', '>=', addDays(today, -HIRE_DEADLINE_MAX_DAYS))
    .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>', today))
    .whereNotExists((q) => q.select(db.raw('1')).from('deadlines as d').whereRaw('d.employment_id = e.id'))
    .orderBy('e.id')
    .select('e.id');
  let started = 0;
  for (const { id } of candidates) {
    const employment = await findEmployment(db, Number(id));
    if (!employment) continue;
    const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, employment.hire_date);
    const outcomes = await rules.employmentOutcomes(await employmentFactsOnHireDate(db, employment));
    const ahead = outcomes.some(
      (o) => o.type === 'hire-deadline' && addDays(employment.hire_date, o.params.withinDays) >= today,
    );
    if (!ahead) continue;
    await workflows.startEmploymentDeadlines(employment.id);
    started++;
  }
  return started;
}
