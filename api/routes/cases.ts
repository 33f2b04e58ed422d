/**
 * Approval cases over HTTP: applicants submit and follow their cases; reviewers work the queue.
 * Reads come from PostgreSQL; every action goes to the case's workflow as an update, and the
 * workflow's validator decides whether it is possible now.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import {
  casesOfApplicant,
  documentsOfCase,
  findCase,
  isLeadReviewer,
  isReviewer,
  messagesOfCase,
  reviewersWithWorkload,
  reviewQueue,
  reviewQueueCount,
  timelineOfCase,
  type CaseRow,
} from '../../db/cases.js';
import { isNotificationOf, markNotificationRead, notificationsOf } from '../../db/notifications.js';
import { findProfessional } from '../../db/professionals.js';
import { findOrganization } from '../../db/employments.js';
import { DomainError } from '../../services/errors.js';
import { createCaseService } from '../../services/cases.js';
import { submitCase } from '../../services/caseSubmission.js';
import { CASE_KINDS } from '../../services/caseKinds/index.js';
import { CURRENT_MICRO_CREDENTIALS, findMicroCredential } from '../../rules/microCredentials.js';
import { CASE_STATUSES, CASE_TYPES, OPEN_CASE_STATUSES, REGIONS, type CaseType } from '../../rules/domain.js';
import {
  answerUpdate,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  recheckUpdate,
  releaseUpdate,
  requestInformationUpdate,
  withdrawUpdate,
  type CaseView,
  type TemporalGateway,
} from '../../services/workflowClient.js';
import type { UpdateDefinition } from '@temporalio/client';
import { ALL_ROLES, policies, type SignedInPolicy } from '../access/policies.js';
import { holds, type Principal } from '../access/principal.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { assertOwnUploads } from './uploads.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/cases.js';
import {
  allowedCaseActions,
  assignCases,
  caseServiceLevel,
  readerOf,
  serviceLevelOf,
  submissionDetails,
} from '../../services/casePage.js';
import { getSetting } from '../../db/settings.js';

const REVIEW_ROLES = ['reviewer', 'admin'] as const;
const bodyId = z.number({ error: 'must be a number' }).int().positive();
const message = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(4000, 'must be at most 4000 characters');

const queueQuery = z
  .object({
    type: z.enum(CASE_TYPES).optional(),
    status: z.enum(CASE_STATUSES).optional(),
    /** 'me', 'unassigned', or a reviewer's user id. */
    assignee: z.union([z.enum(['me', 'unassigned']), z.coerce.number().int().positive()]).optional(),
    region: z.enum(REGIONS).optional(),
    /** Only cases submitted at least this many days ago. */
    olderThanDays: z.coerce.number().int().min(0).max(3650).optional(),
    /** An applicant's name (or part of it), a title, or a case number. */
    search: z.string().trim().max(100).optional(),
    /** By due date, by age (oldest first; 'submitted' is the same), or by type. */
    sort: z.enum(['due', 'submitted', 'age', 'type']).default('due'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** The case page: its applicant, reviewers and admins. */
const caseReader: SignedInPolicy = {
  roles: ALL_ROLES,
  describe: 'The applicant, reviewers and admins',
  scope: async ({ db, principal, params }) => {
    const c = await findCase(db, Number(params.id));
    return c !== undefined && (c.applicant_user_id === principal.userId || holds(principal, ...REVIEW_ROLES));
  },
};
const applicantOnly: SignedInPolicy = { ...caseReader, describe: 'The applicant (the workflow checks it is theirs)' };
const reviewerAction: SignedInPolicy = {
  ...policies.roles(REVIEW_ROLES, 'Reviewers (the workflow checks who holds the case)'),
  scope: caseReader.scope,
};

export function caseRoutes({
  db,
  temporal,
  publicUrl,
}: {
  db: Db;
  temporal: TemporalGateway;
  publicUrl: string;
}): RouteDefinition[] {
  const caseSteps = createCaseService({ db, publicUrl });
  /** Saves the case and starts its workflow in one transaction: no case without its process. */
  async function submit(
    principal: Principal,
    input: {
      type: CaseType;
      title: string;
      submission: unknown;
      documents: Array<{ uploadId: string; label: string }>;
      professionalId?: number | null;
      organizationId?: number | null;
      region?: string | null;
      renewsCaseId?: number | null;
    },
  ) {
    const c = await submitCase(db, temporal, principal.userId, input);
    return { case: summaryOf(c) };
  }

  /** Sends an action to the case's workflow; the Idempotency-Key header makes a retry safe. */
  async function act<Args extends [unknown]>(
    id: number,
    idempotencyKey: string | undefined,
    update: UpdateDefinition<CaseView, Args>,
    args: Args,
  ) {
    const c = await findCase(db, id);
    if (!c) throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');
    const view = await temporal.updateCase(
      c.workflow_id,
      update,
      args,
      idempotencyKey ? `${update.name}-${idempotencyKey}` : randomUUID(),
    );
    return { case: view };
  }

  const idempotencyKey = (req: { headers: Record<string, unknown> }) => {
    const value = req.headers['idempotency-key'];
    return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : undefined;
  };

  return [
    route({
      method: 'post',
      path: '/api/cases/trainer-applications',
      summary:
        'Apply to be an approved trainer (or renew): qualifications, education, experience, specialties, documents, instructor certifications',
      tags: ['cases'],
      policy: policies.signedIn('Any signed-in person'),
      body: CASE_KINDS.trainer_application.submission.and(z.object({ renewsCaseId: bodyId.optional() })),
      status: 201,
      response: responses.postCasesTrainerApplications,
      handle: async ({ body, principal }) => {
        const { renewsCaseId, ...submission } = body;
        await assertOwnUploads(
          db,
          principal,
          [...submission.documents.map((d) => d.uploadId), ...submission.certifications.map((c) => c.uploadId)],
          'documents',
        );
        if (renewsCaseId !== undefined) {
          const renewed = await findCase(db, renewsCaseId);
          if (
            !renewed ||
            renewed.applicant_user_id !== principal.userId ||
            renewed.type !== 'trainer_application' ||
            renewed.status !== 'approved'
          ) {
            throw new DomainError('Invalid', 'must be your approved trainer application', 'renewsCaseId');
          }
        }
        return submit(principal, {
          type: 'trainer_application',
          title: principal.displayName,
          submission,
          documents: [
            ...submission.documents,
            ...submission.certifications.map((c) => ({
              uploadId: c.uploadId,
              label: `${c.model} instructor certification`,
            })),
          ],
          region: submission.regions[0] ?? null,
          renewsCaseId: renewsCaseId ?? null,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/course-approvals',
      summary: 'Submit a course for approval; the current rule set checks it before a reviewer sees it',
      tags: ['cases'],
      policy: policies.roles(['trainer', 'admin'], 'Approved trainers'),
      body: CASE_KINDS.course_approval.submission,
      status: 201,
      response: responses.postCasesCourseApprovals,
      handle: async ({ body, principal }) =>
        submit(principal, { type: 'course_approval', title: body.title, submission: body, documents: [] }),
    }),
    route({
      method: 'post',
      path: '/api/cases/training-requests',
      summary:
        'Ask for credit for training taken outside MOPD (college coursework, CPR/First Aid from an accepted model), with proof',
      tags: ['cases'],
      policy: policies.roles(['professional'], 'Professionals, for their own record'),
      body: CASE_KINDS.training_request.submission,
      status: 201,
      response: responses.postCasesTrainingRequests,
      handle: async ({ body, principal }) => {
        if (!principal.professionalId)
          throw new DomainError('Forbidden', 'Only a person with an MOPD ID asks for training credit');
        await assertOwnUploads(db, principal, body.proof, 'proof', ['training_proof', 'document']);
        const professional = await findProfessional(db, principal.professionalId);
        return submit(principal, {
          type: 'training_request',
          title: body.title,
          submission: body,
          documents: body.proof.map((uploadId) => ({ uploadId, label: 'Proof of completion' })),
          professionalId: principal.professionalId,
          region: professional?.region ?? null,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/organization-claims',
      summary: 'Claim an organization as its director; once approved you read its staff reports and manage its staff',
      tags: ['cases'],
      policy: policies.signedIn('Any signed-in person'),
      body: CASE_KINDS.organization_claim.submission,
      status: 201,
      response: responses.postCasesOrganizationClaims,
      handle: async ({ body, principal }) => {
        const organization = await findOrganization(db, body.organizationId);
        if (!organization)
          throw new DomainError('NotFound', `No organization with id ${body.organizationId}`, 'organizationId');
        return submit(principal, {
          type: 'organization_claim',
          title: organization.name,
          submission: body,
          documents: [],
          organizationId: organization.id,
          region: organization.region,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/micro-credentials',
      summary:
        'Submit evidence for a micro-credential (documents you uploaded and a written reflection); an assessor reviews it and may award it',
      tags: ['cases', 'micro-credentials'],
      policy: policies.roles(['professional'], 'Professionals, for their own record'),
      body: CASE_KINDS.micro_credential.submission,
      status: 201,
      response: responses.postCasesMicroCredentials,
      handle: async ({ body, principal }) => {
        if (!principal.professionalId)
          throw new DomainError('Forbidden', 'Only a person with an MOPD ID earns micro-credentials');
        const credential = findMicroCredential(CURRENT_MICRO_CREDENTIALS.version, body.credentialId)!;
        await assertOwnUploads(
          db,
          principal,
          body.documents.map((d) => d.uploadId),
          'documents',
        );
        const professional = await findProfessional(db, principal.professionalId);
        return submit(principal, {
          type: 'micro_credential',
          title: credential.title,
          submission: { ...body, catalogVersion: CURRENT_MICRO_CREDENTIALS.version },
          documents: body.documents.map((d) => ({ uploadId: d.uploadId, label: d.label || 'Evidence' })),
          professionalId: principal.professionalId,
          region: professional?.region ?? null,
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/cases/mine',
      summary: 'The cases you submitted, newest first, with what is asked of you',
      tags: ['cases'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getCasesMine,
      handle: async ({ principal }) => ({
        cases: (await casesOfApplicant(db, principal.userId)).map(summaryOf),
      }),
    }),
    route({
      method: 'get',
      path: '/api/cases',
      summary:
        'The review queue: filter by type, status, assignee, region and age; search by applicant name, title or case number; sort by due date, age or type; a page at a time with the total',
      tags: ['cases'],
      policy: policies.roles(REVIEW_ROLES, 'Reviewers and admins'),
      query: queueQuery,
      response: responses.getCases,
      handle: async ({ query, principal }) => {
        const filter = { ...query, assignee: query.assignee === 'me' ? principal.userId : query.assignee };
        const [rows, total, calendar] = await Promise.all([
          reviewQueue(db, filter),
          reviewQueueCount(db, filter),
          getSetting(db, 'business_calendar'),
        ]);
        const now = new Date();
        return {
          cases: rows.map((r) => ({
            ...summaryOf(r),
            assigneeName: r.assignee_name,
            applicantName: r.applicant_name,
            service: serviceLevelOf(r, now, calendar),
          })),
          total,
          limit: query.limit,
          offset: query.offset,
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/assign',
      summary:
        'Assign many cases to one reviewer at once (lead reviewers and admins); each goes through its workflow and is audited; answers per case',
      tags: ['cases'],
      policy: policies.roles(REVIEW_ROLES, 'Lead reviewers and admins'),
      body: z
        .object({ caseIds: z.array(bodyId).min(1, 'choose at least one case').max(100), toUserId: bodyId })
        .strict(),
      response: responses.postCasesAssign,
      handle: async ({ body, principal, requestId }) => {
        const isLead = holds(principal, 'admin') || (await isLeadReviewer(db, principal.userId));
        if (!isLead) throw new DomainError('Forbidden', 'Only a lead reviewer assigns cases');
        if (!(await isReviewer(db, body.toUserId))) throw new DomainError('Invalid', 'must be a reviewer', 'toUserId');
        const results = await assignCases(db, {
          caseIds: body.caseIds,
          toUserId: body.toUserId,
          byUserId: principal.userId,
          requestId,
          reassign: (workflowId, caseId) =>
            temporal.updateCase(
              workflowId,
              reassignUpdate,
              [{ leadUserId: principal.userId, toUserId: body.toUserId }],
              `${reassignUpdate.name}-bulk-${caseId}-${body.toUserId}-${randomUUID()}`,
            ),
        });
        return { results, assigned: results.filter((r) => r.assigned).length };
      },
    }),
    route({
      method: 'get',
      path: '/api/cases/:id',
      summary: 'A case with its timeline, messages, documents and automatic-check results',
      tags: ['cases'],
      policy: caseReader,
      params: idParams,
      response: responses.getCasesById,
      handle: async ({ params, principal }) => {
        const c = (await findCase(db, params.id))!;
        const [events, messages, documents] = await Promise.all([
          timelineOfCase(db, c.id),
          messagesOfCase(db, c.id),
          documentsOfCase(db, c.id),
        ]);
        const isApplicant = c.applicant_user_id === principal.userId;
        const reader = await readerOf(db, principal.userId, principal.roles);
        return {
          /** Everything submitted, by case type (a union tagged by `type`). */
          details: await submissionDetails(db, c),
          /** What the reader may do now; the page offers only these. */
          allowedActions: allowedCaseActions(c, reader),
          service: await caseServiceLevel(db, c),
          case: {
            ...summaryOf(c),
            submission: c.submission,
            checkResults: c.check_results,
            decisionReasons: c.decision_reasons,
            ruleSet: c.rule_set,
            ruleSetVersion: c.rule_set_version,
          },
          timeline: events,
          messages,
          documents,
          youAreApplicant: isApplicant,
          askedOfYou:
            isApplicant && c.status === 'information_requested'
              ? (messages.at(-1)?.body ?? events.filter((e) => e.kind === 'information_requested').at(-1)?.note ?? '')
              : null,
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/claim',
      summary: 'Take a case in review (it must be unassigned)',
      tags: ['cases'],
      policy: reviewerAction,
      params: idParams,
      response: responses.postCasesByIdClaim,
      handle: async ({ params, principal, req }) =>
        act(params.id, idempotencyKey(req), claimUpdate, [{ reviewerUserId: principal.userId }]),
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/release',
      summary: 'Give a case you hold back to the queue',
      tags: ['cases'],
      policy: reviewerAction,
      params: idParams,
      response: responses.postCasesByIdRelease,
      handle: async ({ params, principal, req }) =>
        act(params.id, idempotencyKey(req), releaseUpdate, [{ reviewerUserId: principal.userId }]),
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/reassign',
      summary: 'Give a case to another reviewer (lead reviewers and admins)',
      tags: ['cases'],
      policy: reviewerAction,
      params: idParams,
      body: z.object({ toUserId: bodyId }).strict(),
      response: responses.postCasesByIdReassign,
      handle: async ({ params, body, principal, req }) => {
        const isLead = holds(principal, 'admin') || (await isLeadReviewer(db, principal.userId));
        if (!isLead) throw new DomainError('Forbidden', 'Only a lead reviewer reassigns cases');
        if (!(await isReviewer(db, body.toUserId))) throw new DomainError('Invalid', 'must be a reviewer', 'toUserId');
        return act(params.id, idempotencyKey(req), reassignUpdate, [
          { leadUserId: principal.userId, toUserId: body.toUserId },
        ]);
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/request-information',
      summary: 'Ask the applicant for more information (the case waits; it lapses if unanswered)',
      tags: ['cases'],
      policy: reviewerAction,
      params: idParams,
      body: z.object({ message }).strict(),
      response: responses.postCasesByIdRequestInformation,
      handle: async ({ params, body, principal, req }) =>
        act(params.id, idempotencyKey(req), requestInformationUpdate, [
          { reviewerUserId: principal.userId, message: body.message },
        ]),
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/decide',
      summary:
        'Approve or deny a case you hold (a reason is required to deny); send an Idempotency-Key so a retry is applied once',
      tags: ['cases'],
      policy: reviewerAction,
      params: idParams,
      body: z
        .object({
          decision: z.enum(['approved', 'denied']),
          reasons: z.array(z.string().trim().max(2000)).max(10).default([]),
        })
        .strict(),
      response: responses.postCasesByIdDecide,
      handle: async ({ params, body, principal, req }) =>
        act(params.id, idempotencyKey(req), decideUpdate, [
          { reviewerUserId: principal.userId, decision: body.decision, reasons: body.reasons },
        ]),
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/recheck',
      summary: 'Run the automatic checks again under the current rule-set version (the case is then judged under it)',
      tags: ['cases'],
      policy: reviewerAction,
      params: idParams,
      response: responses.postCasesByIdRecheck,
      handle: async ({ params, principal, req }) =>
        act(params.id, idempotencyKey(req), recheckUpdate, [{ reviewerUserId: principal.userId }]),
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/answer',
      summary: 'Answer a request for information, with files; the case goes back to review',
      tags: ['cases'],
      policy: applicantOnly,
      params: idParams,
      body: z
        .object({ message, uploadIds: z.array(z.uuid('must be the id of a file you uploaded')).max(10).default([]) })
        .strict(),
      response: responses.postCasesByIdAnswer,
      handle: async ({ params, body, principal, req }) => {
        await assertOwnUploads(db, principal, body.uploadIds, 'uploadIds');
        return act(params.id, idempotencyKey(req), answerUpdate, [
          { applicantUserId: principal.userId, message: body.message, uploadIds: body.uploadIds },
        ]);
      },
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/withdraw',
      summary: 'Withdraw your case',
      tags: ['cases'],
      policy: applicantOnly,
      params: idParams,
      body: z.object({ reason: z.string().trim().max(2000).default('') }).strict(),
      response: responses.postCasesByIdWithdraw,
      handle: async ({ params, body, principal, req }) =>
        act(params.id, idempotencyKey(req), withdrawUpdate, [
          { applicantUserId: principal.userId, reason: body.reason },
        ]),
    }),
    route({
      method: 'post',
      path: '/api/cases/:id/messages',
      summary: 'Write to the other side of a case (applicant ↔ reviewers); they are notified',
      tags: ['cases'],
      policy: caseReader,
      params: idParams,
      body: z.object({ body: message }).strict(),
      status: 201,
      response: responses.postCasesByIdMessages,
      handle: async ({ params, body, principal, req }) => {
        await caseSteps.postMessage({
          caseId: params.id,
          authorUserId: principal.userId,
          body: body.body,
          key: `message-${params.id}-${idempotencyKey(req) ?? randomUUID()}`,
        });
        return { ok: true };
      },
    }),
    route({
      method: 'get',
      path: '/api/reviewers',
      summary: 'Reviewers with their open cases, for reassignment',
      tags: ['cases'],
      policy: policies.roles(REVIEW_ROLES, 'Reviewers and admins'),
      response: responses.getReviewers,
      handle: async () => ({
        reviewers: await reviewersWithWorkload(db),
      }),
    }),
    route({
      method: 'get',
      path: '/api/notifications',
      summary: 'Your notifications, newest first, with how many are unread',
      tags: ['cases'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getNotifications,
      handle: async ({ principal }) => {
        return notificationsOf(db, principal.userId);
      },
    }),
    route({
      method: 'post',
      path: '/api/notifications/:id/read',
      summary: 'Mark a notification read',
      tags: ['cases'],
      policy: {
        ...policies.signedIn('Its recipient'),
        scope: ({ db: scopeDb, principal, params }) => isNotificationOf(scopeDb, Number(params.id), principal.userId),
      },
      params: idParams,
      response: responses.postNotificationsByIdRead,
      handle: async ({ params }) => {
        await markNotificationRead(db, params.id);
        return { ok: true };
      },
    }),
  ];
}

/** What lists show of a case. */
function summaryOf(c: CaseRow) {
  const overdue =
    c.due_at !== null &&
    c.due_at.getTime() < Date.now() &&
    (OPEN_CASE_STATUSES as readonly string[]).includes(c.status);
  return {
    id: c.id,
    type: c.type,
    status: c.status,
    title: c.title,
    region: c.region,
    applicantUserId: c.applicant_user_id,
    assigneeUserId: c.assignee_user_id,
    submittedAt: c.submitted_at,
    dueAt: c.due_at,
    overdue,
    informationDueAt: c.information_due_at,
    decidedAt: c.decided_at,
    approvalExpiresOn: c.approval_expires_on,
  };
}
