/** Rating completed training, and reading a course's ratings (and, for reviewers, a case's). */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { findCase } from '../../db/cases.js';
import { courseRatings, rateTraining, ratingsForCase } from '../../services/ratings.js';
import { DomainError } from '../../services/errors.js';
import { policies, type SignedInPolicy } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/ratings.js';

/** Reviewers and admins, of a case that exists (a missing one answers 404). */
const caseReviewer: SignedInPolicy = {
  ...policies.roles(['reviewer', 'admin'], 'Reviewers and admins'),
  scope: async ({ db, params }) => (await findCase(db, Number(params.id))) !== undefined,
};

export function ratingRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'put',
      path: '/api/training-records/:id/rating',
      summary:
        'Rate a training you completed (1–5 stars, an optional comment shown without your name); rating again changes it',
      tags: ['registry'],
      policy: policies.roles(['professional'], 'The professional whose record it is'),
      params: idParams,
      body: z
        .object({
          stars: z
            .number({ error: 'must be a number of stars' })
            .int('must be whole stars')
            .min(1, 'must be 1 to 5')
            .max(5, 'must be 1 to 5'),
          comment: z.string().trim().max(1000, 'at most 1000 characters').default(''),
        })
        .strict(),
      response: responses.putTrainingRecordsByIdRating,
      handle: async ({ params, body, principal, requestId }) => {
        if (!principal.professionalId) throw new DomainError('Forbidden', 'Only people with an MOPD ID rate training');
        return rateTraining(db, {
          trainingRecordId: params.id,
          professionalId: principal.professionalId,
          stars: body.stars,
          comment: body.comment,
          byUserId: principal.userId,
          requestId,
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/courses/:id/ratings',
      summary:
        'How participants rated a course: average and spread once three or more have rated, and recent comments without names',
      tags: ['catalog'],
      policy: policies.signedIn('Anyone signed in (professionals choosing training, reviewers judging courses)'),
      params: idParams,
      response: responses.getCoursesByIdRatings,
      handle: async ({ params }) => courseRatings(db, params.id),
    }),
    route({
      method: 'get',
      path: '/api/cases/:id/course-ratings',
      summary:
        'For a course approval or a trainer application: how participants rated the applicant’s courses (the course under approval first, with recent comments), without names',
      tags: ['cases'],
      policy: caseReviewer,
      params: idParams,
      response: responses.getCasesByIdCourseRatings,
      handle: async ({ params }) => ratingsForCase(db, (await findCase(db, params.id))!),
    }),
  ];
}
