/** The answers of the attendance routes (api/routes/attendance.ts), as the client reads them. */
import { z } from 'zod';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** GET /api/events/:id/attendance */
export const getEventsByIdAttendance = z.object({
  sheet: z.object({
    event: z.object({
      id: z.number(),
      title: z.string(),
      sessionChoice: z.boolean(),
      attendanceCompletedAt: isoDateTime.nullable(),
    }),
    sessions: z.array(z.object({
      id: z.number(),
      title: z.string(),
      track: z.string().nullable(),
      startsAt: isoDateTime,
      endsAt: isoDateTime,
      hours: z.number(),
    })),
    registrants: z.array(z.object({
      expectedSessionIds: z.array(z.number()),
      marks: z.array(z.object({
        sessionId: z.number(),
        status: z.enum(['present', 'absent']),
        hours: z.number(),
      })),
      record: z.object({
        id: z.number(),
        hours: z.number(),
        creditedHours: z.number(),
        reasons: z.array(shapes.creditReason),
        ruleSetVersion: z.number(),
      }).nullable(),
      registrationId: z.number(),
      professionalId: z.number(),
      name: z.string(),
      mopdId: z.string(),
      registeredAt: isoDateTime,
    })),
  }),
});

/** PUT /api/events/:id/attendance */
export const putEventsByIdAttendance = z.object({
  issued: z.array(z.object({
    professionalId: z.number(),
    change: z.enum(['created', 'corrected', 'withdrawn', 'unchanged']),
    recordId: z.number().nullable(),
  })),
  sheet: z.object({
    event: z.object({
      id: z.number(),
      title: z.string(),
      sessionChoice: z.boolean(),
      attendanceCompletedAt: isoDateTime.nullable(),
    }),
    sessions: z.array(z.object({
      id: z.number(),
      title: z.string(),
      track: z.string().nullable(),
      startsAt: isoDateTime,
      endsAt: isoDateTime,
      hours: z.number(),
    })),
    registrants: z.array(z.object({
      expectedSessionIds: z.array(z.number()),
      marks: z.array(z.object({
        sessionId: z.number(),
        status: z.enum(['present', 'absent']),
        hours: z.number(),
      })),
      record: z.object({
        id: z.number(),
        hours: z.number(),
        creditedHours: z.number(),
        reasons: z.array(shapes.creditReason),
        ruleSetVersion: z.number(),
      }).nullable(),
      registrationId: z.number(),
      professionalId: z.number(),
      name: z.string(),
      mopdId: z.string(),
      registeredAt: isoDateTime,
    })),
  }),
});

/** POST /api/events/:id/attendance/complete */
export const postEventsByIdAttendanceComplete = z.object({
  issued: z.array(z.object({
    professionalId: z.number(),
    change: z.enum(['created', 'corrected', 'withdrawn', 'unchanged']),
    recordId: z.number().nullable(),
  })),
  sheet: z.object({
    event: z.object({
      id: z.number(),
      title: z.string(),
      sessionChoice: z.boolean(),
      attendanceCompletedAt: isoDateTime.nullable(),
    }),
    sessions: z.array(z.object({
      id: z.number(),
      title: z.string(),
      track: z.string().nullable(),
      startsAt: isoDateTime,
      endsAt: isoDateTime,
      hours: z.number(),
    })),
    registrants: z.array(z.object({
      expectedSessionIds: z.array(z.number()),
      marks: z.array(z.object({
        sessionId: z.number(),
        status: z.enum(['present', 'absent']),
        hours: z.number(),
      })),
      record: z.object({
        id: z.number(),
        hours: z.number(),
        creditedHours: z.number(),
        reasons: z.array(shapes.creditReason),
        ruleSetVersion: z.number(),
      }).nullable(),
      registrationId: z.number(),
      professionalId: z.number(),
      name: z.string(),
      mopdId: z.string(),
      registeredAt: isoDateTime,
    })),
  }),
});

/** PUT /api/registrations/:id/sessions */
export const putRegistrationsByIdSessions = z.object({ sessionIds: z.array(z.number()) });
