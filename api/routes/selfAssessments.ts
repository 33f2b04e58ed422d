/** The self-assessment (instrument, taking it, history with change over time) and recommended training. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { findProfessional } from '../../db/professionals.js';
import { selfAssessmentHistory, takeSelfAssessment } from '../../services/selfAssessments.js';
import { recommendationsFor } from '../../services/recommendations.js';
import { DomainError } from '../../services/errors.js';
import { answerProblems, CURRENT_INSTRUMENT, instrumentIn, type Answers } from '../../rules/selfAssessment.js';
import { DELIVERY_MODES } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { policies, recordViewOf } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/selfAssessments.js';

/** Answers by statement id; each problem is reported on its own field, `answers.<statement id>`. */
const newSelfAssessment = z
  .object({ answers: z.record(z.string(), z.unknown(), { error: 'must be an object of answers by statement id' }) })
  .strict()
  .superRefine((body, ctx) => {
    for (const problem of answerProblems(CURRENT_INSTRUMENT, body.answers))
      ctx.addIssue({ code: 'custom', path: ['answers', problem.statementId], message: problem.message });
  })
  .transform((body) => ({ answers: body.answers as Answers }));

const recommendationQuery = z
  .object({
    zip: z
      .string()
      .regex(/^[0-9]{5}$/, 'must be a 5-digit ZIP code')
      .optional(),
    delivery: z.enum(DELIVERY_MODES, { error: `must be one of ${DELIVERY_MODES.join(', ')}` }).optional(),
  })
  .strict();

export function selfAssessmentRoutes({ db }: { db: Db }): RouteDefinition[] {
  const professional = async (id: number) => {
    const found = await findProfessional(db, id);
    if (!found) throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');
    return found;
  };
  return [
    route({
      method: 'get',
      path: '/api/self-assessment/instrument',
      summary:
        "The current self-assessment: its scale and, per competency area, the statements to rate; in the signed-in person's language (English otherwise, and for any text not yet translated)",
      tags: ['self-assessment'],
      policy: policies.public('Anyone: the statements are no secret'),
      response: responses.getSelfAssessmentInstrument,
      handle: async ({ principal }) => ({ instrument: instrumentIn(CURRENT_INSTRUMENT, principal?.language ?? 'en') }),
    }),
    route({
      method: 'post',
      path: '/api/professionals/:id/self-assessments',
      summary:
        'Take the self-assessment: every statement rated on the scale; answers its strengths, growth areas and change from the last one',
      tags: ['self-assessment'],
      policy: policies.ownProfile('The person themselves, or an admin'),
      params: idParams,
      body: newSelfAssessment,
      status: 201,
      response: responses.postProfessionalsByIdSelfAssessments,
      handle: async ({ params, body, principal, requestId }) => {
        await professional(params.id);
        return {
          selfAssessment: await takeSelfAssessment(db, {
            professionalId: params.id,
            answers: body.answers,
            takenOn: localDateOf(new Date()),
            byUserId: principal.userId,
            requestId,
          }),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/self-assessments',
      summary:
        'Every self-assessment taken, newest first, each with its area scores, strengths, growth areas and change from the one before; a former employer sees those taken up to the last day worked',
      tags: ['self-assessment'],
      policy: policies.professionalHistory(
        'The person themselves, someone whose scope includes them, or a former employer up to the last day worked',
      ),
      params: idParams,
      response: responses.getProfessionalsByIdSelfAssessments,
      handle: async ({ params, principal }) => {
        const found = await professional(params.id);
        const until = (await recordViewOf(db, principal, found.id))?.until ?? null;
        return {
          selfAssessments: (await selfAssessmentHistory(db, found.id)).filter(
            (a) => until === null || a.takenOn <= until,
          ),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/recommendations',
      summary:
        'Training suggested for this person (top 10), each with its score and the reasons: deadlines, hours still needed, self-assessment growth areas, experience, distance, delivery, ratings and completion',
      tags: ['self-assessment'],
      policy: policies.professionalRecord('The person themselves, or someone whose scope includes them'),
      params: idParams,
      query: recommendationQuery,
      response: responses.getProfessionalsByIdRecommendations,
      handle: async ({ params, query }) => recommendationsFor(db, params.id, query),
    }),
  ];
}
