/**
 * Asking a CPR/First Aid trainer from the directory for a course in one's region: the trainer is
 * emailed and notified, answers or declines once, and the answer is emailed to whoever asked.
 */
import type { Db } from '../db/connection.js';
import { addToOutbox } from '../db/outbox.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { languageOfAddress } from '../db/users.js';
import { addNotification } from '../db/notifications.js';
import { audit } from '../db/audit.js';
import type { CourseRequestStatus, Region } from '../rules/domain.js';
import { DomainError } from './errors.js';
import { localDateOf } from '../rules/dates.js';
import { courseRequestAnswerEmail, courseRequestEmail } from './mail/templates.js';

export interface CourseRequest {
  id: number;
  requesterName: string;
  region: Region;
  message: string;
  preferredMonth: string | null;
  seats: number | null;
  status: CourseRequestStatus;
  createdAt: Date;
  answeredAt: Date | null;
  answer: string | null;
}

export interface NewCourseRequest {
  trainerUserId: number;
  byUserId: number;
  professionalId: number | null;
  region: Region;
  message: string;
  preferredMonth?: string;
  seats?: number;
  requestId?: string;
}

/** The trainer as the public directory lists them: approved now, with a current instructor certification. */
function directoryTrainer(db: Db, userId: number) {
  // Today in the registry's zone, not the database server's `current_date`.
  const today = localDateOf(new Date());
  return db('trainers as t')
    .join('users as u', 'u.id', 't.user_id')
    .where('t.user_id', userId)
    .where('t.approved_until', '>=', today)
    .whereExists((q) =>
      q
        .select(db.raw('1'))
        .from('trainer_certifications as c')
        .whereRaw('c.trainer_user_id = t.user_id')
        .where('c.expires_on', '>=', today),
    )
    .first<{ id: number; email: string; display_name: string; regions: Region[] } | undefined>(
      'u.id',
      'u.email',
      'u.display_name',
      't.regions',
    );
}

/** A requester's name: their professional name when they have an MOPD ID, else their account's. */
async function nameOf(db: Db, userId: number): Promise<string> {
  const row = await db('users as u')
    .leftJoin('professionals as p', 'p.id', 'u.professional_id')
    .where('u.id', userId)
    .first<{ name: string }>(db.raw("coalesce(p.first_name || ' ' || p.last_name, u.display_name) AS name"));
  return row.name;
}

export function createCourseRequests({ db, publicUrl }: { db: Db; publicUrl: string }) {
  return {
    async ask(input: NewCourseRequest): Promise<{ id: number; status: CourseRequestStatus }> {
      const trainer = await directoryTrainer(db, input.trainerUserId);
      if (!trainer)
        throw new DomainError(
          'NotFound',
          `No CPR/First Aid trainer with id ${input.trainerUserId} in the directory`,
          'id',
        );
      if (trainer.id === input.byUserId) throw new DomainError('Invalid', 'is you: ask another trainer', 'id');
      // An empty list means the trainer teaches anywhere in the state, as the directory reads it.
      if (trainer.regions.length > 0 && !trainer.regions.includes(input.region))
        throw new DomainError(
          'Invalid',
          `is not a region this trainer teaches in (${trainer.regions.join(', ')}); choose one of theirs or another trainer`,
          'region',
        );
      return db.transaction(async (trx) => {
        const open = await trx('course_requests')
          .where({
            trainer_user_id: trainer.id,
            requested_by_user_id: input.byUserId,
            region: input.region,
            status: 'open',
          })
          .first('id');
        if (open)
          throw new DomainError(
            'Conflict',
            'You already asked this trainer for a course in this region; wait for their answer',
            'region',
          );
        const row = {
          trainer_user_id: trainer.id,
          requested_by_user_id: input.byUserId,
          professional_id: input.professionalId,
          region: input.region,
          message: input.message,
          preferred_month: input.preferredMonth ?? null,
          seats: input.seats ?? null,
        };
        const [saved] = await trx('course_requests').insert(row).returning<Array<{ id: number }>>('id');
        const id = saved!.id;
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'course_request.created',
          entity: 'course_request',
          entityId: id,
          after: row,
          requestId: input.requestId ?? null,
        });
        const requesterName = await nameOf(trx, input.byUserId);
        const facts = {
          trainerName: trainer.display_name,
          requesterName,
          region: input.region,
          preferredMonth: row.preferred_month,
          seats: row.seats,
          message: input.message,
          url: `${publicUrl}/trainer/course-requests`,
        };
        await addToOutboxInLanguage(trx, {
          dedupeKey: `course-request-${id}-trainer`,
          template: 'course-request',
          to: trainer.email,
          compose: (language) => courseRequestEmail(language, facts),
        });
        await addNotification(trx, {
          userId: trainer.id,
          title: `Course request: CPR/First Aid in ${input.region}`,
          body: `${requesterName} asks for a course in the ${input.region} region.`,
          link: '/trainer/course-requests',
          dedupeKey: `course-request-${id}-trainer`,
        });
        return { id, status: 'open' as const };
      });
    },

    /** Requests to one trainer: open ones first, then the newest. */
    listFor(trainerUserId: number): Promise<CourseRequest[]> {
      return db('course_requests as r')
        .join('users as u', 'u.id', 'r.requested_by_user_id')
        .leftJoin('professionals as p', 'p.id', 'r.professional_id')
        .where('r.trainer_user_id', trainerUserId)
        .orderByRaw("r.status <> 'open', r.created_at DESC, r.id DESC")
        .limit(500)
        .select(
          'r.id',
          db.raw(`coalesce(p.first_name || ' ' || p.last_name, u.display_name) AS "requesterName"`),
          'r.region',
          'r.message',
          'r.preferred_month as preferredMonth',
          'r.seats',
          'r.status',
          'r.created_at as createdAt',
          'r.answered_at as answeredAt',
          'r.answer',
        );
    },

    /** The trainer answers or declines, once; whoever asked is emailed and notified. */
    async answer(input: {
      id: number;
      trainerUserId: number;
      status: Exclude<CourseRequestStatus, 'open'>;
      answer: string;
      requestId?: string;
    }): Promise<{ id: number; status: CourseRequestStatus }> {
      return db.transaction(async (trx) => {
        const request = await trx('course_requests')
          .where({ id: input.id, trainer_user_id: input.trainerUserId })
          .forUpdate()
          .first<
            | {
                id: number;
                status: CourseRequestStatus;
                region: Region;
                requested_by_user_id: number;
                created_at: Date;
              }
            | undefined
          >();
        if (!request) throw new DomainError('NotFound', `No course request with id ${input.id} to you`, 'id');
        if (request.status !== 'open')
          throw new DomainError('Conflict', `This request was already ${request.status}`, 'status');
        const change = { status: input.status, answer: input.answer, answered_at: new Date() };
        await trx('course_requests').where({ id: request.id }).update(change);
        await audit(trx, {
          actorUserId: input.trainerUserId,
          action: `course_request.${input.status}`,
          entity: 'course_request',
          entityId: request.id,
          before: { status: request.status },
          after: change,
          requestId: input.requestId ?? null,
        });
        const requester = await trx('users')
          .where({ id: request.requested_by_user_id })
          .first<{ id: number; email: string }>('id', 'email');
        const trainer = await trx('users')
          .where({ id: input.trainerUserId })
          .first<{ display_name: string }>('display_name');
        const email = courseRequestAnswerEmail(await languageOfAddress(trx, requester!.email), {
          name: await nameOf(trx, requester!.id),
          trainerName: trainer!.display_name,
          region: request.region,
          askedOn: request.created_at,
          status: input.status,
          answer: input.answer,
          url: `${publicUrl}/catalog/cpr-trainers`,
        });
        await addToOutbox(trx, {
          dedupeKey: `course-request-${request.id}-${input.status}`,
          template: `course-request-${input.status}`,
          to: requester!.email,
          ...email,
        });
        await addNotification(trx, {
          userId: requester!.id,
          title: email.subject,
          body: input.answer,
          link: '/catalog/cpr-trainers',
          dedupeKey: `course-request-${request.id}-${input.status}`,
        });
        return { id: request.id, status: input.status };
      });
    },
  };
}

export type CourseRequests = ReturnType<typeof createCourseRequests>;
