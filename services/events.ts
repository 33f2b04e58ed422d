/** Scheduling an event of an approved course: who may, what it needs, and its reminders. */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { createEvent, isKnownZip, isTrainerApprovedOn, type NewEvent } from '../db/events.js';
import { findCourse } from '../db/trainingRecords.js';
import { displayNameOf } from '../db/users.js';
import { localDateOf } from '../rules/dates.js';
import type { TrainingLanguage } from '../rules/domain.js';
import { DomainError } from './errors.js';
import { groupUseRefusal, isOnlineModule } from './groupTraining.js';
import type { TemporalGateway } from './workflowClient.js';

export interface ScheduleEventRequest {
  courseId: number;
  capacity: number;
  feeCents: number;
  language: TrainingLanguage;
  place?: NonNullable<NewEvent['place']>;
  onlineUrl?: string;
  registrationDeadline?: Date;
  sessionChoice: boolean;
  sessions: Array<{ title: string; track?: string; startsAt: Date; endsAt: Date; hours: number }>;
}

/**
 * Schedules an event of one of the actor's approved courses (an admin: of any approved course),
 * checking the trainer's approval is current, the place or link its delivery needs, a known ZIP
 * code, and sessions that are titled (a conference) or do not overlap; then saves it with its
 * audit entry and starts its reminders, in one transaction.
 */
export async function scheduleEvent(
  db: Db,
  temporal: Pick<TemporalGateway, 'startEventReminders'>,
  body: ScheduleEventRequest,
  actor: { userId: number; isAdmin: boolean; requestId?: string },
): Promise<{ event: { id: number } }> {
  const course = await findCourse(db, body.courseId);
  if (!course || !course.approved) throw new DomainError('Invalid', 'must be an approved course', 'courseId');
  if (!actor.isAdmin) {
    if (course.trainer_user_id !== actor.userId)
      throw new DomainError('Forbidden', 'You schedule only courses approved for you', 'courseId');
    // Today in America/Chicago, not the database server's `current_date`.
    if (!(await isTrainerApprovedOn(db, actor.userId, localDateOf(new Date()))))
      throw new DomainError('Forbidden', 'Your trainer approval has ended; renew it to schedule events');
  }
  const online = course.delivery === 'online';
  if (!online && !body.place)
    throw new DomainError('Invalid', `is required for ${course.delivery.replace('_', ' ')} training`, 'place');
  if (online && body.place)
    throw new DomainError('Invalid', 'is only for in-person and blended training; give an onlineUrl', 'place');
  if (online && !body.onlineUrl) throw new DomainError('Invalid', 'is required for online training', 'onlineUrl');
  if (body.place && !(await isKnownZip(db, body.place.zip)))
    throw new DomainError('Invalid', 'is not a Missouri ZIP code we know', 'place.zip');
  if (body.sessionChoice) {
    // Break-outs run side by side, so each needs a title to choose it by.
    const untitled = body.sessions.findIndex((s) => !s.title);
    if (untitled >= 0)
      throw new DomainError(
        'Invalid',
        'needs a title: registrants choose conference sessions by name',
        `sessions.${untitled}.title`,
      );
  } else {
    const ordered = [...body.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    for (let i = 1; i < ordered.length; i++) {
      if (ordered[i]!.startsAt < ordered[i - 1]!.endsAt)
        throw new DomainError(
          'Invalid',
          'must not overlap: everyone attends every session of this training (make it a conference with sessionChoice to run break-outs side by side)',
          'sessions',
        );
    }
  }
  // An event of an on-demand online course gathers a group around its modules: the rule set says
  // what that earns, and a session that would earn nothing is refused now, with its reason.
  const onlineModuleGroup = await isOnlineModule(db, course);
  if (onlineModuleGroup) {
    const firstDay = localDateOf(new Date(Math.min(...body.sessions.map((s) => s.startsAt.getTime()))));
    const refusal = await groupUseRefusal(db, course.id, { on: firstDay, source: 'attendance' });
    if (refusal.length > 0) throw new DomainError('Conflict', refusal.map((r) => r.text).join(' '), 'courseId');
  }
  const trainer = await displayNameOf(db, course.trainer_user_id ?? actor.userId);
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
      onlineModuleGroup,
    });
    await audit(trx, {
      actorUserId: actor.userId,
      action: 'event.scheduled',
      entity: 'event',
      entityId: event.id,
      after: body,
      requestId: actor.requestId,
    });
    // Started before the commit: if Temporal cannot take it, nothing is scheduled and the
    // trainer is told; a workflow whose event was rolled back finds nothing to remind of.
    await temporal.startEventReminders(event.id);
    return { event };
  });
}
