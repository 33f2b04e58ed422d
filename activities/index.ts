/** Every activity the worker registers, built from its dependencies. */
import { createDeadlineActivities, type DeadlineActivityDeps } from './deadlines.js';
import { createCaseActivities } from './cases.js';
import { createEventReminderActivities } from './eventReminders.js';
import { createPublicationActivities } from './ruleSetPublication.js';
import { createSimulationActivities } from './ruleSetSimulation.js';
import { createImportActivities, type ImportActivityDeps } from './importApply.js';
import { createRolloverActivities } from './complianceRollover.js';
import { createReminderActivities } from './complianceReminders.js';
import { createDirectorDigestActivities } from './directorDigest.js';
import { withNamedFailures } from './failures.js';

export type ActivityDeps = DeadlineActivityDeps & Pick<ImportActivityDeps, 'importWorkflows'>;

export function createActivities(deps: ActivityDeps) {
  // A permanent DomainError from any of them fails the activity at once, named; the rest are retried.
  return withNamedFailures({
    ...createDeadlineActivities(deps),
    ...createCaseActivities(deps),
    ...createEventReminderActivities(deps),
    ...createPublicationActivities(deps),
    ...createSimulationActivities(deps),
    ...createImportActivities(deps),
    ...createRolloverActivities(deps),
    ...createReminderActivities(deps),
    ...createDirectorDigestActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
