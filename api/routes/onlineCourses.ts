/** Online, on-demand courses: the list, enrolling, modules, the knowledge check, and authoring. */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { enrollmentsOfProfessional, listOpenOnlineCourses } from '../../db/onlineCourses.js';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import type { PaymentProvider } from '../../services/payments.js';
import { DomainError } from '../../services/errors.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams, webAddress } from '../schemas.js';
import { assertOwnUploads } from './uploads.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { wakeDeadlines } from '../deadlineSignals.js';
import * as responses from '../responses/onlineCourses.js';
import { approvedOrganizationsOf, staffStandingAt } from '../../db/access.js';
import { localDateOf } from '../../rules/dates.js';
import { holds } from '../access/principal.js';

const id = z.coerce.number({ error: 'must be a number' }).int().positive();
const text = (max: number) => z.string().trim().max(max);

const courseContent = z
  .object({
    passMarkPercent: z
      .number({ error: 'must be a number' })
      .int()
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100'),
    modules: z
      .array(
        z
          .object({
            id: z.number().int().positive().optional(),
            title: text(200).min(1, 'must not be empty'),
            body: text(20_000).default(''),
            imageUrl: webAddress.nullable().optional(),
            imageAlt: text(300).nullable().optional(),
            videoUrl: webAddress.nullable().optional(),
            captionsUrl: webAddress.nullable().optional(),
            transcript: text(50_000).nullable().optional(),
            handoutUploadId: z.uuid('must be an upload id').nullable().optional(),
          })
          .strict(),
      )
      .min(1, 'add at least one module')
      .max(50),
    questions: z
      .array(
        z
          .object({
            prompt: text(1000).min(1, 'must not be empty'),
            choices: z
              .array(text(300).min(1, 'must not be empty'))
              .min(2, 'give at least two choices')
              .max(6, 'at most six choices'),
            correctChoice: z.number().int().min(0),
          })
          .strict(),
      )
      .min(1, 'add at least one question')
      .max(50),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.modules.forEach((m, i) => {
      // Every video carries captions and a transcript; every image a description.
      if (m.videoUrl && !m.captionsUrl)
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'captionsUrl'],
          message: 'is required with a video: give the captions file (WebVTT)',
        });
      if (m.videoUrl && !m.transcript)
        ctx.addIssue({ code: 'custom', path: ['modules', i, 'transcript'], message: 'is required with a video' });
      if (m.imageUrl && !m.imageAlt)
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'imageAlt'],
          message: 'is required with an image: describe it for people who cannot see it',
        });
    });
    c.questions.forEach((q, i) => {
      if (q.correctChoice >= q.choices.length)
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'correctChoice'],
          message: 'must be one of the choices',
        });
    });
  });

export function onlineCourseRoutes({
  db,
  payments,
  temporal,
  logger,
  clock,
}: {
  db: Db;
  payments: PaymentProvider | undefined;
  temporal: TemporalGateway;
  logger: Logger;
  clock?: () => Date;
}): RouteDefinition[] {
  const courses = createOnlineCourses({ db, payments, now: clock });
  return [
    route({
      method: 'get',
      path: '/api/online-courses',
      summary: 'Approved online, on-demand courses open for enrollment, by words in the title or description',
      tags: ['online courses'],
      policy: policies.public('Anyone'),
      query: z.object({ q: text(200).optional(), topic: text(60).optional() }).strict(),
      response: responses.getOnlineCourses,
      handle: async ({ query }) => {
        return { courses: await listOpenOnlineCourses(db, query) };
      },
    }),
    route({
      method: 'get',
      path: '/api/online-courses/:id',
      summary: 'An online course’s outline, pass mark and fee; signed in, also your enrollment',
      tags: ['online courses'],
      policy: policies.public('Anyone'),
      params: idParams,
      response: responses.getOnlineCoursesById,
      handle: async ({ params, principal }) => courses.outline(params.id, principal?.professionalId ?? null),
    }),
    route({
      method: 'post',
      path: '/api/online-courses/:id/enrollments',
      summary:
        'Enroll in an online course: refused with the rule’s reason (e.g. one DESE course at a time); a fee returns the payment provider’s checkout address',
      tags: ['online courses'],
      policy: policies.roles(['professional'], 'Professionals, for themselves'),
      params: idParams,
      status: 201,
      response: responses.postOnlineCoursesByIdEnrollments,
      handle: async ({ params, principal, requestId }) => {
        if (!principal.professionalId)
          throw new DomainError('Forbidden', 'You need an MOPD ID of your own to take a course');
        return courses.enroll({
          courseId: params.id,
          professionalId: principal.professionalId,
          byUserId: principal.userId,
          requestId,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/online-courses/:id/group-enrollments',
      summary:
        'A director enrolls a group of their staff to take an online course together: refused with the rule’s reason while online modules used for group training earn nothing',
      tags: ['online courses'],
      policy: policies.roles(['director', 'admin'], 'Directors, for their current staff; admins'),
      params: idParams,
      body: z
        .object({
          professionalIds: z
            .array(z.number({ error: 'must be a number' }).int().positive())
            .min(2, 'a group is at least two people')
            .max(200),
        })
        .strict(),
      status: 201,
      response: responses.postOnlineCoursesByIdGroupEnrollments,
      handle: async ({ params, body, principal, requestId }) => {
        if (!holds(principal, 'admin')) {
          const organizations = await approvedOrganizationsOf(db, principal.userId);
          const today = localDateOf(new Date());
          for (const [i, professionalId] of body.professionalIds.entries()) {
            if ((await staffStandingAt(db, professionalId, organizations, today)) !== 'current')
              throw new DomainError('Forbidden', 'is not on your staff now', `professionalIds.${i}`);
          }
        }
        return courses.enrollGroup({
          courseId: params.id,
          professionalIds: body.professionalIds,
          byUserId: principal.userId,
          requestId,
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/my/enrollments',
      summary: 'Your online courses: in progress, awaiting payment, completed',
      tags: ['online courses'],
      policy: policies.roles(['professional'], 'Professionals'),
      response: responses.getMyEnrollments,
      handle: async ({ principal }) => ({
        enrollments: await enrollmentsOfProfessional(db, principal.professionalId ?? 0),
      }),
    }),
    route({
      method: 'get',
      path: '/api/enrollments/:id',
      summary:
        'An enrollment: modules with content and progress, where to resume, the knowledge check, the credit issued',
      tags: ['online courses'],
      policy: policies.enrollmentHolder('The enrolled person, or an admin'),
      params: idParams,
      response: responses.getEnrollmentsById,
      handle: async ({ params }) => courses.enrollment(params.id),
    }),
    route({
      method: 'post',
      path: '/api/enrollments/:id/modules/:moduleId/engagement',
      summary:
        'The module is open and in view (sent on opening it, then every 15 s): the server records the engaged time, capped per interval, on one clock per enrollment',
      tags: ['online courses'],
      policy: policies.enrollmentHolder('The enrolled person'),
      params: z.object({ id, moduleId: id }).strict(),
      response: responses.postEnrollmentsByIdModulesByModuleIdEngagement,
      handle: async ({ params }) => courses.engage({ enrollmentId: params.id, moduleId: params.moduleId }),
    }),
    route({
      method: 'post',
      path: '/api/enrollments/:id/modules/:moduleId/complete',
      summary:
        'Mark a module done once its share of the course’s minimum time is spent on it (progress is kept; the course resumes at the first module not done)',
      tags: ['online courses'],
      policy: policies.enrollmentHolder('The enrolled person'),
      params: z.object({ id, moduleId: id }).strict(),
      response: responses.postEnrollmentsByIdModulesByModuleIdComplete,
      handle: async ({ params }) => courses.completeModule({ enrollmentId: params.id, moduleId: params.moduleId }),
    }),
    route({
      method: 'post',
      path: '/api/enrollments/:id/knowledge-check',
      summary:
        'Answer the knowledge check (after the course’s minimum time; a limited number of attempts with a wait between them); a pass completes the course and records the training, with the time spent, and the rule set’s credit at once',
      tags: ['online courses'],
      policy: policies.enrollmentHolder('The enrolled person'),
      params: idParams,
      body: z
        .object({ answers: z.array(z.number({ error: 'must be the number of a choice' }).int().min(0)).max(50) })
        .strict(),
      response: responses.postEnrollmentsByIdKnowledgeCheck,
      handle: async ({ params, body, principal, requestId }) => {
        const result = await courses.submitKnowledgeCheck({
          enrollmentId: params.id,
          answers: body.answers,
          byUserId: principal.userId,
          requestId,
        });
        if (result.record) await wakeDeadlines(temporal, logger, result.deadlinesToWake, [result.record]);
        return {
          passed: result.passed,
          scorePercent: result.scorePercent,
          alreadyCompleted: result.alreadyCompleted,
          enrollment: await courses.enrollment(params.id),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/enrollments/:id/checkout',
      summary: 'A new checkout with the payment provider for an enrollment still awaiting payment',
      tags: ['online courses'],
      policy: policies.enrollmentHolder('The enrolled person'),
      params: idParams,
      response: responses.postEnrollmentsByIdCheckout,
      handle: async ({ params }) => courses.checkoutAgain(params.id),
    }),
    route({
      method: 'post',
      path: '/api/enrollments/:id/withdraw',
      summary: 'Withdraw from an online course not yet completed',
      tags: ['online courses'],
      policy: policies.enrollmentHolder('The enrolled person, or an admin'),
      params: idParams,
      response: responses.postEnrollmentsByIdWithdraw,
      handle: async ({ params, principal, requestId }) =>
        courses.withdraw({ enrollmentId: params.id, byUserId: principal.userId, requestId }),
    }),
    route({
      method: 'get',
      path: '/api/courses/:id/content',
      summary: 'An online course’s content for its author: modules, knowledge check with answers, pass mark',
      tags: ['online courses'],
      policy: policies.courseAuthor('The course’s trainer, or an admin'),
      params: idParams,
      response: responses.getCoursesByIdContent,
      handle: async ({ params }) => courses.content(params.id),
    }),
    route({
      method: 'put',
      path: '/api/courses/:id/content',
      summary: 'Save an online course’s content (videos need captions and a transcript; images a description)',
      tags: ['online courses'],
      policy: policies.courseAuthor('The course’s trainer, or an admin'),
      params: idParams,
      body: courseContent,
      response: responses.putCoursesByIdContent,
      handle: async ({ params, body, principal, requestId }) => {
        for (const [i, m] of body.modules.entries()) {
          if (m.handoutUploadId)
            await assertOwnUploads(db, principal, [m.handoutUploadId], `modules.${i}.handoutUploadId`, ['document']);
        }
        await courses.saveContent({ courseId: params.id, content: body, byUserId: principal.userId, requestId });
        return courses.content(params.id);
      },
    }),
  ];
}
