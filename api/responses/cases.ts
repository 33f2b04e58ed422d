/** The answers of the cases routes (api/routes/cases.ts), as the client reads them. */
import { z } from 'zod';
import { CASE_STATUSES, CASE_TYPES } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** A case as lists and the applicant's submissions show it; the reviewer's queue and the case page extend it. */
export const caseSummary = z.object({
  id: z.number(),
  type: z.enum(CASE_TYPES),
  status: z.enum(CASE_STATUSES),
  title: z.string(),
  region: z.string().nullable(),
  applicantUserId: z.number(),
  assigneeUserId: z.number().nullable(),
  submittedAt: isoDateTime,
  dueAt: isoDateTime.nullable(),
  overdue: z.boolean(),
  informationDueAt: isoDateTime.nullable(),
  decidedAt: isoDateTime.nullable(),
  approvalExpiresOn: z.string().nullable(),
});

/** POST /api/cases/trainer-applications */
export const postCasesTrainerApplications = z.object({ case: caseSummary });

/** POST /api/cases/course-approvals */
export const postCasesCourseApprovals = z.object({ case: caseSummary });

/** POST /api/cases/training-requests */
export const postCasesTrainingRequests = z.object({ case: caseSummary });

/** POST /api/cases/organization-claims */
export const postCasesOrganizationClaims = z.object({ case: caseSummary });

/** POST /api/cases/micro-credentials */
export const postCasesMicroCredentials = z.object({ case: caseSummary });

/** GET /api/cases/mine */
export const getCasesMine = z.object({ cases: z.array(caseSummary) });

/** GET /api/cases */
export const getCases = z.object({
  cases: z.array(caseSummary.extend({ assigneeName: z.string().nullable() })),
});

/** GET /api/cases/:id */
export const getCasesById = z.object({
  case: caseSummary.extend({
    /** What the applicant submitted: its shape depends on the case type. */
    submission: z.record(z.string(), z.unknown()),
    checkResults: z.array(
      z.object({
        check: z.string(),
        passed: z.boolean(),
        message: z.string(),
        onFailure: z.enum(['refuse', 'needs_information']),
        failedWords: z.unknown().optional(),
        passedWords: z.unknown().optional(),
      }),
    ),
    decisionReasons: z.array(z.string()),
    ruleSet: z.string(),
    ruleSetVersion: z.number(),
  }),
  timeline: z.array(
    z.object({
      id: z.number(),
      at: isoDateTime,
      kind: z.string(),
      note: z.string(),
      detail: z.unknown(),
      actor: z.string().nullable(),
    }),
  ),
  messages: z.array(
    z.object({
      id: z.number(),
      at: isoDateTime,
      body: z.string(),
      author: z.string(),
      author_user_id: z.number(),
    }),
  ),
  documents: z.array(
    z.object({
      upload_id: z.string(),
      label: z.string(),
      original_name: z.string(),
      media_type: z.string(),
    }),
  ),
  youAreApplicant: z.boolean(),
  /** What the reviewer asked, while the case waits on the applicant who reads it; null otherwise. */
  askedOfYou: z.string().nullable(),
});

/** POST /api/cases/:id/claim */
export const postCasesByIdClaim = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/release */
export const postCasesByIdRelease = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/reassign */
export const postCasesByIdReassign = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/request-information */
export const postCasesByIdRequestInformation = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/decide */
export const postCasesByIdDecide = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/recheck */
export const postCasesByIdRecheck = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/answer */
export const postCasesByIdAnswer = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/withdraw */
export const postCasesByIdWithdraw = z.object({ case: shapes.caseView });

/** POST /api/cases/:id/messages */
export const postCasesByIdMessages = z.object({ ok: z.boolean() });

/** GET /api/reviewers */
export const getReviewers = z.object({
  reviewers: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      isLead: z.boolean(),
      openCases: z.number(),
    }),
  ),
});

/** GET /api/notifications */
export const getNotifications = z.object({
  notifications: z.array(
    z.object({
      id: z.number(),
      case_id: z.number().nullable(),
      title: z.string(),
      body: z.string(),
      link: z.string(),
      created_at: isoDateTime,
      read_at: isoDateTime.nullable(),
    }),
  ),
  unread: z.number(),
});

/** POST /api/notifications/:id/read */
export const postNotificationsByIdRead = z.object({ ok: z.boolean() });
