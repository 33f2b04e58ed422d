/**
 * The approval-case workflows' activities: each step of a case, as the case service records it
 * (keyed by the workflow, so a retried activity records and sends nothing twice).
 */
import { Context } from '@temporalio/activity';
import { createCaseService, type CaseServiceDeps } from '../services/cases.js';
import { deadlinesWokenByDecision } from '../services/caseKinds/trainingRequest.js';

export type CaseActivityDeps = CaseServiceDeps;

export function createCaseActivities(deps: CaseActivityDeps) {
  const service = createCaseService(deps);
  return {
    ...service,
    /**
     * Records the decision. An approved individual training request recorded a training, so the
     * person's deadline workflows it may meet are woken once the decision is committed, as the API
     * does for attendance. A courtesy like there: each workflow checks the records itself, so a lost
     * signal (or a retry that sends it twice) only changes when the news arrives.
     */
    async decideCase(input: Parameters<typeof service.decideCase>[0]): Promise<void> {
      await service.decideCase(input);
      if (input.decision !== 'approved') return;
      const deadlines = await deadlinesWokenByDecision(deps.db, input.caseId);
      if (deadlines.length === 0) return;
      let context: Context;
      try {
        context = Context.current();
      } catch {
        return; // Called outside a worker (a test of the step itself): no workflow to wake.
      }
      const workflowIds = [...new Set(deadlines.map((d) => d.workflow_id))];
      const woken = await Promise.allSettled(
        workflowIds.map((id) =>
          context.client.workflow.getHandle(id).signal('trainingRecorded', { trainingRecordId: 0 }),
        ),
      );
      woken.forEach((outcome, i) => {
        if (outcome.status === 'rejected')
          context.log.warn('could not signal deadline workflow', {
            workflowId: workflowIds[i],
            error: String(outcome.reason),
          });
      });
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
