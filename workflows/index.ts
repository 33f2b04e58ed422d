/** Every workflow type the worker runs; the bundle's entry point. */
export { employmentDeadlines } from './employmentDeadlines.js';
export { credentialRenewal } from './credentialRenewal.js';
export {
  trainerApplication,
  courseApproval,
  trainingRequest,
  organizationClaim,
  microCredential,
} from './approvalCase.js';
export { eventReminders } from './eventReminders.js';
export { importedTrainerApproval } from './importedTrainerApproval.js';
export { ruleSetPublication } from './ruleSetPublication.js';
export { ruleSetSimulation } from './ruleSetSimulation.js';
export { legacyImportApply } from './legacyImportApply.js';
export { complianceRollover } from './complianceRollover.js';
export { complianceReminders } from './complianceReminders.js';
export { directorDigest } from './directorDigest.js';
