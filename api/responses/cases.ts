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

/** A case's service level: its age and lateness in working days (services/casePage.ts). */
export const caseServiceLevel = z.object({
  state: z.enum(['overdue', 'due_today', 'due_this_week', 'on_time', 'waiting_for_applicant', 'closed']),
  ageDays: z.number(),
  ageWorkingDays: z.number(),
  dueOn: z.string().nullable(),
  overdueWorkingDays: z.number(),
  workingDaysLeft: z.number().nullable(),
  /** The last day the applicant may answer (a calendar date), while the case waits on them. */
  informationDueOn: z.string().nullable(),
});

/** GET /api/cases */
export const getCases = z.object({
  cases: z.array(
    caseSummary.extend({
      assigneeName: z.string().nullable(),
      applicantName: z.string().nullable(),
      service: caseServiceLevel,
    }),
  ),
  /** How many cases the filter finds, for paging. */
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

/** POST /api/cases/assign */
export const postCasesAssign = z.object({
  results: z.array(z.object({ caseId: z.number(), assigned: z.boolean(), error: z.string().nullable() })),
  assigned: z.number(),
});

const caseDocumentLink = z.object({
  uploadId: z.string(),
  label: z.string(),
  name: z.string(),
  mediaType: z.string(),
  href: z.string(),
});

/** Everything submitted on a case, by its type. */
export const caseDetails = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('course_approval'),
    title: z.string(),
    description: z.string(),
    sponsor: z.string(),
    topic: z.string(),
    level: z.string(),
    clockHours: z.number(),
    delivery: z.string(),
    inPersonHours: z.number().nullable(),
    cprModel: z.string().nullable(),
    feeCents: z.number(),
    materials: z.string(),
    onlineTime: z
      .object({
        minimumMinutes: z.number(),
        knowledgeCheckAttempts: z.number(),
        knowledgeCheckWaitMinutes: z.number(),
      })
      .nullable(),
    documents: z.array(caseDocumentLink),
  }),
  z.object({
    type: z.literal('trainer_application'),
    qualifications: z.string(),
    education: z.string(),
    experience: z.string(),
    specialties: z.array(z.string()),
    regions: z.array(z.string()),
    certifications: z.array(
      z.object({ model: z.string(), expiresOn: z.string(), document: caseDocumentLink.nullable() }),
    ),
    documents: z.array(caseDocumentLink),
  }),
  z.object({
    type: z.literal('training_request'),
    title: z.string(),
    provider: z.string(),
    topic: z.string(),
    completedOn: z.string(),
    hours: z.number(),
    delivery: z.string(),
    inPersonHours: z.number().nullable(),
    cprModel: z.string().nullable(),
    evidence: z.array(caseDocumentLink),
  }),
  z.object({
    type: z.literal('organization_claim'),
    organization: z
      .object({
        id: z.number(),
        name: z.string(),
        county: z.string().nullable(),
        region: z.string().nullable(),
        licensed: z.boolean(),
      })
      .nullable(),
    position: z.string(),
    message: z.string(),
    applicant: z.object({
      name: z.string(),
      email: z.string(),
      professionalId: z.number().nullable(),
      currentEmployment: z.array(
        z.object({
          organizationId: z.number(),
          organizationName: z.string(),
          role: z.string(),
          hireDate: z.string(),
        }),
      ),
    }),
    existingDirectors: z.array(
      z.object({
        userId: z.number().nullable(),
        name: z.string(),
        how: z.enum(['claim', 'employment']),
        since: z.string().nullable(),
      }),
    ),
    warnings: z.array(
      z.object({
        code: z.enum(['organization-has-director', 'applicant-works-elsewhere']),
        names: z.array(z.string()),
      }),
    ),
  }),
  z.object({
    type: z.literal('micro_credential'),
    credentialId: z.string(),
    credentialTitle: z.string(),
    reflection: z.string(),
    documents: z.array(caseDocumentLink),
  }),
]);

export const CASE_ACTIONS = [
  'claim',
  'release',
  'requestInformation',
  'approve',
  'deny',
  'recheck',
  'reassign',
  'answer',
  'withdraw',
  'message',
] as const;

/** GET /api/cases/:id */
export const getCasesById = z.object({
  details: caseDetails,
  allowedActions: z.array(z.enum(CASE_ACTIONS)),
  service: caseServiceLevel,
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
