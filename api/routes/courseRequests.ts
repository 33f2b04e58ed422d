/** Asking a CPR/First Aid trainer of the directory for a course in one's region, and their answers. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { isCourseRequestTo } from '../../db/courseRequests.js';
import { createCourseRequests } from '../../services/courseRequests.js';
import { REGIONS } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { policies, type SignedInPolicy } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/courseRequests.js';

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});
const text = (max: number) =>
  z.string(required('text')).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const newCourseRequest = z
  .object({
    region: z.enum(REGIONS, required(`one of ${REGIONS.join(', ')}`)),
    message: text(2000),
    preferredMonth: z
      .string(required('a month written YYYY-MM'))
      .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
      .refine((month) => month >= localDateOf(new Date()).slice(0, 7), 'must not be a month that has passed')
      .optional(),
    seats: z
      .number(required('a number'))
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500')
      .optional(),
  })
  .strict();

const courseRequestAnswer = z
  .object({
    status: z.enum(['answered', 'declined'], required('answered or declined')),
    answer: text(2000),
  })
  .strict();

/** A request's trainer; for anyone else it is not found. */
const theRequestsTrainer: SignedInPolicy = {
  roles: ['trainer'],
  describe: 'The trainer the request was made to',
  scope: ({ db, principal, params }) => isCourseRequestTo(db, Number(params.id), principal.userId),
};

export function courseRequestRoutes({ db, publicUrl }: { db: Db; publicUrl: string }): RouteDefinition[] {
  const requests = createCourseRequests({ db, publicUrl });
  return [
    route({
      method: 'post',
      path: '/api/trainers/:id/course-requests',
      summary:
        'Ask a CPR/First Aid trainer of the directory for a course in your region; the trainer is emailed and notified',
      tags: ['catalog'],
      policy: policies.roles(['professional', 'director'], 'Professionals and directors'),
      params: idParams,
      body: newCourseRequest,
      status: 201,
      response: responses.postTrainersByIdCourseRequests,
      handle: async ({ params, body, principal, requestId }) => ({
        courseRequest: await requests.ask({
          trainerUserId: params.id,
          byUserId: principal.userId,
          professionalId: principal.professionalId,
          ...body,
          requestId,
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/my/course-requests',
      summary: 'Course requests made to you as a trainer: open ones first, then the newest',
      tags: ['catalog'],
      policy: policies.roles(['trainer'], 'Trainers, their own'),
      response: responses.getMyCourseRequests,
      handle: async ({ principal }) => ({ courseRequests: await requests.listFor(principal.userId) }),
    }),
    route({
      method: 'post',
      path: '/api/course-requests/:id/answer',
      summary: 'Answer or decline a course request made to you, once; whoever asked is emailed',
      tags: ['catalog'],
      policy: theRequestsTrainer,
      params: idParams,
      body: courseRequestAnswer,
      response: responses.postCourseRequestsByIdAnswer,
      handle: async ({ params, body, principal, requestId }) => ({
        courseRequest: await requests.answer({
          id: params.id,
          trainerUserId: principal.userId,
          status: body.status,
          answer: body.answer,
          requestId,
        }),
      }),
    }),
  ];
}
