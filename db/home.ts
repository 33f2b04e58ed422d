/**
 * What each role's home page reads that no other module already answers: a trainer's cases and
 * events, a reviewer's cases by service level, a director's new hires and recent registrations,
 * policy drafts and runs, and what waits for an admin. Small, bounded lists; counts in SQL.
 */
import type { Db } from './connection.js';
import type { LocalDate } from '../rules/dates.js';
import { OPEN_CASE_STATUSES, type CaseStatus, type CaseType } from '../rules/domain.js';
import type { ImportBatchStatus, RegistrationStatus, RuleSetStatus, SimulationStatus } from '../rules/domain.js';

/** Service levels are counted in the state's time zone (the business calendar's). */
const ZONE = 'America/Chicago';

export interface HomeCase {
  id: number;
  type: CaseType;
  title: string;
  status: CaseStatus;
  submittedAt: Date;
  dueAt: Date | null;
  informationDueAt: Date | null;
  assigneeName: string | null;
  /** The last request for information's note, while the case waits for an answer. */
  asked: string | null;
}

const caseColumns = (db: Db) => [
  'c.id',
  'c.type',
  'c.title',
  'c.status',
  'c.submitted_at as submittedAt',
  'c.due_at as dueAt',
  'c.information_due_at as informationDueAt',
  'a.display_name as assigneeName',
  db.raw(
    `CASE WHEN c.status = 'information_requested' THEN (
       SELECT e.note FROM case_events e WHERE e.case_id = c.id AND e.kind = 'information_requested'
       ORDER BY e.id DESC LIMIT 1) END AS asked`,
  ),
];

/** Cases a person applied for: the open ones and those decided in the last 60 days. */
export function casesAppliedFor(db: Db, applicantUserId: number, limit = 10): Promise<HomeCase[]> {
  return db('cases as c')
    .leftJoin('users as a', 'a.id', 'c.assignee_user_id')
    .where('c.applicant_user_id', applicantUserId)
    .where((w) =>
      w
        .whereIn('c.status', OPEN_CASE_STATUSES)
        .orWhere('c.decided_at', '>=', db.raw("now() - interval '60 days'"))
        .orWhere('c.updated_at', '>=', db.raw("now() - interval '60 days'")),
    )
    .orderByRaw(`(c.status = ANY (?)) DESC, c.updated_at DESC`, [OPEN_CASE_STATUSES as string[]])
    .limit(limit)
    .select(caseColumns(db));
}

export interface TrainerEvent {
  id: number;
  title: string;
  firstSessionAt: Date;
  lastSessionAt: Date;
  city: string | null;
  delivery: string;
  capacity: number;
  registered: number;
  waitlisted: number;
}

const eventColumns = (db: Db) => [
  'e.id',
  'e.title',
  'e.first_session_at as firstSessionAt',
  'e.last_session_at as lastSessionAt',
  'e.city',
  'e.delivery',
  'e.capacity',
  db.raw(
    `(SELECT count(*)::int FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered') AS registered`,
  ),
  db.raw(
    `(SELECT count(*)::int FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted`,
  ),
];

/** A trainer's events still to come, soonest first. */
export function upcomingEventsOfTrainer(db: Db, trainerUserId: number, now: Date, limit = 5): Promise<TrainerEvent[]> {
  return db('events as e')
    .where({ 'e.trainer_user_id': trainerUserId, 'e.cancelled': false })
    .where('e.last_session_at', '>=', now)
    .orderBy('e.first_session_at')
    .limit(limit)
    .select(eventColumns(db));
}

/** A trainer's events that have ended and whose attendance is not completed yet, oldest first. */
export function attendanceWaitingOf(db: Db, trainerUserId: number, now: Date, limit = 10): Promise<TrainerEvent[]> {
  return db('events as e')
    .where({ 'e.trainer_user_id': trainerUserId, 'e.cancelled': false })
    .where('e.first_session_at', '<', now)
    .whereNull('e.attendance_completed_at')
    .orderBy('e.last_session_at')
    .limit(limit)
    .select(eventColumns(db));
}

export interface UnreadNotification {
  id: number;
  title: string;
  link: string;
  createdAt: Date;
}

/** How many notifications a person has not read, and the latest few of them. */
export async function unreadNotificationsOf(
  db: Db,
  userId: number,
  limit = 5,
): Promise<{ count: number; latest: UnreadNotification[] }> {
  const [counted, latest] = await Promise.all([
    db('notifications').where({ user_id: userId }).whereNull('read_at').count<{ count: string }[]>('* as count'),
    db('notifications')
      .where({ user_id: userId })
      .whereNull('read_at')
      .orderBy('id', 'desc')
      .limit(limit)
      .select('id', 'title', 'link', 'created_at as createdAt'),
  ]);
  return { count: Number(counted[0]?.count ?? 0), latest: latest as UnreadNotification[] };
}

export interface ServiceLevelCounts {
  overdue: number;
  dueToday: number;
  dueThisWeek: number;
  later: number;
  /** Waiting for the applicant's answer: the service-level clock is paused. */
  waitingForApplicant: number;
}

/** Open cases by where their due time falls in Missouri time: past, today, the next 7 days, later. */
export async function serviceLevelCounts(
  db: Db,
  filter: { assignee: number } | { unassigned: true },
  now: Date,
): Promise<ServiceLevelCounts> {
  const q = db('cases').whereIn('status', OPEN_CASE_STATUSES);
  if ('assignee' in filter) void q.where('assignee_user_id', filter.assignee);
  else void q.whereNull('assignee_user_id');
  const today = `(?::timestamptz AT TIME ZONE '${ZONE}')::date`;
  const due = `(due_at AT TIME ZONE '${ZONE}')::date`;
  const [row] = (await q.select(
    db.raw(`count(*) FILTER (WHERE status = 'information_requested')::int AS "waitingForApplicant"`),
    db.raw(`count(*) FILTER (WHERE status <> 'information_requested' AND due_at < ?)::int AS overdue`, [now]),
    db.raw(
      `count(*) FILTER (WHERE status <> 'information_requested' AND due_at >= ? AND ${due} = ${today})::int AS "dueToday"`,
      [now, now],
    ),
    db.raw(
      `count(*) FILTER (WHERE status <> 'information_requested' AND ${due} > ${today} AND ${due} <= ${today} + 7)::int AS "dueThisWeek"`,
      [now, now],
    ),
    db.raw(
      `count(*) FILTER (WHERE status <> 'information_requested' AND (due_at IS NULL OR ${due} > ${today} + 7))::int AS later`,
      [now],
    ),
  )) as ServiceLevelCounts[];
  return row ?? { overdue: 0, dueToday: 0, dueThisWeek: 0, later: 0, waitingForApplicant: 0 };
}

/** Open cases assigned to a reviewer (or to no one), soonest due first. */
export function openCasesBy(
  db: Db,
  filter: { assignee: number } | { unassigned: true },
  limit = 8,
): Promise<HomeCase[]> {
  const q = db('cases as c')
    .leftJoin('users as a', 'a.id', 'c.assignee_user_id')
    .whereIn('c.status', OPEN_CASE_STATUSES);
  if ('assignee' in filter) void q.where('c.assignee_user_id', filter.assignee);
  else void q.whereNull('c.assignee_user_id');
  return q.orderByRaw('c.due_at ASC NULLS LAST, c.submitted_at ASC').limit(limit).select(caseColumns(db)) as Promise<
    HomeCase[]
  >;
}

export interface NewHire {
  professionalId: number;
  name: string;
  organizationId: number;
  role: string;
  hireDate: LocalDate;
}

/** People hired at the organizations on or after `since` and still employed there. */
export function hiresSince(db: Db, organizationIds: number[], since: LocalDate, today: LocalDate): Promise<NewHire[]> {
  return db('employments as e')
    .join('professionals as p', 'p.id', 'e.professional_id')
    .whereIn('e.organization_id', organizationIds)
    .where('e.hire_date', '>=', since)
    .where('e.hire_date', '<=', today)
    .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', today))
    .orderBy('e.hire_date', 'desc')
    .limit(20)
    .select(
      'e.professional_id as professionalId',
      db.raw(`p.first_name || ' ' || p.last_name AS name`),
      'e.organization_id as organizationId',
      'e.role',
      'e.hire_date as hireDate',
    );
}

export interface StaffRegistration {
  id: number;
  status: RegistrationStatus;
  professionalId: number;
  name: string;
  eventId: number;
  title: string;
  firstSessionAt: Date;
  registeredAt: Date;
}

/** Registrations made in the last 30 days by people employed at the organizations today. */
export function recentStaffRegistrations(
  db: Db,
  organizationIds: number[],
  today: LocalDate,
  limit = 10,
): Promise<StaffRegistration[]> {
  return db('registrations as r')
    .join('events as ev', 'ev.id', 'r.event_id')
    .join('professionals as p', 'p.id', 'r.professional_id')
    .whereExists((q) =>
      q
        .select(db.raw('1'))
        .from('employments as e')
        .whereRaw('e.professional_id = r.professional_id')
        .whereIn('e.organization_id', organizationIds)
        .where('e.hire_date', '<=', today)
        .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', today)),
    )
    .where('r.created_at', '>=', db.raw("now() - interval '30 days'"))
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .select(
      'r.id',
      'r.status',
      'r.professional_id as professionalId',
      db.raw(`p.first_name || ' ' || p.last_name AS name`),
      'r.event_id as eventId',
      'ev.title',
      'ev.first_session_at as firstSessionAt',
      'r.created_at as registeredAt',
    );
}

/** Organizations' names by id. */
export async function organizationNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  const rows: Array<{ id: number; name: string }> = await db('organizations').whereIn('id', ids).select('id', 'name');
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

export interface RuleSetDraft {
  ruleSet: string;
  version: number;
  status: RuleSetStatus;
  changeNote: string;
  effectiveFrom: LocalDate | null;
  updatedAt: Date;
}

/** Versions not yet published (drafts and validated ones), newest change first. */
export function unpublishedVersions(db: Db, limit = 10): Promise<RuleSetDraft[]> {
  return db('rule_set_versions')
    .whereIn('status', ['draft', 'validated'])
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .select(
      'rule_set as ruleSet',
      'version',
      'status',
      'change_note as changeNote',
      'effective_from as effectiveFrom',
      'updated_at as updatedAt',
    );
}

/** Published versions that take effect after today: the scheduled publications. */
export function scheduledVersions(db: Db, today: LocalDate, limit = 10): Promise<RuleSetDraft[]> {
  return db('rule_set_versions')
    .where('status', 'published')
    .where('effective_from', '>', today)
    .orderBy('effective_from')
    .limit(limit)
    .select(
      'rule_set as ruleSet',
      'version',
      'status',
      'change_note as changeNote',
      'effective_from as effectiveFrom',
      'updated_at as updatedAt',
    );
}

export interface SimulationListing {
  id: number;
  ruleSet: string;
  version: number;
  comparedWithVersion: number | null;
  asOf: LocalDate;
  status: SimulationStatus;
  done: number;
  total: number;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The latest what-if runs, newest first. */
export function recentSimulations(db: Db, limit = 5): Promise<SimulationListing[]> {
  return db('rule_set_simulations')
    .orderBy('id', 'desc')
    .limit(limit)
    .select(
      'id',
      'rule_set as ruleSet',
      'version',
      'compared_with_version as comparedWithVersion',
      'as_of as asOf',
      'status',
      'done',
      'total',
      'created_at as createdAt',
      'finished_at as finishedAt',
    );
}

export interface DeadLetter {
  id: number;
  toAddress: string;
  subject: string;
  lastError: string | null;
  createdAt: Date;
}

/** Emails given up on: how many, and the latest few. */
export async function deadLetters(db: Db, limit = 5): Promise<{ count: number; latest: DeadLetter[] }> {
  const [counted, latest] = await Promise.all([
    db('outbox').where({ status: 'dead' }).count<{ count: string }[]>('* as count'),
    db('outbox')
      .where({ status: 'dead' })
      .orderBy('id', 'desc')
      .limit(limit)
      .select('id', 'to_address as toAddress', 'subject', 'last_error as lastError', 'created_at as createdAt'),
  ]);
  return { count: Number(counted[0]?.count ?? 0), latest: latest as DeadLetter[] };
}

export interface ImportBatchListing {
  id: number;
  name: string;
  system: string;
  status: ImportBatchStatus;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The latest legacy-import batches. */
export function recentImportBatches(db: Db, limit = 5): Promise<ImportBatchListing[]> {
  return db('import_batches')
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'name', 'system', 'status', 'created_at as createdAt', 'finished_at as finishedAt');
}

export interface AccountsAwaiting {
  /** Signed up with no role given yet. */
  withoutRoles: number;
  /** Locked after failed sign-ins (or failed codes), until a time still to come. */
  locked: number;
  /** Hold a role that requires two-step sign-in and have not set it up. */
  withoutTwoStep: number;
  /** CPR/First Aid cards nobody has verified yet. */
  cardsUnverified: number;
  /** The latest few accounts of the first three kinds, for a link each. */
  latest: Array<{ id: number; email: string; displayName: string; reason: 'no_roles' | 'locked' | 'no_two_step' }>;
}

/** Accounts an admin may need to act on. */
export async function accountsAwaiting(db: Db, mfaRoles: readonly string[], now: Date): Promise<AccountsAwaiting> {
  const reason = db.raw(
    `(CASE
       WHEN u.locked_until > ? OR u.mfa_blocked_until > ? THEN 'locked'
       WHEN NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id) THEN 'no_roles'
       WHEN u.mfa_enabled_at IS NULL
        AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ANY (?)) THEN 'no_two_step'
     END) AS reason`,
    [now, now, mfaRoles as string[]],
  );
  const flagged = db('users as u').whereNull('u.disabled_at').select('u.id', 'u.email', 'u.display_name', reason);
  type Flagged = {
    id: number;
    email: string;
    displayName: string;
    reason: AccountsAwaiting['latest'][number]['reason'];
  };
  const [counts, latest, cards] = await Promise.all([
    db
      .from(flagged.clone().as('x'))
      .first(
        db.raw(`count(*) FILTER (WHERE reason = 'no_roles')::int AS "withoutRoles"`),
        db.raw(`count(*) FILTER (WHERE reason = 'locked')::int AS locked`),
        db.raw(`count(*) FILTER (WHERE reason = 'no_two_step')::int AS "withoutTwoStep"`),
      ) as Promise<Pick<AccountsAwaiting, 'withoutRoles' | 'locked' | 'withoutTwoStep'>>,
    db
      .from(flagged.clone().as('x'))
      .whereNotNull('reason')
      .orderBy('id', 'desc')
      .limit(8)
      .select('id', 'email', 'display_name as displayName', 'reason') as Promise<Flagged[]>,
    db('credentials').where({ verification: 'unverified' }).count<{ count: string }[]>('* as count'),
  ]);
  return {
    withoutRoles: counts.withoutRoles,
    locked: counts.locked,
    withoutTwoStep: counts.withoutTwoStep,
    cardsUnverified: Number(cards[0]?.count ?? 0),
    latest,
  };
}

/** Whether the person has two-step sign-in on. */
export async function hasTwoStep(db: Db, userId: number): Promise<boolean> {
  const row: { mfa_enabled_at: Date | null } | undefined = await db('users')
    .where({ id: userId })
    .first('mfa_enabled_at');
  return row?.mfa_enabled_at != null;
}
