/** Trainers schedule events of their approved courses: one or several sessions, a place or a link. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { createEvent } from '../../db/events.js';
import { audit } from '../../db/audit.js';
import { DomainError } from '../../services/errors.js';
import { waitlistPosition } from '../../services/registrations.js';
import type { TrainingRecordRow } from '../../db/rows.js';
import { REGIONS, TRAINING_LANGUAGES } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { holds } from '../access/principal.js';
import { canSeeMeetingLink, policies } from '../access/policies.js';
import { idParams, webAddress } from '../schemas.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { route, type RouteDefinition } from '../access/routes.js';
import * as responses from '../responses/events.js';

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
    onlineUrl: webAddress.optional(),
    registrationDeadline: instant.optional(),
    /** A conference: parallel break-out sessions, each registrant chooses theirs. */
    sessionChoice: z.boolean().default(false),
    sessions: z
      .array(z.object({ title: z.string().trim().max(200).default(''), track: z.string().trim().max(100).optional(), startsAt: instant, endsAt: instant, hours: z.number({ error: 'must be a number' }).positive('must be more than 0').max(24, 'must be at most 24').multipleOf(0.25, 'must be in quarter hours') }).strict())
      .min(1, 'give at least one session')
      .max(200, 'at most 200 sessions'),
  })
  .strict()
  .superRefine((e, ctx) => {
    // Zod runs this even when a time was refused (a format issue does not stop it) and hands it
    // the string, so only times that parsed are compared (a string's getTime was a 500 found by
    // the fuzz run).
    const isTime = (value: unknown): value is Date => value instanceof Date;
    e.sessions.forEach((s, i) => {
      if (isTime(s.startsAt) && isTime(s.endsAt) && s.endsAt <= s.startsAt) ctx.addIssue({ code: 'custom', path: ['sessions', i, 'endsAt'], message: 'must be after the start' });
    });
    const starts = e.sessions.map((s) => s.startsAt).filter(isTime);
    if (starts.length && isTime(e.registrationDeadline) && e.registrationDeadline.getTime() > Math.min(...starts.map((t) => t.getTime()))) {
      ctx.addIssue({ code: 'custom', path: ['registrationDeadline'], message: 'must not be after the first session starts' });
    }
  });

export function eventRoutes({ db, temporal }: { db: Db; temporal: TemporalGateway }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/events/:id',
      summary: 'One event with its sessions and seats left; signed in, also your registration (waitlist place), chosen sessions and the training record it issued',
      tags: ['catalog'],
      policy: policies.public('Anyone: the catalog is public'),
      params: idParams,
      response: responses.getEventsById,
      handle: async ({ params, principal }) => {
        const event = await db('events as e')
          .where('e.id', params.id)
          .first(
            'e.id', 'e.course_id as courseId', 'e.title', 'e.description', 'e.sponsor', 'e.trainer_name as trainerName', 'e.topic', 'e.level', 'e.delivery',
            'e.clock_hours as clockHours', 'e.language', 'e.address_line as addressLine', 'e.city', 'e.county', 'e.region', 'e.zip', 'e.online_url as onlineUrl',
            'e.capacity', 'e.fee_cents as feeCents', 'e.registration_deadline as registrationDeadline', 'e.first_session_at as firstSessionAt',
            'e.last_session_at as lastSessionAt', 'e.cancelled', 'e.session_choice as sessionChoice', 'e.attendance_completed_at as attendanceCompletedAt', 'e.trainer_user_id as trainerUserId',
            db.raw("e.capacity - (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered')::int AS \"seatsLeft\""),
          );
        if (!event) throw new DomainError('NotFound', `No event with id ${params.id}`, 'id');
        const sessions = await db('event_sessions').where({ event_id: params.id }).orderBy([{ column: 'starts_at' }, { column: 'track' }, { column: 'id' }]).select('id', 'title', 'track', 'starts_at as startsAt', 'ends_at as endsAt', db.raw('hours::float AS hours'));
        let mine = null;
        if (principal?.professionalId) {
          const registration = await db('registrations').where({ event_id: params.id, professional_id: principal.professionalId }).whereNot('status', 'cancelled').first<{ id: number; status: string } | undefined>('id', 'status');
          if (registration) {
            const sessionIds = (await db('registration_sessions').where({ registration_id: registration.id }).pluck('event_session_id')).map(Number);
            const record = await db('training_records')
              .where({ event_id: params.id, professional_id: principal.professionalId })
              .first<Pick<TrainingRecordRow, 'hours' | 'credited_hours' | 'credit_reasons'> | undefined>('hours', 'credited_hours', 'credit_reasons');
            mine = {
              registrationId: registration.id,
              status: registration.status,
              waitlistPosition: registration.status === 'waitlisted' ? await waitlistPosition(db, params.id, registration.id) : null,
              sessionIds,
              record: record ? { hours: Number(record.hours), creditedHours: Number(record.credited_hours), reasons: record.credit_reasons } : null,
            };
          }
        }
        const { trainerUserId, ...shown } = event;
        // The link to join goes only to those who may join (issue 16); others learn that there is one.
        const onlineUrl = event.onlineUrl && (await canSeeMeetingLink(db, principal, { id: params.id, trainerUserId })) ? event.onlineUrl : null;
        return {
          event: { ...shown, onlineUrl, hasOnlineLink: event.onlineUrl !== null, clockHours: Number(event.clockHours), isTrainer: principal !== undefined && (trainerUserId === principal.userId || holds(principal, 'admin')) },
          sessions,
          mine,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/my/events',
      summary: 'A trainer’s events, latest first, with registrations and whether attendance is complete; and the approved courses they may schedule',
      tags: ['catalog'],
      policy: policies.roles(['trainer', 'admin'], 'Trainers, for their own events'),
      response: responses.getMyEvents,
      handle: async ({ principal }) => ({
        events: await db('events as e')
          .where('e.trainer_user_id', principal.userId)
          .orderBy('e.first_session_at', 'desc')
          .limit(200)
          .select(
            'e.id', 'e.title', 'e.delivery', 'e.city', 'e.first_session_at as firstSessionAt', 'e.last_session_at as lastSessionAt', 'e.capacity', 'e.cancelled',
            'e.session_choice as sessionChoice', 'e.attendance_completed_at as attendanceCompletedAt',
            db.raw("(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered')::int AS registered"),
            db.raw("(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')::int AS waitlisted"),
          ),
        courses: await db('courses')
          .where({ trainer_user_id: principal.userId, approved: true })
          .orderBy('title')
          .select('id', 'title', 'delivery', db.raw('clock_hours::float AS "clockHours"'), 'topic'),
      }),
    }),
    route({
      method: 'post',
      path: '/api/events',
      summary: 'Schedule an event of one of your approved courses: sessions, a place (in person, blended) or a link (online), capacity, fee, deadline',
      tags: ['catalog'],
      policy: policies.roles(['trainer', 'admin'], 'Approved trainers, for their own approved courses; admins'),
      body: newEvent,
      status: 201,
      response: responses.postEvents,
      handle: async ({ body, principal, requestId }) => {
        const course = await db('courses').where({ id: body.courseId }).first();
        if (!course || !course.approved) throw new DomainError('Invalid', 'must be an approved course', 'courseId');
        if (!holds(principal, 'admin')) {
          if (course.trainer_user_id !== principal.userId) throw new DomainError('Forbidden', 'You schedule only courses approved for you', 'courseId');
          // Today in America/Chicago, not the database server's `current_date`.
          const approved = await db('trainers').where({ user_id: principal.userId }).where('approved_until', '>=', localDateOf(new Date())).first('user_id');
          if (!approved) throw new DomainError('Forbidden', 'Your trainer approval has ended; renew it to schedule events');
        }
        const online = course.delivery === 'online';
        if (!online && !body.place) throw new DomainError('Invalid', `is required for ${course.delivery.replace('_', ' ')} training`, 'place');
        if (online && body.place) throw new DomainError('Invalid', 'is only for in-person and blended training; give an onlineUrl', 'place');
        if (online && !body.onlineUrl) throw new DomainError('Invalid', 'is required for online training', 'onlineUrl');
        if (body.place && !(await db('zip_codes').where({ zip: body.place.zip }).first('zip'))) throw new DomainError('Invalid', 'is not a Missouri ZIP code we know', 'place.zip');
        if (body.sessionChoice) {
          // Break-outs run side by side, so each needs a title to choose it by.
          const untitled = body.sessions.findIndex((s) => !s.title);
          if (untitled >= 0) throw new DomainError('Invalid', 'needs a title: registrants choose conference sessions by name', `sessions.${untitled}.title`);
        } else {
          const ordered = [...body.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
          for (let i = 1; i < ordered.length; i++) {
            if (ordered[i]!.startsAt < ordered[i - 1]!.endsAt) throw new DomainError('Invalid', 'must not overlap: everyone attends every session of this training (make it a conference with sessionChoice to run break-outs side by side)', 'sessions');
          }
        }
        const trainer = await db('users').where({ id: course.trainer_user_id ?? principal.userId }).first<{ id: number; display_name: string }>('id', 'display_name');
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
            sessionChoice: body.sessionChoice,
            sessions: body.sessions,
          });
          await audit(trx, { actorUserId: principal.userId, action: 'event.scheduled', entity: 'event', entityId: event.id, after: body, requestId });
          // Started before the commit: if Temporal cannot take it, nothing is scheduled and the
          // trainer is told; a workflow whose event was rolled back finds nothing to remind of.
          await temporal.startEventReminders(event.id);
          return { event };
        });
      },
    }),
  ];
}
