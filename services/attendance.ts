/**
 * Attendance: the trainer marks each registrant present (with the hours attended) or absent at
 * each session. Completing attendance issues one training record per attendee, whose credit the
 * rule set decides; marks changed afterwards correct that record, with a reason, audited.
 *
 * Two facts of the credit decision arise here and are taken from nowhere else: whether each
 * participant was counted in ratio with children while there (the trainer's answer per person, with
 * the event's "held in a classroom with children" as its default), and whether the event was a
 * group session of an online module (decided from the catalog when it was scheduled). Nobody marks
 * their own attendance, so no one answers these for themselves.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import type { DeadlineRow, TrainingRecordRow } from '../db/rows.js';
import type { AttendanceStatus } from '../rules/domain.js';
import { localDateOf } from '../rules/dates.js';
import { DomainError } from './errors.js';
import { correctTraining, recordTraining, withdrawTraining, type CompletedTraining } from './training.js';
import { tellAboutRecord } from './recordNotices.js';
import { attendanceRecordNotice } from './mail/templates.js';

export interface AttendanceMark {
  registrationId: number;
  sessionId: number;
  status: AttendanceStatus;
  /** Hours attended when present; the session's hours when left out. */
  hours?: number;
  /**
   * Counted in staff-to-child ratio while there (present marks only); left out, the event's
   * "held in a classroom with children" answers.
   */
  inRatio?: boolean;
}

interface EventRow {
  id: number;
  course_id: number;
  trainer_user_id: number | null;
  session_choice: boolean;
  attendance_completed_at: Date | null;
  held_with_children: boolean;
  online_module_group: boolean;
}
interface SessionRow {
  id: number;
  title: string;
  track: string | null;
  starts_at: Date;
  ends_at: Date;
  hours: number;
}
interface RegistrantRow {
  registrationId: number;
  professionalId: number;
  name: string;
  mopdId: string;
  registeredAt: Date;
}

/** What happened to one attendee's record when attendance was completed or corrected. */
export interface IssuedRecord {
  professionalId: number;
  change: 'created' | 'corrected' | 'withdrawn' | 'unchanged';
  record: TrainingRecordRow | null;
}

const overlaps = (a: SessionRow, b: SessionRow) => a.starts_at < b.ends_at && b.starts_at < a.ends_at;

async function lockEvent(trx: Knex.Transaction, eventId: number): Promise<EventRow> {
  const event = await trx('events')
    .where({ id: eventId })
    .forUpdate()
    .first<EventRow | undefined>(
      'id',
      'course_id',
      'trainer_user_id',
      'session_choice',
      'attendance_completed_at',
      'held_with_children',
      'online_module_group',
    );
  if (!event) throw new DomainError('NotFound', `No event with id ${eventId}`, 'id');
  return event;
}

const sessionsOf = (db: Db, eventId: number): Promise<SessionRow[]> =>
  db('event_sessions')
    .where({ event_id: eventId })
    .orderBy([{ column: 'starts_at' }, { column: 'id' }]);

const registrantsOf = (db: Db, eventId: number): Promise<RegistrantRow[]> =>
  db('registrations as r')
    .join('professionals as p', 'p.id', 'r.professional_id')
    .where({ 'r.event_id': eventId, 'r.status': 'registered' })
    .orderBy([{ column: 'p.last_name' }, { column: 'p.first_name' }, { column: 'r.id' }])
    .select(
      'r.id as registrationId',
      'p.id as professionalId',
      db.raw("p.first_name || ' ' || p.last_name AS name"),
      'p.mopd_id as mopdId',
      'r.created_at as registeredAt',
    );

/** The sessions each registrant is expected at: their choices at a conference, else every session. */
async function expectedSessions(
  db: Db,
  event: EventRow,
  sessions: SessionRow[],
  registrants: RegistrantRow[],
): Promise<Map<number, number[]>> {
  const expected = new Map<number, number[]>();
  if (!event.session_choice) {
    for (const r of registrants)
      expected.set(
        r.registrationId,
        sessions.map((s) => s.id),
      );
    return expected;
  }
  const chosen: Array<{ registration_id: number; event_session_id: number }> = await db(
    'registration_sessions',
  ).whereIn(
    'registration_id',
    registrants.map((r) => r.registrationId),
  );
  for (const r of registrants) expected.set(r.registrationId, []);
  for (const c of chosen) expected.get(c.registration_id)?.push(Number(c.event_session_id));
  return expected;
}

/** The attendance sheet of an event: sessions, registrants, the sessions each is expected at, marks, issued records. */
export async function attendanceSheet(db: Db, eventId: number) {
  const event = await db('events')
    .where({ id: eventId })
    .first<(EventRow & { title: string; attendance_completed_at: Date | null }) | undefined>();
  if (!event) throw new DomainError('NotFound', `No event with id ${eventId}`, 'id');
  const sessions = await sessionsOf(db, eventId);
  const registrants = await registrantsOf(db, eventId);
  const expected = await expectedSessions(db, event, sessions, registrants);
  const marks: Array<{
    registration_id: number;
    event_session_id: number;
    status: AttendanceStatus;
    hours: string;
    in_ratio: boolean;
  }> = await db('attendance')
    .whereIn(
      'event_session_id',
      sessions.map((s) => s.id),
    )
    .select('registration_id', 'event_session_id', 'status', 'hours', 'in_ratio');
  const records: TrainingRecordRow[] = await db('training_records').where({ event_id: eventId });
  return {
    event: {
      id: event.id,
      title: event.title,
      sessionChoice: event.session_choice,
      attendanceCompletedAt: event.attendance_completed_at,
      heldWithChildren: event.held_with_children,
      onlineModuleGroup: event.online_module_group,
    },
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      track: s.track,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      hours: Number(s.hours),
    })),
    registrants: registrants.map((r) => {
      const record = records.find((x) => Number(x.professional_id) === Number(r.professionalId));
      return {
        ...r,
        expectedSessionIds: expected.get(r.registrationId) ?? [],
        marks: marks
          .filter((m) => Number(m.registration_id) === Number(r.registrationId))
          .map((m) => ({
            sessionId: Number(m.event_session_id),
            status: m.status,
            hours: Number(m.hours),
            inRatio: m.in_ratio,
          })),
        record: record
          ? {
              id: record.id,
              hours: Number(record.hours),
              creditedHours: Number(record.credited_hours),
              reasons: record.credit_reasons,
              ruleSetVersion: record.credit_rule_set_version,
              inRatio: record.in_ratio,
              usedForGroup: record.used_for_group,
            }
          : null,
      };
    }),
  };
}

export type AttendanceSheet = Awaited<ReturnType<typeof attendanceSheet>>;

/**
 * Tells the attendee that attendance issued their record: in the app (each of their accounts, in
 * its language) and by email, in the same transaction as the record. Keyed by the record, so
 * completing again (or a retry) tells nobody twice.
 */
async function tellRecordIssued(trx: Knex.Transaction, record: TrainingRecordRow, publicUrl: string): Promise<void> {
  await tellAboutRecord(trx, record, publicUrl, {
    key: `attendance-record-${record.id}`,
    template: 'attendance-record',
    compose: (language, person) =>
      attendanceRecordNotice(language, {
        ...person,
        title: record.title,
        completedOn: record.completed_on,
        hours: Number(record.hours),
        creditedHours: Number(record.credited_hours),
        reasons: record.credit_reasons.map((r) => r.text),
      }),
  });
}

export function createAttendance({
  db,
  publicUrl = process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000',
  now = () => new Date(),
}: {
  db: Db;
  /** Where links in the notices point. */
  publicUrl?: string;
  now?: () => Date;
}) {
  /** Checks and saves marks; returns the registrations whose marks changed. */
  async function saveMarks(
    trx: Knex.Transaction,
    event: EventRow,
    marks: AttendanceMark[],
    by: { userId: number; professionalId: number | null },
  ): Promise<Set<number>> {
    const sessions = await sessionsOf(trx, event.id);
    const registrants = await registrantsOf(trx, event.id);
    const at = now();
    const changed = new Set<number>();
    for (const [i, mark] of marks.entries()) {
      const session = sessions.find((s) => Number(s.id) === mark.sessionId);
      if (!session) throw new DomainError('Invalid', 'is not a session of this event', `marks.${i}.sessionId`);
      const registrant = registrants.find((r) => Number(r.registrationId) === mark.registrationId);
      if (!registrant)
        throw new DomainError(
          'Invalid',
          'is not a registration with a seat at this event',
          `marks.${i}.registrationId`,
        );
      // Whether one earned the hours (and was in ratio) is never one's own answer.
      if (by.professionalId !== null && Number(registrant.professionalId) === by.professionalId)
        throw new DomainError(
          'Forbidden',
          'is your own registration: someone else (another trainer of the event, or an administrator) marks your attendance',
          `marks.${i}.registrationId`,
        );
      if (session.starts_at > at)
        throw new DomainError(
          'Invalid',
          `"${session.title || 'This session'}" has not started yet; mark attendance once it has`,
          `marks.${i}.sessionId`,
        );
      const sessionHours = Number(session.hours);
      const hours = mark.status === 'absent' ? 0 : (mark.hours ?? sessionHours);
      if (mark.status === 'absent' && mark.hours)
        throw new DomainError('Invalid', 'must be left out (or 0) for someone absent', `marks.${i}.hours`);
      // Only someone there can be counted in ratio there; an absent mark ignores the box.
      const inRatio = mark.status === 'present' && (mark.inRatio ?? event.held_with_children);
      if (mark.status === 'present' && (hours <= 0 || hours > sessionHours))
        throw new DomainError(
          'Invalid',
          `must be more than 0 and at most the session's ${sessionHours} hours`,
          `marks.${i}.hours`,
        );
      const before = await trx('attendance')
        .where({ event_session_id: session.id, registration_id: mark.registrationId })
        .first<{ status: string; hours: string; in_ratio: boolean } | undefined>('status', 'hours', 'in_ratio');
      if (before && before.status === mark.status && Number(before.hours) === hours && before.in_ratio === inRatio)
        continue;
      await trx('attendance')
        .insert({
          event_session_id: session.id,
          registration_id: mark.registrationId,
          status: mark.status,
          hours,
          in_ratio: inRatio,
          recorded_by_user_id: by.userId,
          recorded_at: at,
        })
        .onConflict(['event_session_id', 'registration_id'])
        .merge();
      changed.add(mark.registrationId);
    }
    // Nobody is present at two sessions that run at the same time.
    for (const registrationId of changed) {
      const present: number[] = (
        await trx('attendance').where({ registration_id: registrationId, status: 'present' }).pluck('event_session_id')
      ).map(Number);
      const attended = sessions.filter((s) => present.includes(Number(s.id)));
      for (let a = 0; a < attended.length; a++) {
        for (let b = a + 1; b < attended.length; b++) {
          if (overlaps(attended[a]!, attended[b]!)) {
            const who = registrants.find((r) => Number(r.registrationId) === registrationId)!;
            throw new DomainError(
              'Invalid',
              `${who.name} cannot be present at both "${attended[a]!.title}" and "${attended[b]!.title}": they run at the same time`,
              'marks',
            );
          }
        }
      }
    }
    return changed;
  }

  /** The training an attendee completed at this event, from their marks; null when they attended nothing. */
  async function completedTraining(
    trx: Knex.Transaction,
    event: EventRow,
    registrant: RegistrantRow,
  ): Promise<CompletedTraining | null> {
    const attended: Array<{ hours: string; starts_at: Date; in_ratio: boolean }> = await trx('attendance as a')
      .join('event_sessions as s', 's.id', 'a.event_session_id')
      .where({ 'a.registration_id': registrant.registrationId, 'a.status': 'present' })
      .select('a.hours', 's.starts_at', 'a.in_ratio');
    const hours = attended.reduce((sum, a) => sum + Number(a.hours), 0);
    if (hours === 0) return null;
    const lastDay = localDateOf(new Date(Math.max(...attended.map((a) => a.starts_at.getTime()))));
    // The event's trainer's instructor certification is looked up when the credit is decided. The
    // record is one per attendee and event, so counted in ratio at any session they attended makes
    // it a training taken in ratio (the trainer marks only the sessions where that was so).
    return {
      professionalId: Number(registrant.professionalId),
      courseId: Number(event.course_id),
      eventId: event.id,
      completedOn: lastDay,
      hours,
      source: 'attendance',
      registeredOn: localDateOf(registrant.registeredAt),
      inRatio: attended.some((a) => a.in_ratio),
      usedForGroup: event.online_module_group,
    };
  }

  /** Brings each registrant's record in line with their marks. */
  async function issue(
    trx: Knex.Transaction,
    event: EventRow,
    registrationIds: Iterable<number>,
    by: { actorUserId: number; requestId?: string; reason?: string },
  ) {
    const registrants = await registrantsOf(trx, event.id);
    const issued: IssuedRecord[] = [];
    const deadlinesToWake: DeadlineRow[] = [];
    for (const registrationId of registrationIds) {
      const registrant = registrants.find((r) => Number(r.registrationId) === Number(registrationId));
      if (!registrant) continue;
      const professionalId = Number(registrant.professionalId);
      const training = await completedTraining(trx, event, registrant);
      const existing = await trx('training_records')
        .where({ event_id: event.id, professional_id: professionalId })
        .first<TrainingRecordRow | undefined>();
      const reason = by.reason ?? 'attendance corrected';
      if (!training) {
        if (existing) await withdrawTraining(trx, existing.id, { ...by, reason });
        issued.push({ professionalId, change: existing ? 'withdrawn' : 'unchanged', record: null });
      } else if (!existing) {
        const recorded = await recordTraining(trx, training, by);
        deadlinesToWake.push(...recorded.deadlinesToWake);
        await tellRecordIssued(trx, recorded.record, publicUrl);
        issued.push({ professionalId, change: 'created', record: recorded.record });
      } else if (
        Number(existing.hours) !== training.hours ||
        existing.completed_on !== training.completedOn ||
        existing.in_ratio !== training.inRatio ||
        existing.used_for_group !== training.usedForGroup
      ) {
        // The record keeps the facts its credit was decided from: the year's re-decision reads them.
        await trx('training_records')
          .where({ id: existing.id })
          .update({ in_ratio: training.inRatio, used_for_group: training.usedForGroup });
        const corrected = await correctTraining(trx, existing.id, training, { ...by, reason });
        deadlinesToWake.push(...corrected.deadlinesToWake);
        issued.push({ professionalId, change: 'corrected', record: corrected.record });
      } else {
        issued.push({ professionalId, change: 'unchanged', record: existing });
      }
    }
    return { issued, deadlinesToWake };
  }

  return {
    /**
     * Saves marks. Before attendance is completed they are a draft; after, each change corrects
     * the attendee's record at once and needs a reason.
     */
    async mark(input: {
      eventId: number;
      marks: AttendanceMark[];
      byUserId: number;
      /** The marker's own MOPD record, when they have one: they may not mark themselves. */
      byProfessionalId?: number | null;
      /** The event was held in a classroom with children: present marks default to in ratio. */
      heldWithChildren?: boolean;
      reason?: string;
      requestId?: string;
    }) {
      return db.transaction(async (trx) => {
        const event = await lockEvent(trx, input.eventId);
        if (event.attendance_completed_at && !input.reason?.trim()) {
          throw new DomainError(
            'Invalid',
            'is required: attendance was already completed, so this is a correction; say why',
            'reason',
          );
        }
        if (input.heldWithChildren !== undefined && input.heldWithChildren !== event.held_with_children) {
          await trx('events').where({ id: event.id }).update({ held_with_children: input.heldWithChildren });
          event.held_with_children = input.heldWithChildren;
        }
        const changed = await saveMarks(trx, event, input.marks, {
          userId: input.byUserId,
          professionalId: input.byProfessionalId ?? null,
        });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: event.attendance_completed_at ? 'attendance.corrected' : 'attendance.marked',
          entity: 'event',
          entityId: event.id,
          after: { marks: input.marks, heldWithChildren: event.held_with_children, reason: input.reason ?? null },
          requestId: input.requestId ?? null,
        });
        if (!event.attendance_completed_at)
          return { issued: [] as IssuedRecord[], deadlinesToWake: [] as DeadlineRow[] };
        return issue(trx, event, changed, {
          actorUserId: input.byUserId,
          requestId: input.requestId,
          reason: input.reason!.trim(),
        });
      });
    },

    /**
     * Completes attendance: every registrant needs a mark at each session they were expected at.
     * Issues the records. Completing again changes nothing.
     */
    async complete(input: { eventId: number; byUserId: number; requestId?: string }) {
      return db.transaction(async (trx) => {
        const event = await lockEvent(trx, input.eventId);
        const sessions = await sessionsOf(trx, event.id);
        const registrants = await registrantsOf(trx, event.id);
        if (event.attendance_completed_at)
          return { issued: [] as IssuedRecord[], deadlinesToWake: [] as DeadlineRow[], alreadyCompleted: true };
        const expected = await expectedSessions(trx, event, sessions, registrants);
        const marked: Array<{ registration_id: number; event_session_id: number }> = await trx('attendance')
          .whereIn(
            'event_session_id',
            sessions.map((s) => s.id),
          )
          .select('registration_id', 'event_session_id');
        const missing = registrants.filter((r) =>
          (expected.get(r.registrationId) ?? []).some(
            (sessionId) =>
              !marked.some(
                (m) =>
                  Number(m.registration_id) === Number(r.registrationId) &&
                  Number(m.event_session_id) === Number(sessionId),
              ),
          ),
        );
        if (missing.length > 0) {
          const names = missing
            .slice(0, 5)
            .map((r) => r.name)
            .join(', ');
          throw new DomainError(
            'Invalid',
            `Mark every session for everyone registered first; still unmarked: ${names}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
            'marks',
          );
        }
        const result = await issue(
          trx,
          event,
          registrants.map((r) => r.registrationId),
          { actorUserId: input.byUserId, requestId: input.requestId },
        );
        await trx('events')
          .where({ id: event.id })
          .update({ attendance_completed_at: now(), attendance_completed_by_user_id: input.byUserId });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'attendance.completed',
          entity: 'event',
          entityId: event.id,
          after: {
            issued: result.issued.map((i) => ({
              professionalId: i.professionalId,
              change: i.change,
              recordId: i.record?.id ?? null,
            })),
          },
          requestId: input.requestId ?? null,
        });
        return { ...result, alreadyCompleted: false };
      });
    },
  };
}

export type Attendance = ReturnType<typeof createAttendance>;
