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

export async function rateTraining(
  db: Db,
  input: {
    trainingRecordId: number;
    professionalId: number;
    stars: number;
    comment: string;
    byUserId: number;
    requestId?: string;
  },
) {
  return db.transaction(async (trx) => {
    const record = await trx('training_records')
      .where({ id: input.trainingRecordId })
      .first<{ id: number; professional_id: number; course_id: number | null; event_id: number | null } | undefined>(
        'id',
        'professional_id',
        'course_id',
        'event_id',
      );
    if (!record || Number(record.professional_id) !== input.professionalId)
      throw new DomainError('NotFound', `You have no training record ${input.trainingRecordId}`, 'id');
    if (!record.course_id)
      throw new DomainError('Invalid', 'This record is not of a course in MOPD, so there is nothing to rate');
    const row = {
      training_record_id: record.id,
      professional_id: input.professionalId,
      course_id: record.course_id,
      event_id: record.event_id,
      stars: input.stars,
      comment: input.comment,
      updated_at: new Date(),
    };
    const [saved] = await trx('training_ratings')
      .insert(row)
      .onConflict('training_record_id')
      .merge(['stars', 'comment', 'updated_at'])
      .returning(['id', 'stars', 'comment']);
    await audit(trx, {
      actorUserId: input.byUserId,
      action: 'training_rating.saved',
      entity: 'training_rating',
      entityId: (saved as { id: number }).id,
      after: row,
      requestId: input.requestId ?? null,
    });
    return { rating: saved as { id: number; stars: number; comment: string } };
  });
}

/** A course's ratings: average and spread (once there are enough), and the latest comments without names. */
export async function courseRatings(db: Db, courseId: number) {
  const [summary] = await db('training_ratings')
    .where({ course_id: courseId })
    .select<Array<{ count: number; average: number | null }>>(
      db.raw('count(*)::int AS count'),
      db.raw('round(avg(stars), 1)::float AS average'),
    );
  const count = summary!.count;
  const enough = count >= MIN_RATINGS_SHOWN;
  const spread: Array<{ stars: number; count: number }> = enough
    ? await db('training_ratings')
        .where({ course_id: courseId })
        .groupBy('stars')
        .orderBy('stars', 'desc')
        .select('stars', db.raw('count(*)::int AS count'))
    : [];
  const comments = enough
    ? await db('training_ratings')
        .where({ course_id: courseId })
        .whereNot('comment', '')
        .orderBy('updated_at', 'desc')
        .limit(10)
        .select('stars', 'comment', db.raw("to_char(updated_at AT TIME ZONE 'America/Chicago', 'YYYY-MM') AS month"))
    : [];
  return { courseId, count, average: enough ? summary!.average : null, spread, comments };
}

/** A course's ratings in brief: how many rated, and the average once enough have. */
export interface RatingSummary {
  count: number;
  average: number | null;
}

/**
 * The brief ratings of many courses in one aggregate (a page of catalog results, a trainer's
 * courses), under the same rule as courseRatings: no average below MIN_RATINGS_SHOWN.
 */
export async function courseRatingSummaries(db: Db, courseIds: readonly number[]): Promise<Map<number, RatingSummary>> {
  const ids = [...new Set(courseIds.map(Number))];
  const summaries = new Map<number, RatingSummary>(ids.map((id) => [id, { count: 0, average: null }]));
  if (ids.length === 0) return summaries;
  const rows: Array<{ course_id: string | number; count: number; average: number }> = await db('training_ratings')
    .whereIn('course_id', ids)
    .groupBy('course_id')
    .select('course_id', db.raw('count(*)::int AS count'), db.raw('round(avg(stars), 1)::float AS average'));
  for (const r of rows)
    summaries.set(Number(r.course_id), { count: r.count, average: r.count >= MIN_RATINGS_SHOWN ? r.average : null });
  return summaries;
}

/**
 * What a reviewer weighs from ratings on a case. A course approval: the applicant's rated
 * courses, the one this case approved or one of the same title (a course submitted again)
 * first, with its recent comments. A trainer application: the applicant's rated courses.
 * Other cases have none.
 */
export async function ratingsForCase(
  db: Db,
  c: { id: number; type: string; applicant_user_id: number; submission: unknown },
) {
  if (c.type !== 'course_approval' && c.type !== 'trainer_application') return { courses: [] };
  const title = c.type === 'course_approval' ? String((c.submission as { title?: unknown } | null)?.title ?? '') : '';
  const courses: Array<{ id: string | number; title: string; this_course: boolean }> = await db('courses')
    .where((w) => w.where('trainer_user_id', c.applicant_user_id).orWhere('approved_by_case_id', c.id))
    .whereExists(db('training_ratings as r').whereRaw('r.course_id = courses.id'))
    .select(
      'id',
      'title',
      db.raw(
        "(approved_by_case_id IS NOT DISTINCT FROM ?::bigint OR (? <> '' AND lower(title) = lower(?))) AS this_course",
        [c.id, title, title],
      ),
    )
    .orderByRaw('this_course DESC, title, id')
    .limit(50);
  const summaries = await courseRatingSummaries(
    db,
    courses.map((x) => Number(x.id)),
  );
  return {
    courses: await Promise.all(
      courses.map(async (x) => {
        const id = Number(x.id);
        const comments = x.this_course ? (await courseRatings(db, id)).comments.slice(0, 5) : [];
        return { id, title: x.title, isThisCourse: x.this_course, ...summaries.get(id)!, comments };
      }),
    ),
  };
}
