/** Submitting an approval case: the checks before it is saved, the case and its workflow together. */
import type { Db } from '../db/connection.js';
import { createCase, type CaseRow, type NewCase } from '../db/cases.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import { localDateOf } from '../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { checkBeforeSubmission, isOpenCaseConflict } from './caseKinds/index.js';
import { DomainError } from './errors.js';
import { caseWorkflowId, type TemporalGateway } from './workflowClient.js';

export type CaseSubmission = Omit<NewCase, 'applicantUserId' | 'ruleSet' | 'ruleSetVersion' | 'workflowIdOf'>;

/**
 * Checks a submission, then saves the case under the rule set in effect today and starts its
 * workflow in one transaction: no case without its process. A submission that raced another past
 * the check is refused by a unique index; the check, run again, then names the other case.
 */
export async function submitCase(
  db: Db,
  temporal: Pick<TemporalGateway, 'startCase'>,
  applicantUserId: number,
  input: CaseSubmission,
): Promise<CaseRow> {
  const applicant = { applicantUserId, professionalId: input.professionalId ?? null, submission: input.submission };
  await checkBeforeSubmission(db, input.type, applicant);
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, localDateOf(new Date()));
  return db
    .transaction(async (trx) => {
      const created = await createCase(trx, {
        ...input,
        applicantUserId,
        ruleSet: rules.ruleSet,
        ruleSetVersion: rules.version,
        workflowIdOf: (id) => caseWorkflowId(input.type, id),
      });
      try {
        await temporal.startCase(input.type, created.id, created.workflow_id);
      } catch (error) {
        throw new DomainError(
          'Unavailable',
          `The case could not be started, so it was not saved: ${(error as Error).message}`,
        );
      }
      return created;
    })
    .catch(async (error: unknown) => {
      // A submission that raced another past the check above is refused by a unique index; the check, run again, now sees the other case and says so.
      if (isOpenCaseConflict(error)) await checkBeforeSubmission(db, input.type, applicant);
      throw error;
    });
}
