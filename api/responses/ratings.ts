/** The answers of the ratings routes (api/routes/ratings.ts), as the client reads them. */
import { z } from 'zod';

/** A participant's comment, without their name: the stars they gave and the month they wrote it. */
const ratingComment = z.object({ stars: z.number(), comment: z.string(), month: z.string() });

/** PUT /api/training-records/:id/rating */
export const putTrainingRecordsByIdRating = z.object({
  rating: z.object({
    id: z.number(),
    stars: z.number(),
    comment: z.string(),
  }),
});

/** GET /api/courses/:id/ratings */
export const getCoursesByIdRatings = z.object({
  courseId: z.number(),
  count: z.number(),
  average: z.number().nullable(),
  spread: z.array(z.object({ stars: z.number(), count: z.number() })),
  comments: z.array(ratingComment),
});

/** GET /api/cases/:id/course-ratings */
export const getCasesByIdCourseRatings = z.object({
  courses: z.array(
    z.object({
      comments: z.array(ratingComment),
      count: z.number(),
      average: z.number().nullable(),
      id: z.number(),
      title: z.string(),
      isThisCourse: z.boolean(),
    }),
  ),
});
