/**
 * What the API and the case workflow share: the input, the view an update answers with, the
 * updates and the query people act through, and the workflow id and type of each case type.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseStatus, CaseType } from '../../rules/domain.js';

export interface CaseInput {
  caseId: number;
}

/** What the workflow knows of its case; updates answer with it. */
export interface CaseView {
  caseId: number;
  type: CaseType;
  status: CaseStatus;
  applicantUserId: number;
  assigneeUserId: number | null;
}

export type Decision = 'approved' | 'denied';

export const claimUpdate = defineUpdate<CaseView, [{ reviewerUserId: number }]>('claim');
export const releaseUpdate = defineUpdate<CaseView, [{ reviewerUserId: number }]>('release');
export const reassignUpdate = defineUpdate<CaseView, [{ leadUserId: number; toUserId: number }]>('reassign');
export const requestInformationUpdate = defineUpdate<CaseView, [{ reviewerUserId: number; message: string }]>(
  'requestInformation',
);
export const answerUpdate = defineUpdate<CaseView, [{ applicantUserId: number; message: string; uploadIds: string[] }]>(
  'answer',
);
export const decideUpdate = defineUpdate<CaseView, [{ reviewerUserId: number; decision: Decision; reasons: string[] }]>(
  'decide',
);
export const withdrawUpdate = defineUpdate<CaseView, [{ applicantUserId: number; reason: string }]>('withdraw');
export const recheckUpdate = defineUpdate<CaseView, [{ reviewerUserId: number }]>('recheck');
export const caseViewQuery = defineQuery<CaseView>('caseView');

export const caseWorkflowId = (type: CaseType, caseId: number) => `case-${type.replace(/_/g, '-')}-${caseId}`;
/** The workflow type running each case type. */
export const CASE_WORKFLOW_TYPES: Record<CaseType, string> = {
  trainer_application: 'trainerApplication',
  course_approval: 'courseApproval',
  training_request: 'trainingRequest',
  organization_claim: 'organizationClaim',
  micro_credential: 'microCredential',
};
