/** The answers of the courseRequests routes (api/routes/courseRequests.ts), as the client reads them. */
import { z } from 'zod';
import { COURSE_REQUEST_STATUSES } from '../../rules/domain.js';
import * as shapes from './shapes.js';

/** POST /api/trainers/:id/course-requests */
export const postTrainersByIdCourseRequests = z.object({
  courseRequest: z.object({ id: z.number(), status: z.enum(COURSE_REQUEST_STATUSES) }),
});

/** GET /api/my/course-requests */
export const getMyCourseRequests = z.object({ courseRequests: z.array(shapes.courseRequest) });

/** POST /api/course-requests/:id/answer */
export const postCourseRequestsByIdAnswer = z.object({
  courseRequest: z.object({ id: z.number(), status: z.enum(COURSE_REQUEST_STATUSES) }),
});
