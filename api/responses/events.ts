/** The answers of the events routes (api/routes/events.ts), as the client reads them. */
import { z } from 'zod';
import { DELIVERY_MODES, EVENT_PARTICIPANT_STATUSES, REGIONS, TRAINING_LANGUAGES } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** One session of an event, as its page lists it. */
export const eventSession = z.object({
  id: z.number(),
  title: z.string(),
  track: z.string().nullable(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  hours: z.number(),
});

/** GET /api/events/:id */
export const getEventsById = z.object({
  event: z.object({
    id: z.number(),
    courseId: z.number(),
    title: z.string(),
    description: z.string(),
    sponsor: z.string(),
    trainerName: z.string(),
    topic: z.string(),
    level: z.string().nullable(),
    delivery: z.enum(DELIVERY_MODES),
    clockHours: z.number(),
    language: z.enum(TRAINING_LANGUAGES),
    addressLine: z.string().nullable(),
    city: z.string().nullable(),
    county: z.string().nullable(),
    region: z.enum(REGIONS).nullable(),
    zip: z.string().nullable(),
    /** The link to join: only for its trainer, staff roles and those holding a seat; null for others. */
    onlineUrl: z.string().nullable(),
    hasOnlineLink: z.boolean(),
    capacity: z.number(),
    feeCents: z.number(),
    registrationDeadline: isoDateTime.nullable(),
    firstSessionAt: isoDateTime,
    lastSessionAt: isoDateTime,
    cancelled: z.boolean(),
    sessionChoice: z.boolean(),
    attendanceCompletedAt: isoDateTime.nullable(),
    seatsLeft: z.number(),
    isTrainer: z.boolean(),
  }),
  sessions: z.array(eventSession),
  mine: z
    .object({
      registrationId: z.number(),
      status: z.enum(EVENT_PARTICIPANT_STATUSES),
      waitlistPosition: z.number().nullable(),
      sessionIds: z.array(z.number()),
      record: z
        .object({
          hours: z.number(),
          creditedHours: z.number(),
          reasons: z.array(shapes.creditReason),
        })
        .nullable(),
    })
    .nullable(),
});

/** GET /api/my/events */
export const getMyEvents = z.object({
  events: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      delivery: z.enum(DELIVERY_MODES),
      city: z.string().nullable(),
      firstSessionAt: isoDateTime,
      lastSessionAt: isoDateTime,
      capacity: z.number(),
      cancelled: z.boolean(),
      sessionChoice: z.boolean(),
      attendanceCompletedAt: isoDateTime.nullable(),
      registered: z.number(),
      waitlisted: z.number(),
    }),
  ),
  courses: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      delivery: z.enum(DELIVERY_MODES),
      clockHours: z.number(),
      topic: z.string(),
    }),
  ),
  taughtCourses: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      delivery: z.enum(DELIVERY_MODES),
      clockHours: z.number(),
      events: z.number(),
    }),
  ),
});

/** POST /api/events */
export const postEvents = z.object({ event: z.object({ id: z.number() }) });
