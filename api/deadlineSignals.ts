/** Telling deadline workflows that a training was recorded, once the record is committed. */
import type { Logger } from 'pino';
import type { DeadlineRow, TrainingRecordRow } from '../db/rows.js';
import type { TemporalGateway } from '../services/workflowClient.js';

/**
 * Wakes the workflow of each deadline the new records may meet. This is a courtesy: each
 * workflow checks the records itself before it reminds or marks overdue, so a lost signal only
 * delays the news; a failure is logged, never thrown at the person who recorded the training.
 */
export async function wakeDeadlines(
  temporal: TemporalGateway,
  logger: Logger,
  deadlines: DeadlineRow[],
  records: Array<Pick<TrainingRecordRow, 'id' | 'professional_id'>>,
): Promise<void> {
  const unique = [...new Map(deadlines.map((d) => [d.workflow_id, d])).values()];
  const woken = await Promise.allSettled(
    unique.map((d) => {
      const record = records.find((r) => Number(r.professional_id) === Number(d.professional_id));
      return temporal.notifyTrainingRecorded(d.workflow_id, record?.id ?? 0);
    }),
  );
  woken.forEach((outcome, i) => {
    if (outcome.status === 'rejected')
      logger.warn({ err: outcome.reason, workflowId: unique[i]!.workflow_id }, 'could not signal deadline workflow');
  });
}
