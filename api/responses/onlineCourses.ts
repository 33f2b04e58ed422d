/** The answers of the onlineCourses routes (api/routes/onlineCourses.ts), as the client reads them. */
import { z } from 'zod';
import { ENROLLMENT_STATUSES } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** An online course as the list shows it; its page extends it. */
export const onlineCourseSummary = z.object({
  id: z.number(),
  title: z.string(),
  description: z.string(),
  sponsor: z.string().nullable(),
  topic: z.string(),
  clockHours: z.number(),
  feeCents: z.number(),
});

/** GET /api/online-courses */
export const getOnlineCourses = z.object({
  courses: z.array(onlineCourseSummary),
});

/** GET /api/online-courses/:id */
export const getOnlineCoursesById = z.object({
  course: onlineCourseSummary.extend({
    passMarkPercent: z.number().nullable(),
    minimumMinutes: z.number(),
    knowledgeCheckAttempts: z.number(),
    approved: z.boolean(),
    ready: z.boolean(),
  }),
  modules: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      hasVideo: z.boolean(),
    }),
  ),
  questionCount: z.number(),
  enrollment: z
    .object({
      id: z.number(),
      status: z.enum(ENROLLMENT_STATUSES),
    })
    .nullable(),
});

/** POST /api/online-courses/:id/enrollments */
export const postOnlineCoursesByIdEnrollments = z.object({
  enrollmentId: z.number(),
  status: z.enum(ENROLLMENT_STATUSES),
  checkoutUrl: z.string().nullable(),
});

/** POST /api/online-courses/:id/group-enrollments */
export const postOnlineCoursesByIdGroupEnrollments = z.object({
  enrollments: z.array(
    z.object({ professionalId: z.number(), enrollmentId: z.number(), status: z.enum(ENROLLMENT_STATUSES) }),
  ),
});

/** GET /api/my/enrollments */
export const getMyEnrollments = z.object({
  enrollments: z.array(
    z.object({
      id: z.number(),
      status: z.enum(['awaiting_payment', 'in_progress', 'completed']),
      courseId: z.number(),
      title: z.string(),
      registeredOn: z.string(),
      completedAt: isoDateTime.nullable(),
    }),
  ),
});

/** GET /api/enrollments/:id */
export const getEnrollmentsById = z.object({
  enrollment: z.object({
    id: z.number(),
    status: z.enum(ENROLLMENT_STATUSES),
    registeredOn: z.string(),
    startedAt: isoDateTime.nullable(),
    completedAt: isoDateTime.nullable(),
    feeCents: z.number(),
  }),
  payment: z.object({ status: z.string(), amountCents: z.number() }).nullable(),
  course: z.object({
    id: z.number(),
    title: z.string(),
    sponsor: z.string().nullable(),
    clockHours: z.number(),
    passMarkPercent: z.number().nullable(),
    minimumMinutes: z.number(),
  }),
  pingSeconds: z.number(),
  timeSpentSeconds: z.number(),
  knowledgeCheck: z.object({
    attemptsAllowed: z.number(),
    attemptsLeft: z.number(),
    nextAttemptAt: isoDateTime.nullable(),
  }),
  modules: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      // A module's content only once the modules before it are done.
      body: z.string().optional(),
      imageUrl: z.string().nullable().optional(),
      imageAlt: z.string().nullable().optional(),
      videoUrl: z.string().nullable().optional(),
      captionsUrl: z.string().nullable().optional(),
      transcript: z.string().nullable().optional(),
      handoutUploadId: z.string().nullable().optional(),
      done: z.boolean(),
      engagedSeconds: z.number(),
      requiredSeconds: z.number(),
    }),
  ),
  resumeModuleId: z.number().nullable(),
  questions: z.array(
    z.object({
      id: z.number(),
      prompt: z.string(),
      choices: z.array(z.string()),
    }),
  ),
  attempts: z.array(
    z.object({
      scorePercent: z.number(),
      passed: z.boolean(),
      at: isoDateTime,
    }),
  ),
  record: z
    .object({
      id: z.number(),
      completedOn: z.string(),
      hours: z.number(),
      creditedHours: z.number(),
      reasons: z.array(shapes.creditReason),
      ruleSetVersion: z.number(),
      timeSpentMinutes: z.number().nullable(),
    })
    .nullable(),
});

/** POST /api/enrollments/:id/modules/:moduleId/engagement */
export const postEnrollmentsByIdModulesByModuleIdEngagement = z.object({
  moduleId: z.number(),
  engagedSeconds: z.number(),
  requiredSeconds: z.number(),
});

/** POST /api/enrollments/:id/modules/:moduleId/complete */
export const postEnrollmentsByIdModulesByModuleIdComplete = z.object({ moduleId: z.number(), done: z.boolean() });

/** POST /api/enrollments/:id/knowledge-check */
export const postEnrollmentsByIdKnowledgeCheck = z.object({
  passed: z.boolean(),
  scorePercent: z.number().nullable(),
  alreadyCompleted: z.boolean(),
  enrollment: getEnrollmentsById,
});

/** POST /api/enrollments/:id/checkout */
export const postEnrollmentsByIdCheckout = z.object({ checkoutUrl: z.string() });

/** POST /api/enrollments/:id/withdraw */
export const postEnrollmentsByIdWithdraw = z.object({ status: z.literal('withdrawn') });

/** GET /api/courses/:id/content */
export const getCoursesByIdContent = z.object({
  passMarkPercent: z.number(),
  modules: z.array(shapes.moduleContent),
  questions: z.array(
    z.object({
      prompt: z.string(),
      choices: z.array(z.string()),
      correctChoice: z.number(),
    }),
  ),
  title: z.string(),
});

/** PUT /api/courses/:id/content: the content as saved, read back as GET gives it. */
export const putCoursesByIdContent = getCoursesByIdContent;
