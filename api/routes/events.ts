/** Trainers schedule events of their approved courses: one or several sessions, a place or a link. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import {
  approvedCoursesOfTrainer,
  coursesTaughtByTrainer,
  eventsOfTrainer,
  findEventDetail,
  sessionsOfEvent,
} from '../../db/events.js';
import { activeRegistrationOf, sessionIdsOfRegistration } from '../../db/registrations.js';
import { recordOfEvent } from '../../db/trainingRecords.js';
import { DomainError } from '../../services/errors.js';
import { scheduleEvent } from '../../services/events.js';
import { waitlistPosition } from '../../services/registrations.js';
import { REGIONS, TRAINING_LANGUAGES } from '../../rules/domain.js';
import { holds } from '../access/principal.js';
import { canSeeMeetingLink, policies } from '../access/policies.js';
import { idParams, webAddress } from '../schemas.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { route, type RouteDefinition } from '../access/routes.js';
import * as responses from '../responses/events.js';

const instant = z.iso
  .datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2027-03-02T09:00:00-06:00' })
  .transform((v) => new Date(v));
const newEvent = z
  .object({
    courseId: z.number({ error: 'must be a number' }).int().positive(),
    capacity: z
      .number({ error: 'must be a number' })
      .int('must be whole seats')
      .min(1, 'must be at least 1')
      .max(5000, 'must be at most 5000'),
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
      .array(
        z
          .object({
            title: z.string().trim().max(200).default(''),
            track: z.string().trim().max(100).optional(),
            startsAt: instant,
            endsAt: instant,
            hours: z
              .number({ error: 'must be a number' })
              .positive('must be more than 0')
              .max(24, 'must be at most 24')
              .multipleOf(0.25, 'must be in quarter hours'),
          })
          .strict(),
      )
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
      if (isTime(s.startsAt) && isTime(s.endsAt) && s.endsAt <= s.startsAt)
        ctx.addIssue({ code: 'custom', path: ['sessions', i, 'endsAt'], message: 'must be after the start' });
    });
    const starts = e.sessions.map((s) => s.startsAt).filter(isTime);
    if (
      starts.length &&
      isTime(e.registrationDeadline) &&
      e.registrationDeadline.getTime() > Math.min(...starts.map((t) => t.getTime()))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['registrationDeadline'],
        message: 'must not be after the first session starts',
      });
    }
  });

export function eventRoutes({ db, temporal }: { db: Db; temporal: TemporalGateway }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/events/:id',
      summary:
        'One event with its sessions and seats left; signed in, also your registration (waitlist place), chosen sessions and the training record it issued',
      tags: ['catalog'],
      policy: policies.public('Anyone: the catalog is public'),
      params: idParams,
      response: responses.getEventsById,
      handle: async ({ params, principal }) => {
        const event = await findEventDetail(db, params.id);
        if (!event) throw new DomainError('NotFound', `No event with id ${params.id}`, 'id');
        const sessions = await sessionsOfEvent(db, params.id);
        let mine = null;
        if (principal?.professionalId) {
          const registration = await activeRegistrationOf(db, params.id, principal.professionalId);
          if (registration) {
            const sessionIds = await sessionIdsOfRegistration(db, registration.id);
            const record = await recordOfEvent(db, params.id, principal.professionalId);
            mine = {
              registrationId: registration.id,
              status: registration.status,
              waitlistPosition:
                registration.status === 'waitlisted' ? await waitlistPosition(db, params.id, registration.id) : null,
              sessionIds,
              record: record
                ? {
                    hours: Number(record.hours),
                    creditedHours: Number(record.credited_hours),
                    reasons: record.credit_reasons,
                  }
                : null,
            };
          }
        }
        const { trainerUserId, ...shown } = event;
        // The link to join goes only to those who may join (issue 16); others learn that there is one.
        const onlineUrl =
          event.onlineUrl && (await canSeeMeetingLink(db, principal, { id: params.id, trainerUserId }))
            ? event.onlineUrl
            : null;
        return {
          event: {
            ...shown,
            onlineUrl,
            hasOnlineLink: event.onlineUrl !== null,
            clockHours: Number(event.clockHours),
            isTrainer: principal !== undefined && (trainerUserId === principal.userId || holds(principal, 'admin')),
          },
          sessions,
          mine,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/my/events',
      summary:
        'A trainer’s events, latest first, with registrations and whether attendance is complete; and the approved courses they may schedule',
      tags: ['catalog'],
      policy: policies.roles(['trainer', 'admin'], 'Trainers, for their own events'),
      response: responses.getMyEvents,
      handle: async ({ principal }) => ({
        events: await eventsOfTrainer(db, principal.userId),
        courses: await approvedCoursesOfTrainer(db, principal.userId),
        taughtCourses: await coursesTaughtByTrainer(db, principal.userId),
      }),
    }),
    route({
      method: 'post',
      path: '/api/events',
      summary:
        'Schedule an event of one of your approved courses: sessions, a place (in person, blended) or a link (online), capacity, fee, deadline',
      tags: ['catalog'],
      policy: policies.roles(['trainer', 'admin'], 'Approved trainers, for their own approved courses; admins'),
      body: newEvent,
      status: 201,
      response: responses.postEvents,
      handle: async ({ body, principal, requestId }) => {
        return scheduleEvent(db, temporal, body, {
          userId: principal.userId,
          isAdmin: holds(principal, 'admin'),
          requestId,
        });
      },
    }),
  ];
}
