/** The answers of the events routes (api/routes/events.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/events/:id */
export const getEventsById = z.object({
  event: z.unknown(),
  sessions: z.array(z.unknown()),
  mine: z.object({
    registrationId: z.number(),
    status: z.string(),
    waitlistPosition: z.number().nullable(),
    sessionIds: z.array(z.number()),
    record: z.object({
      hours: z.number(),
      creditedHours: z.number(),
      reasons: z.array(shapes.creditReason),
    }).nullable(),
  }).nullable(),
});

/** GET /api/my/events */
export const getMyEvents = z.object({ events: z.array(z.unknown()), courses: z.array(z.unknown()) });

/** POST /api/events */
export const postEvents = z.object({ event: z.object({ id: z.number() }) });
