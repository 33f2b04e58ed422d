/**
 * Participants rate the trainings they completed; other professionals and reviewers see each
 * course's ratings. Comments are shown without names, and the average only once a few people
 * have rated, so that no one rating can be told apart.
 */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { DomainError } from './errors.js';

/** Fewer ratings than this show as "not enough ratings yet". */
export const MIN_RATINGS_SHOWN = 3;

export async function rateTraining(db: Db, input: { trainingRecordId: number; professionalId: number; stars: number; comment: string; byUserId: number; requestId?: string }) {
  return db.transaction(async (trx) => {
    const record = await trx('training_records').where({ id: input.trainingRecordId }).first<{ id: number; professional_id: number; course_id: number | null; event_id: number | null } | undefined>('id', 'professional_id', 'course_id', 'event_id');
    if (!record || Number(record.professional_id) !== input.professionalId) throw new DomainError('NotFound', `You have no training record ${input.trainingRecordId}`, 'id');
    if (!record.course_id) throw new DomainError('Invalid', 'This record is not of a course in MOPD, so there is nothing to rate');
    const row = { training_record_id: record.id, professional_id: input.professionalId, course_id: record.course_id, event_id: record.event_id, stars: input.stars, comment: input.comment, updated_at: new Date() };
    const [saved] = await trx('training_ratings').insert(row).onConflict('training_record_id').merge(['stars', 'comment', 'updated_at']).returning(['id', 'stars', 'comment']);
    await audit(trx, { actorUserId: input.byUserId, action: 'training_rating.saved', entity: 'training_rating', entityId: (saved as { id: number }).id, after: row, requestId: input.requestId ?? null });
    return { rating: saved as { id: number; stars: number; comment: string } };
  });
}

/** A course's ratings: average and spread (once there are enough), and the latest comments without names. */
export async function courseRatings(db: Db, courseId: number) {
  const [summary] = await db('training_ratings').where({ course_id: courseId }).select(db.raw('count(*)::int AS count'), db.raw('round(avg(stars), 1)::float AS average'));
  const count = (summary as { count: number }).count;
  const enough = count >= MIN_RATINGS_SHOWN;
  const spread: Array<{ stars: number; count: number }> = enough ? await db('training_ratings').where({ course_id: courseId }).groupBy('stars').orderBy('stars', 'desc').select('stars', db.raw('count(*)::int AS count')) : [];
  const comments = enough
    ? await db('training_ratings').where({ course_id: courseId }).whereNot('comment', '').orderBy('updated_at', 'desc').limit(10).select('stars', 'comment', db.raw("to_char(updated_at AT TIME ZONE 'America/Chicago', 'YYYY-MM') AS month"))
    : [];
  return { courseId, count, average: enough ? (summary as { average: number }).average : null, spread, comments };
}
