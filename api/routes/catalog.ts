/** The training catalog: search approved, scheduled training; find CPR/First Aid trainers. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { cprTrainers, listCourses, searchCatalog, UnknownZip } from '../../db/catalog.js';
import { courseRatingSummaries } from '../../services/ratings.js';
import { DomainError } from '../../services/errors.js';
import { COURSE_LEVELS, DELIVERY_MODES, REGIONS, TRAINING_LANGUAGES } from '../../rules/domain.js';
import { isLocalDate, localDateOf } from '../../rules/dates.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import * as responses from '../responses/catalog.js';

/** An admin's course list: words of the title or the course's number, status, owner, a page. */
const courseListQuery = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    status: z.enum(['approved', 'not_approved']).optional(),
    owner: z.string().trim().max(100, 'must be at most 100 characters').optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const day = z.string().refine(isLocalDate, 'must be a calendar date written YYYY-MM-DD');
const catalogQuery = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    topic: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a topic code such as health-safety')
      .max(60)
      .optional(),
    level: z.enum(COURSE_LEVELS).optional(),
    delivery: z.enum(DELIVERY_MODES).optional(),
    region: z.enum(REGIONS).optional(),
    county: z.string().trim().max(60).optional(),
    zip: z
      .string()
      .regex(/^[0-9]{5}$/, 'must be a 5-digit ZIP code')
      .optional(),
    withinMiles: z.coerce.number().positive('must be more than 0').max(500, 'must be at most 500').optional(),
    from: day.optional(),
    to: day.optional(),
    fee: z.enum(['free', 'paid']).optional(),
    seatsLeft: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    language: z.enum(TRAINING_LANGUAGES).optional(),
    sort: z.enum(['relevance', 'date', 'distance']).default('relevance'),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .refine((q) => q.withinMiles === undefined || q.zip !== undefined, {
    path: ['withinMiles'],
    message: 'needs a zip to measure from',
  })
  .refine((q) => q.sort !== 'distance' || q.zip !== undefined, {
    path: ['sort'],
    message: 'sorting by distance needs a zip',
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export function catalogRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/admin/courses',
      summary:
        'Every course, whoever owns it (admins): search by title or number, filter by status and owner, a page at a time',
      tags: ['catalog'],
      policy: policies.admin('Admins'),
      query: courseListQuery,
      response: responses.getAdminCourses,
      handle: async ({ query }) => listCourses(db, query, new Date()),
    }),
    route({
      method: 'get',
      path: '/api/catalog',
      summary:
        'Search upcoming approved training: words, topic, level, delivery, region, county, distance from a ZIP, dates, fee, seats left, language; with facet counts; signed in, each result’s course ratings in brief',
      tags: ['catalog'],
      policy: policies.public(
        'Anyone: the catalog is public; ratings only to those signed in, as with a course’s ratings',
      ),
      query: catalogQuery,
      response: responses.getCatalog,
      handle: async ({ query, principal }) => {
        try {
          const answer = await searchCatalog(db, { ...query, now: new Date() });
          if (!principal) return answer;
          // Read fresh on every search (a kept answer knows nothing of ratings), in one aggregate
          // for the page; the kept answer itself is shared, so it is copied, never changed.
          const ratings = await courseRatingSummaries(
            db,
            answer.results.map((r) => r.courseId),
          );
          return { ...answer, results: answer.results.map((r) => ({ ...r, ratings: ratings.get(r.courseId)! })) };
        } catch (error) {
          if (error instanceof UnknownZip)
            throw new DomainError('Invalid', 'is not a Missouri ZIP code we know', 'zip');
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/api/catalog/cpr-trainers',
      summary: 'Approved trainers with a current CPR/First Aid instructor certification, by national model and region',
      tags: ['catalog'],
      policy: policies.public('Anyone'),
      query: z.object({ model: z.string().trim().max(120).optional(), region: z.enum(REGIONS).optional() }).strict(),
      response: responses.getCatalogCprTrainers,
      handle: async ({ query }) => {
        // Today in America/Chicago, not the database server's `current_date`.
        const today = localDateOf(new Date());
        return { trainers: await cprTrainers(db, { today, model: query.model, region: query.region }) };
      },
    }),
  ];
}
