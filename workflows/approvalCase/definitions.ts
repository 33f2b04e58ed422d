/**
 * What the API and the case workflow share: the input, the view an update answers with, the
 * updates and the query people act through, and the workflow id and type of each case type.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseStatus, CaseType } from '../../rules/domain.js';

export interface CaseInput {
  caseId: number;
  /**
   * Started again by reconcile (bin/reconcile.ts) for a case whose workflow was missing, e.g. after
   * a database restore: the case is taken up from its row instead of starting from submission.
   */
  resume?: boolean;
}

/** Where a case stands in PostgreSQL, for a workflow that takes it up again (`resumeCase`). */
export interface CaseResumption {
  status: CaseStatus;
  assigneeUserId: number | null;
  /** The highest step number already recorded under this workflow id: new steps number after it. */
  lastStep: number;
  usedMinutes: number;
  reviewStartedAt: string;
  review: { remindAt: string; escalateAt: string; reminded: boolean; escalated: boolean } | null;
  information: { remindAt: string; lapseAt: string; reminded: boolean } | null;
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
