/** The approval cases' read model: cases, their timeline, and who reviews what. */
import type { Knex } from 'knex';
import type { Db } from './connection.js';
import type { CaseEventKind, CaseStatus, CaseType } from '../rules/domain.js';
import { OPEN_CASE_STATUSES } from '../rules/domain.js';
import type { CaseSubmissions } from '../rules/caseSubmissions.js';
import type { CaseTableRow, ReviewerProfileTableRow } from './types/tableRows.js';

/**
 * A case's submission by its type: `cases.submission` is jsonb, which the driver hands back parsed,
 * and its shape is the one its type's schema stored (rules/caseSubmissions.ts). Checking `c.type`
 * narrows `c.submission`.
 */
export type CaseSubmissionOf = { [T in CaseType]: { type: T; submission: CaseSubmissions[T] } }[CaseType];

/** A case of one type, its submission typed by it. */
export type CaseOf<T extends CaseType> = CaseColumns & { type: T; submission: CaseSubmissions[T] };

export type CaseRow = CaseColumns & CaseSubmissionOf;

/** The columns other than the type and the submission, as db/types/tableRows.ts declares them. */
type CaseColumns = Omit<CaseTableRow, 'type' | 'submission'>;

export function findCase(
  db: Db | Knex.Transaction,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<CaseRow | undefined> {
  const query = db('cases').where({ id }).first();
  return (options.forUpdate ? query.forUpdate() : query) as Promise<CaseRow | undefined>;
}

/** Records a timeline event once per key; false when the key was already recorded. */
export async function recordCaseEvent(
  db: Db | Knex.Transaction,
  event: {
    caseId: number;
    key: string;
    kind: CaseEventKind;
    actorUserId: number | null;
    note: string;
    detail: Record<string, unknown>;
  },
): Promise<boolean> {
  const inserted = await db('case_events')
    .insert({
      case_id: event.caseId,
      dedupe_key: event.key,
      kind: event.kind,
      actor_user_id: event.actorUserId,
      note: event.note,
      detail: JSON.stringify(event.detail),
    })
    .onConflict('dedupe_key')
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

/** Reviewers who are leads: they reassign and hear escalations. */
export async function leadReviewers(db: Db | Knex.Transaction): Promise<number[]> {
  return (
    await db('reviewer_profiles as p')
      .join('user_roles as r', 'r.user_id', 'p.user_id')
      .where({ 'p.is_lead': true, 'r.role': 'reviewer' })
      .select('p.user_id')
  ).map((r: { user_id: number }) => r.user_id);
}

/**
 * The reviewer with the fewest open cases among those who take automatic assignment, cover the
 * case's region and type (an empty list covers all); ties go to whoever was assigned least recently.
 */
export async function pickReviewerByWorkload(
  db: Db,
  c: Pick<CaseRow, 'type' | 'region' | 'applicant_user_id'>,
): Promise<number | null> {
  const row = await db('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .leftJoin('reviewer_profiles as p', 'p.user_id', 'r.user_id')
    .where('r.role', 'reviewer')
    // Nobody reviews their own application.
    .whereNot('r.user_id', c.applicant_user_id)
    .whereNull('u.disabled_at')
    .where((w) => w.whereNull('p.user_id').orWhere('p.accepts_automatic_assignment', true))
    .where((w) =>
      w.whereNull('p.user_id').orWhereRaw("p.case_types = '{}'").orWhereRaw('? = ANY (p.case_types)', [c.type]),
    )
    .where((w) =>
      c.region
        ? w.whereNull('p.user_id').orWhereRaw("p.regions = '{}'").orWhereRaw('? = ANY (p.regions)', [c.region])
        : w.whereRaw('true'),
    )
    .select(
      'r.user_id',
      db.raw(
        '(SELECT count(*) FROM cases k WHERE k.assignee_user_id = r.user_id AND k.status = ANY (?)) AS open_cases',
        [OPEN_CASE_STATUSES as string[]],
      ),
      db.raw('(SELECT max(k.assigned_at) FROM cases k WHERE k.assignee_user_id = r.user_id) AS last_assigned'),
    )
    .orderBy([
      { column: 'open_cases' },
      { column: 'last_assigned', order: 'asc', nulls: 'first' },
      { column: 'r.user_id' },
    ])
    .first<{ user_id: number } | undefined>();
  return row?.user_id ?? null;
}

export interface NewCase {
  type: CaseType;
  applicantUserId: number;
  professionalId?: number | null;
  organizationId?: number | null;
  region?: string | null;
  title: string;
  submission: unknown;
  documents: Array<{ uploadId: string; label: string }>;
  ruleSet: string;
  ruleSetVersion: number;
  renewsCaseId?: number | null;
  /** Makes the workflow id from the new case id. */
  workflowIdOf: (caseId: number) => string;
}

/** Inserts a submitted case with its documents and its first timeline event. */
export async function createCase(trx: Knex.Transaction, input: NewCase): Promise<CaseRow> {
  // The id comes first so the workflow id, unique on the row, can be derived from it.
  const { rows } = await trx.raw<{ rows: Array<{ id: number }> }>(
    "SELECT nextval(pg_get_serial_sequence('cases', 'id'))::bigint AS id",
  );
  const id = Number(rows[0]!.id);
  const [row] = await trx('cases')
    .insert({
      id,
      type: input.type,
      workflow_id: input.workflowIdOf(id),
      applicant_user_id: input.applicantUserId,
      professional_id: input.professionalId ?? null,
      organization_id: input.organizationId ?? null,
      region: input.region ?? null,
      title: input.title,
      submission: JSON.stringify(input.submission),
      rule_set: input.ruleSet,
      rule_set_version: input.ruleSetVersion,
      renews_case_id: input.renewsCaseId ?? null,
    })
    .returning('*');
  for (const d of input.documents)
    await trx('case_documents').insert({ case_id: id, upload_id: d.uploadId, label: d.label });
  await recordCaseEvent(trx, {
    caseId: id,
    key: `case-${id}-submitted`,
    kind: 'submitted',
    actorUserId: input.applicantUserId,
    note: '',
    detail: { ruleSetVersion: input.ruleSetVersion },
  });
  return row as CaseRow;
}

/** The cases a person submitted, newest first (at most 200). */
export async function casesOfApplicant(db: Db, applicantUserId: number): Promise<CaseRow[]> {
  return (await db('cases')
    .where({ applicant_user_id: applicantUserId })
    .orderBy('id', 'desc')
    .limit(200)) as CaseRow[];
}

export interface ReviewQueueFilter {
  type?: CaseType;
  /** Open cases (OPEN_CASE_STATUSES) when not given. */
  status?: CaseStatus;
  /** A reviewer's user id, or no one. */
  assignee?: number | 'unassigned';
  region?: string;
  olderThanDays?: number;
  /** An applicant's name (or part of it), a title, or a case number. */
  search?: string;
  /** By due date, by age (oldest first; 'submitted' says the same), or by type then due date. */
  sort: 'due' | 'submitted' | 'age' | 'type';
  limit: number;
  offset: number;
}

export type ReviewQueueRow = CaseRow & { assignee_name: string | null; applicant_name: string | null };

function reviewQueueQuery(db: Db, filter: Omit<ReviewQueueFilter, 'sort' | 'limit' | 'offset'>) {
  const q = db('cases as c')
    .leftJoin('users as a', 'a.id', 'c.assignee_user_id')
    .leftJoin('users as ap', 'ap.id', 'c.applicant_user_id');
  if (filter.type) void q.where('c.type', filter.type);
  if (filter.status) void q.where('c.status', filter.status);
  else void q.whereIn('c.status', OPEN_CASE_STATUSES);
  if (filter.assignee === 'unassigned') void q.whereNull('c.assignee_user_id');
  else if (typeof filter.assignee === 'number') void q.where('c.assignee_user_id', filter.assignee);
  if (filter.region) void q.where('c.region', filter.region);
  if (filter.olderThanDays !== undefined)
    void q.where('c.submitted_at', '<=', db.raw(`now() - make_interval(days => ?)`, [filter.olderThanDays]));
  const search = filter.search?.trim().replace(/^#/, '');
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    void q.where((w) => {
      void w.whereILike('ap.display_name', like).orWhereILike('c.title', like);
      if (/^\d{1,15}$/.test(search)) void w.orWhere('c.id', Number(search));
    });
  }
  return q;
}

/** The review queue: cases by the filter, with the assignee's and applicant's names, a page at a time. */
export function reviewQueue(db: Db, filter: ReviewQueueFilter): Promise<ReviewQueueRow[]> {
  const q = reviewQueueQuery(db, filter).select(
    'c.*',
    'a.display_name as assignee_name',
    'ap.display_name as applicant_name',
  );
  if (filter.sort === 'due') void q.orderByRaw('c.due_at ASC NULLS LAST, c.submitted_at ASC, c.id ASC');
  else if (filter.sort === 'type') void q.orderByRaw('c.type ASC, c.due_at ASC NULLS LAST, c.id ASC');
  else void q.orderByRaw('c.submitted_at ASC, c.id ASC');
  return q.limit(filter.limit).offset(filter.offset);
}

/** How many cases the queue's filter finds, for paging. */
export async function reviewQueueCount(
  db: Db,
  filter: Omit<ReviewQueueFilter, 'sort' | 'limit' | 'offset'>,
): Promise<number> {
  const row = await reviewQueueQuery(db, filter).count<{ n: number }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export interface CaseTimelineEntry {
  id: number;
  at: Date;
  kind: string;
  note: string;
  detail: unknown;
  actor: string | null;
}

/** A case's timeline, oldest first, with each actor's name. */
export function timelineOfCase(db: Db, caseId: number): Promise<CaseTimelineEntry[]> {
  return db('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .where('e.case_id', caseId)
    .orderBy('e.id')
    .select('e.id', 'e.at', 'e.kind', 'e.note', 'e.detail', 'u.display_name as actor');
}

export interface CaseMessage {
  id: number;
  at: Date;
  body: string;
  author: string;
  author_user_id: number;
}

/** A case's messages, oldest first, with each author's name. */
export function messagesOfCase(db: Db, caseId: number): Promise<CaseMessage[]> {
  return db('case_messages as m')
    .join('users as u', 'u.id', 'm.author_user_id')
    .where('m.case_id', caseId)
    .orderBy('m.id')
    .select('m.id', 'm.at', 'm.body', 'u.display_name as author', 'm.author_user_id');
}

export interface CaseDocument {
  upload_id: string;
  label: string;
  original_name: string;
  media_type: string;
}

/** The files attached to a case, in the order they were added. */
export function documentsOfCase(db: Db, caseId: number): Promise<CaseDocument[]> {
  return db('case_documents as d')
    .join('uploads as up', 'up.id', 'd.upload_id')
    .where('d.case_id', caseId)
    .orderBy('d.added_at')
    .select('d.upload_id', 'd.label', 'up.original_name', 'up.media_type');
}

/** Whether the user is a lead reviewer (by their reviewer profile). */
export async function isLeadReviewer(db: Db, userId: number): Promise<boolean> {
  return (await db('reviewer_profiles').where({ user_id: userId, is_lead: true }).first('user_id')) !== undefined;
}

/** Whether the user holds the reviewer role. */
export async function isReviewer(db: Db, userId: number): Promise<boolean> {
  return (await db('user_roles').where({ user_id: userId, role: 'reviewer' }).first('user_id')) !== undefined;
}

export interface ReviewerListing {
  id: number;
  name: string;
  isLead: boolean;
  openCases: number;
}

/** Reviewers by name, whether each is a lead, and how many open cases each holds. */
export function reviewersWithWorkload(db: Db): Promise<ReviewerListing[]> {
  return db('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .leftJoin('reviewer_profiles as p', 'p.user_id', 'r.user_id')
    .where('r.role', 'reviewer')
    .orderBy('u.display_name')
    .select(
      'u.id',
      'u.display_name as name',
      db.raw('coalesce(p.is_lead, false) AS "isLead"'),
      db.raw(
        '(SELECT count(*)::int FROM cases k WHERE k.assignee_user_id = u.id AND k.status = ANY (?)) AS "openCases"',
        [OPEN_CASE_STATUSES as string[]],
      ),
    );
}

export type ReviewerProfileRow = ReviewerProfileTableRow;

export function findReviewerProfile(db: Db, userId: number): Promise<ReviewerProfileRow | undefined> {
  return db('reviewer_profiles').where({ user_id: userId }).first();
}

/** Adds a reviewer's profile or replaces it. */
export async function upsertReviewerProfile(db: Db, row: ReviewerProfileRow): Promise<void> {
  await db('reviewer_profiles').insert(row).onConflict('user_id').merge();
}
