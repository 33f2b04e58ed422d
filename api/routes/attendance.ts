/** Trainers mark attendance per session, complete it (issuing training records), and correct it. */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { attendanceSheet, createAttendance, type IssuedRecord } from '../../services/attendance.js';
import { chooseSessions } from '../../services/registrations.js';
import type { DeadlineRow, TrainingRecordRow } from '../../db/rows.js';
import { ATTENDANCE_STATUSES } from '../../rules/domain.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { wakeDeadlines } from '../deadlineSignals.js';
import * as responses from '../responses/attendance.js';

const id = z.number({ error: 'must be a number' }).int().positive();
const marks = z
  .array(
    z
      .object({
        registrationId: id,
        sessionId: id,
        status: z.enum(ATTENDANCE_STATUSES, { error: `must be one of ${ATTENDANCE_STATUSES.join(', ')}` }),
        hours: z
          .number({ error: 'must be a number' })
          .min(0)
          .max(24)
          .multipleOf(0.25, 'must be in quarter hours')
          .optional(),
        /** Counted in ratio with children while there; the trainer's answer (present marks only). */
        inRatio: z.boolean({ error: 'must be true or false' }).optional(),
      })
      .strict(),
  )
  .max(5000);

export function attendanceRoutes({
  db,
  temporal,
  logger,
  publicUrl,
}: {
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
  publicUrl?: string;
}): RouteDefinition[] {
  const attendance = createAttendance({ db, publicUrl });

  /** The records are committed; tell the deadline workflows, then answer with the sheet. */
  async function answer(eventId: number, result: { issued: IssuedRecord[]; deadlinesToWake: DeadlineRow[] }) {
    const records = result.issued.map((i) => i.record).filter((r): r is TrainingRecordRow => r !== null);
    await wakeDeadlines(temporal, logger, result.deadlinesToWake, records);
    return {
      issued: result.issued.map((i) => ({
        professionalId: i.professionalId,
        change: i.change,
        recordId: i.record?.id ?? null,
      })),
      sheet: await attendanceSheet(db, eventId),
    };
  }

  return [
    route({
      method: 'get',
      path: '/api/events/:id/attendance',
      summary:
        'The attendance sheet: sessions, registrants with the sessions they are expected at, marks, and the records issued',
      tags: ['attendance'],
      policy: policies.eventTrainer('The event’s trainer, or an admin'),
      params: idParams,
      response: responses.getEventsByIdAttendance,
      handle: async ({ params }) => ({ sheet: await attendanceSheet(db, params.id) }),
    }),
    route({
      method: 'put',
      path: '/api/events/:id/attendance',
      summary:
        'Mark registrants present (with hours, and whether counted in ratio with children) or absent per session; after completion a mark corrects the record and needs a reason',
      tags: ['attendance'],
      policy: policies.eventTrainer('The event’s trainer, or an admin'),
      params: idParams,
      body: z
        .object({
          marks: marks.default([]),
          /** The training was held in a classroom with children: present marks default to in ratio. */
          heldWithChildren: z.boolean({ error: 'must be true or false' }).optional(),
          reason: z.string().trim().min(3, 'say why, in a few words').max(500).optional(),
        })
        .strict()
        .refine((b) => b.marks.length > 0 || b.heldWithChildren !== undefined, {
          path: ['marks'],
          message: 'give at least one mark',
        }),
      response: responses.putEventsByIdAttendance,
      handle: async ({ params, body, principal, requestId }) =>
        answer(
          params.id,
          await attendance.mark({
            eventId: params.id,
            marks: body.marks,
            heldWithChildren: body.heldWithChildren,
            reason: body.reason,
            byUserId: principal.userId,
            byProfessionalId: principal.professionalId,
            requestId,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/events/:id/attendance/complete',
      summary:
        'Complete attendance: issues each attendee’s training record (credit by the rule set), updates compliance, wakes deadlines',
      tags: ['attendance'],
      policy: policies.eventTrainer('The event’s trainer, or an admin'),
      params: idParams,
      response: responses.postEventsByIdAttendanceComplete,
      handle: async ({ params, principal, requestId }) =>
        answer(params.id, await attendance.complete({ eventId: params.id, byUserId: principal.userId, requestId })),
    }),
    route({
      method: 'put',
      path: '/api/registrations/:id/sessions',
      summary: 'Choose conference sessions (no two at the same time); replaces the earlier choice',
      tags: ['catalog'],
      policy: policies.registrationHolder('The registered person, whoever registered them, or an admin'),
      params: idParams,
      body: z.object({ sessionIds: z.array(id).max(200) }).strict(),
      response: responses.putRegistrationsByIdSessions,
      handle: async ({ params, body, principal, requestId }) =>
        chooseSessions(db, {
          registrationId: params.id,
          sessionIds: body.sessionIds,
          byUserId: principal.userId,
          requestId,
        }),
    }),
  ];
}
