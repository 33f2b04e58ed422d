/** The answers of the attendance routes (api/routes/attendance.ts), as the client reads them. */
import { z } from 'zod';
import { ATTENDANCE_STATUSES } from '../../rules/domain.js';
import { eventSession } from './events.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** An event's attendance sheet: its sessions and, per registrant, the marks and the credit issued. */
export const attendanceSheet = z.object({
  event: z.object({
    id: z.number(),
    title: z.string(),
    sessionChoice: z.boolean(),
    attendanceCompletedAt: isoDateTime.nullable(),
    heldWithChildren: z.boolean(),
    onlineModuleGroup: z.boolean(),
  }),
  sessions: z.array(eventSession),
  registrants: z.array(
    z.object({
      expectedSessionIds: z.array(z.number()),
      marks: z.array(
        z.object({
          sessionId: z.number(),
          status: z.enum(ATTENDANCE_STATUSES),
          hours: z.number(),
          inRatio: z.boolean(),
        }),
      ),
      record: z
        .object({
          id: z.number(),
          hours: z.number(),
          creditedHours: z.number(),
          reasons: z.array(shapes.creditReason),
          ruleSetVersion: z.number(),
          inRatio: z.boolean(),
          usedForGroup: z.boolean(),
        })
        .nullable(),
      registrationId: z.number(),
      professionalId: z.number(),
      name: z.string(),
      mopdId: z.string(),
      registeredAt: isoDateTime,
    }),
  ),
});

/** What saving or completing the sheet did to each registrant's training record. */
export const issuedRecord = z.object({
  professionalId: z.number(),
  change: z.enum(['created', 'corrected', 'withdrawn', 'unchanged']),
  recordId: z.number().nullable(),
});

/** GET /api/events/:id/attendance */
export const getEventsByIdAttendance = z.object({ sheet: attendanceSheet });

/** PUT /api/events/:id/attendance */
export const putEventsByIdAttendance = z.object({ issued: z.array(issuedRecord), sheet: attendanceSheet });

/** POST /api/events/:id/attendance/complete */
export const postEventsByIdAttendanceComplete = z.object({ issued: z.array(issuedRecord), sheet: attendanceSheet });

/** PUT /api/registrations/:id/sessions */
export const putRegistrationsByIdSessions = z.object({ sessionIds: z.array(z.number()) });
