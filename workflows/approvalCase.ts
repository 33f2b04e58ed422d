/**
 * One approval case from submission to decision: automatic checks, review (claimed by or
 * assigned to a reviewer), requests for information that the applicant answers or lets lapse,
 * and a decision; for trainers, the approval's expiry afterwards. Each of the five case types is
 * its own workflow type (below) running this life cycle. The workflow is the single writer of its
 * case: every step is recorded in PostgreSQL by an activity, and people act on the case through
 * updates whose validators say plainly why an action is not possible now.
 *
 * The stages live in approvalCase/stages.ts, the updates in approvalCase/updates.ts, the state
 * they share in approvalCase/caseState.ts. Their commands (activities, timers) and the order of
 * them are those of every case started so far: the stored histories replay
 * (test/integration/replay.test.ts); a change to them goes behind `patched()`.
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import type { CaseType } from '../rules/domain.js';
import { activities, CaseState } from './approvalCase/caseState.js';
import { acceptUpdates } from './approvalCase/updates.js';
import { awaitAnswer, awaitReview, checks, decided } from './approvalCase/stages.js';
import type { CaseInput, CaseView } from './approvalCase/definitions.js';

export {
  answerUpdate,
  CASE_WORKFLOW_TYPES,
  caseViewQuery,
  caseWorkflowId,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  recheckUpdate,
  releaseUpdate,
  requestInformationUpdate,
  withdrawUpdate,
  type CaseInput,
  type CaseView,
  type Decision,
} from './approvalCase/definitions.js';

async function runCase(type: CaseType, input: CaseInput): Promise<CaseView> {
  const opened = await activities.openCase({ caseId: input.caseId, workflowId: workflowInfo().workflowId });
  const c = new CaseState(type, input.caseId, opened.applicantUserId);
  acceptUpdates(c);

  // Started again by reconcile: a case past submission goes on from where its row stands (not
  // checked or assigned again); a case still submitted is checked as on its first start.
  const resumed = input.resume ? await activities.resumeCase({ caseId: input.caseId, workflowId: c.workflowId }) : null;
  if (resumed && resumed.status !== 'submitted') c.resumeFrom(resumed);
  else await checks(c);
  // Review and the applicant's answer take turns until a decision, a withdrawal or a lapse closes the case.
  while (!c.closed) {
    const woken = c.changedSinceNow();
    if (c.view.status === 'in_review' && c.review) await awaitReview(c, woken);
    else if (c.view.status === 'information_requested' && c.information) await awaitAnswer(c, woken);
    else await condition(woken);
  }
  await decided(c);
  return { ...c.view };
}

export function trainerApplication(input: CaseInput): Promise<CaseView> {
  return runCase('trainer_application', input);
}

export function courseApproval(input: CaseInput): Promise<CaseView> {
  return runCase('course_approval', input);
}

export function trainingRequest(input: CaseInput): Promise<CaseView> {
  return runCase('training_request', input);
}

export function organizationClaim(input: CaseInput): Promise<CaseView> {
  return runCase('organization_claim', input);
}

/** A professional's evidence for a micro-credential, reviewed by an assessor (a reviewer); approval awards it. */
export function microCredential(input: CaseInput): Promise<CaseView> {
  return runCase('micro_credential', input);
}
