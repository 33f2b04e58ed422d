/**
 * The approval-case workflows' activities: each step of a case, as the case service records it
 * (keyed by the workflow, so a retried activity records and sends nothing twice).
 */
import { createCaseService, type CaseServiceDeps } from '../services/cases.js';

export type CaseActivityDeps = CaseServiceDeps;

export function createCaseActivities(deps: CaseActivityDeps) {
  return { ...createCaseService(deps) };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
