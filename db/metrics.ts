/**
 * The figures /metrics reports about the work itself, read from PostgreSQL (the system of record)
 * when Prometheus scrapes: every API replica answers the same, whichever one is asked.
 */
import type { Db } from './connection.js';
import { OPEN_CASE_STATUSES } from '../rules/domain.js';

/** Open cases by how long ago they were submitted: the upper bounds, in days, of each band. */
export const CASE_AGE_BANDS = [
  { label: 'under_1d', days: 1 },
  { label: '1d_to_7d', days: 7 },
  { label: '7d_to_30d', days: 30 },
  { label: 'over_30d', days: Infinity },
] as const;

export interface WorkFigures {
  outbox: { waiting: number; oldestWaitingSeconds: number; dead: number };
  openCases: Array<{ status: string; age: string; count: number }>;
  /** Open cases whose reviewer deadline (due_at) has passed: the service-level breaches. */
  casesPastDue: Array<{ status: string; count: number }>;
  /** Per rule set, the last finished recompute: from when it could start to when it finished. */
  lastRecompute: Array<{ ruleSet: string; seconds: number }>;
  /** Deadline reminder emails sent (outbox rows of the template, status sent). */
  remindersSent: number;
}

const bandCase = `CASE ${CASE_AGE_BANDS.filter((b) => Number.isFinite(b.days))
  .map((b) => `WHEN now() - submitted_at < interval '${b.days} days' THEN '${b.label}'`)
  .join(' ')} ELSE '${CASE_AGE_BANDS[CASE_AGE_BANDS.length - 1]!.label}' END`;

export async function workFigures(db: Db): Promise<WorkFigures> {
  const [outbox, openCases, casesPastDue, lastRecompute, reminders] = await Promise.all([
    db('outbox')
      .select(
        db.raw("count(*) FILTER (WHERE status IN ('pending', 'queued'))::int AS waiting"),
        db.raw(
          "coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN ('pending', 'queued'))), 0)::float AS oldest",
        ),
        db.raw("count(*) FILTER (WHERE status = 'dead')::int AS dead"),
      )
      .first() as unknown as Promise<{ waiting: number; oldest: number; dead: number }>,
    db('cases')
      .whereIn('status', OPEN_CASE_STATUSES)
      .groupBy('status', 'age')
      .select('status', db.raw(`${bandCase} AS age`), db.raw('count(*)::int AS count')) as unknown as Promise<
      Array<{ status: string; age: string; count: number }>
    >,
    db('cases')
      .whereIn('status', OPEN_CASE_STATUSES)
      .where('due_at', '<', db.fn.now())
      .groupBy('status')
      .select('status', db.raw('count(*)::int AS count')) as unknown as Promise<
      Array<{ status: string; count: number }>
    >,
    // A publication waits for its effective day before recomputing: time from the later of the two.
    db('rule_set_publications')
      .distinctOn('rule_set')
      .whereNotNull('finished_at')
      .orderBy([{ column: 'rule_set' }, { column: 'finished_at', order: 'desc' }])
      .select(
        'rule_set',
        db.raw(
          'greatest(extract(epoch FROM finished_at - greatest(created_at, effective_from::timestamptz)), 0)::float AS seconds',
        ),
      ) as unknown as Promise<Array<{ rule_set: string; seconds: number }>>,
    db('outbox').where({ template: 'deadline-reminder', status: 'sent' }).count<{ n: string }>('* as n').first(),
  ]);
  return {
    outbox: { waiting: outbox.waiting, oldestWaitingSeconds: outbox.oldest, dead: outbox.dead },
    openCases,
    casesPastDue,
    lastRecompute: lastRecompute.map((row) => ({ ruleSet: row.rule_set, seconds: row.seconds })),
    remindersSent: Number(reminders?.n ?? 0),
  };
}
