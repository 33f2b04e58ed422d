/** Trainers schedule events of their approved courses: one or several sessions, a place or a link. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { createEvent } from '../../db/events.js';
import { audit } from '../../db/audit.js';
import { DomainError } from '../../activities/errors.js';
import { REGIONS, TRAINING_LANGUAGES } from '../../rules/domain.js';
import { holds } from '../access/principal.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';

const instant = z.iso.datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2027-03-02T09:00:00-06:00' }).transform((v) => new Date(v));
const newEvent = z
  .object({
    courseId: z.number({ error: 'must be a number' }).int().positive(),
    capacity: z.number({ error: 'must be a number' }).int('must be whole seats').min(1, 'must be at least 1').max(5000, 'must be at most 5000'),
    feeCents: z.number().int().min(0, 'must not be negative').max(1_000_000).default(0),
    language: z.enum(TRAINING_LANGUAGES).default('en'),
    place: z
      .object({
        addressLine: z.string().trim().min(1, 'must not be empty').max(200),
        city: z.string().trim().min(1, 'must not be empty').max(100),
        county: z.string().trim().min(1, 'must not be empty').max(60),
        region: z.enum(REGIONS).nullable().default(null),
        zip: z.string().regex(/^[0-9]{5}$/, 'must be a 5-digit ZIP code'),
      })
      .strict()
      .optional(),
    onlineUrl: z.url('must be a web address').max(500).optional(),
    registrationDeadline: instant.optional(),
    sessions: z
      .array(z.object({ title: z.string().trim().max(200).default(''), startsAt: instant, endsAt: instant, hours: z.number().positive().max(24).multipleOf(0.25, 'must be in quarter hours') }).strict())
      .min(1, 'give at least one session')
      .max(200, 'at most 200 sessions'),
  })
  .strict()
  .superRefine((e, ctx) => {
    e.sessions.forEach((s, i) => {
      if (s.endsAt <= s.startsAt) ctx.addIssue({ code: 'custom', path: ['sessions', i, 'endsAt'], message: 'must be after the start' });
    });
    const first = Math.min(...e.sessions.map((s) => s.startsAt.getTime()));
    if (e.registrationDeadline && e.registrationDeadline.getTime() > first) ctx.addIssue({ code: 'custom', path: ['registrationDeadline'], message: 'must not be after the first session starts' });
  });

export function eventRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/api/events',
      summary: 'Schedule an event of one of your approved courses: sessions, a place (in person, blended) or a link (online), capacity, fee, deadline',
      tags: ['catalog'],
      policy: policies.roles(['trainer', 'admin'], 'Approved trainers, for their own approved courses; admins'),
      body: newEvent,
      status: 201,
      handle: async ({ body, principal, requestId }) => {
        const course = await db('courses').where({ id: body.courseId }).first();
        if (!course || !course.approved) throw new DomainError('Invalid', 'must be an approved course', 'courseId');
        if (!holds(principal!, 'admin')) {
          if (course.trainer_user_id !== principal!.userId) throw new DomainError('Forbidden', 'You schedule only courses approved for you', 'courseId');
          const approved = await db('trainers').where({ user_id: principal!.userId }).where('approved_until', '>=', db.raw('current_date')).first('user_id');
          if (!approved) throw new DomainError('Forbidden', 'Your trainer approval has ended; renew it to schedule events');
        }
        const online = course.delivery === 'online';
        if (!online && !body.place) throw new DomainError('Invalid', `is required for ${course.delivery.replace('_', ' ')} training`, 'place');
        if (online && body.place) throw new DomainError('Invalid', 'is only for in-person and blended training; give an onlineUrl', 'place');
        if (online && !body.onlineUrl) throw new DomainError('Invalid', 'is required for online training', 'onlineUrl');
        if (body.place && !(await db('zip_codes').where({ zip: body.place.zip }).first('zip'))) throw new DomainError('Invalid', 'is not a Missouri ZIP code we know', 'place.zip');
        const ordered = [...body.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
        for (let i = 1; i < ordered.length; i++) {
          // Parallel break-outs (a conference) need tracks to choose between; until then sessions follow one another.
          if (ordered[i]!.startsAt < ordered[i - 1]!.endsAt) throw new DomainError('Invalid', 'sessions of one training must not overlap', 'sessions');
        }
        const trainer = await db('users').where({ id: course.trainer_user_id ?? principal!.userId }).first<{ id: number; display_name: string }>('id', 'display_name');
        return db.transaction(async (trx) => {
          const event = await createEvent(trx, {
            course,
            trainerUserId: trainer?.id ?? null,
            trainerName: trainer?.display_name ?? '',
            language: body.language,
            place: body.place ?? null,
            onlineUrl: body.onlineUrl ?? null,
            capacity: body.capacity,
            feeCents: body.feeCents,
            registrationDeadline: body.registrationDeadline ?? null,
            sessions: body.sessions,
          });
          await audit(trx, { actorUserId: principal!.userId, action: 'event.scheduled', entity: 'event', entityId: event.id, after: body, requestId });
          return { event };
        });
      },
    }),
  ];
}
