/**
 * The workshop calendar's trainer applications, course applications and events: what a row does
 * (planned against the registry and what earlier files of the batch would create) and how it is
 * written.
 *
 * An application decided in the old system becomes a case recorded closed with its outcome — its
 * submission, its dates, the reason given, an `imported` entry on its timeline — without running
 * a workflow: its review happened elsewhere and nobody is to be notified again. What an approval
 * grants is granted as a reviewer's approval grants it (an approved trainer for a term counted
 * from the decision; an approved course in the catalog, carrying the application's legacy id so
 * events and training refer to it). The remaining term of an approved trainer is run by the
 * `importedTrainerApproval` workflow (renewal reminder, expiry). A pending application becomes a
 * submitted case whose approval workflow is started after its file commits, exactly as the API
 * starts one: automatic checks, then the review queue. Upcoming events get their reminders.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { getSetting } from '../../db/settings.js';
import { audit } from '../../db/audit.js';
import { recordCaseEvent } from '../../db/cases.js';
import { createEvent } from '../../db/events.js';
import { ruleSetTimeline } from '../../db/ruleSets.js';
import { createUser } from '../../db/users.js';
import { addYears, localDateOf, startOfLocalDay } from '../../rules/dates.js';
import type { CaseType } from '../../rules/domain.js';
import type { CourseSubmission } from '../../rules/caseSubmissions.js';
import { approvedCourseOf } from '../caseKinds/courseApproval.js';
import { approveTrainer } from '../caseKinds/trainerApplication.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import type { ApplicationOutcome, ImportKind, ParsedRow, Problem, Session } from './formats.js';

/** What an import starts in Temporal; the API and the command line hand in their gateway's. */
export interface ImportWorkflows {
  /** The workflow id of a case (the one its approval workflow runs under). */
  caseWorkflowId(type: CaseType, caseId: number): string;
  startCase(type: CaseType, caseId: number, workflowId: string): Promise<void>;
  startImportedTrainerApproval(caseId: number, workflowId: string): Promise<void>;
  startEventReminders(eventId: number): Promise<string>;
  /** The hire-date deadlines of an imported employment hired recently enough to have one ahead. */
  startEmploymentDeadlines(employmentId: number): Promise<string>;
  /** Wakes a deadline workflow: imported training may meet its deadline (the record id may be 0: several may). */
  notifyTrainingRecorded(workflowId: string, trainingRecordId: number): Promise<void>;
}

export const WORKSHOP_KINDS = ['trainer_applications', 'course_applications', 'events'] as const;
export type WorkshopKind = (typeof WORKSHOP_KINDS)[number];
export const isWorkshopKind = (kind: ImportKind): kind is WorkshopKind =>
  (WORKSHOP_KINDS as readonly string[]).includes(kind);
const CASE_TYPE: Record<Exclude<WorkshopKind, 'events'>, CaseType> = {
  trainer_applications: 'trainer_application',
  course_applications: 'course_approval',
};

/** No password matches this: an imported person signs in after choosing one through "Forgot password". */
const NO_PASSWORD = '!imported';

export interface WorkshopRefs {
  /** The applicant (trainer applications) or trainer (course applications, events) as a person. */
  professionalId?: number | null;
  /** Their sign-in account; null when one is to be made for them (or, in a preview, for a person earlier in the batch). */
  userId?: number | null;
  courseId?: number | null;
  trainerName?: string;
}

/** A course a row can refer to by legacy id, as far as events need to know it. */
export interface KnownCourse {
  id: number | null;
  approved: boolean;
  delivery: string;
  clockHours: number;
  trainerUserId: number | null;
  /** Made from a course application (else it came from courses.csv or MOPD). */
  fromApplication: boolean;
}

export interface WorkshopPending {
  mopdIds: Set<string>;
  /** Trainer applications by legacy id: the person they name. */
  trainerApplications: Set<string>;
  /** Courses by legacy id: courses.csv rows and approved course applications of the batch. */
  knownCourses: Map<string, KnownCourse>;
  /** The same as training files know them (by legacy id, their clock hours). */
  courses: Map<string, { id: number | null; clockHours: number }>;
}

export interface WorkshopPlanner {
  reject(problem: Problem): void;
  unchanged(): void;
  plan(row: ParsedRow, action: 'create' | 'update', id: number | undefined, refs: WorkshopRefs): void;
  /** The person a row names by person_legacy_id or mopd_id (trainer applications). */
  person(row: ParsedRow): { id: number | null } | Problem;
}

const distinct = (values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string'))];
const jsonList = (values: string[]) => JSON.stringify(values);
const anyOf = (column: string, cast = 'text') =>
  `${column} = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::${cast}))`;
const str = (row: ParsedRow, column: string) => row.values[column] as string | null;

interface ImportedCase {
  id: number;
  status: string;
  hash: string | null;
  outcome: ApplicationOutcome | null;
  applicantUserId: number;
}

async function importedCases(
  db: Db,
  system: string,
  type: CaseType,
  ids: string[],
): Promise<Map<string, ImportedCase>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.raw<{
    rows: Array<{
      id: string;
      legacy_id: string;
      status: string;
      legacy_hash: string | null;
      outcome: ApplicationOutcome | null;
      applicant_user_id: string;
    }>;
  }>(
    `SELECT id, legacy_id, status, legacy_hash, submission->'imported'->>'outcome' AS outcome, applicant_user_id FROM cases WHERE legacy_system = ? AND type = ? AND ${anyOf('legacy_id')}`,
    [system, type, jsonList(ids)],
  );
  return new Map(
    rows.map((r) => [
      r.legacy_id,
      {
        id: Number(r.id),
        status: r.status,
        hash: r.legacy_hash,
        outcome: r.outcome,
        applicantUserId: Number(r.applicant_user_id),
      },
    ]),
  );
}

/** Sign-in accounts of people, and accounts holding their emails without being theirs. */
async function accountsOf(
  db: Db,
  professionalIds: number[],
): Promise<Map<number, { userId: number | null; name: string; conflict: string | null }>> {
  if (professionalIds.length === 0) return new Map();
  const { rows } = await db.raw<{
    rows: Array<{
      id: string;
      mopd_id: string;
      name: string;
      email: string;
      user_id: string | null;
      other_user: string | null;
    }>;
  }>(
    `SELECT p.id, p.mopd_id, p.first_name || ' ' || p.last_name AS name, p.email, u.id AS user_id,
            (SELECT o.id FROM users o WHERE lower(o.email) = lower(p.email) AND o.professional_id IS DISTINCT FROM p.id LIMIT 1) AS other_user
       FROM professionals p LEFT JOIN users u ON u.professional_id = p.id
      WHERE ${anyOf('p.id', 'bigint')}`,
    [JSON.stringify(professionalIds)],
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        userId: r.user_id === null ? null : Number(r.user_id),
        name: r.name,
        conflict:
          r.user_id === null && r.other_user !== null
            ? `${r.mopd_id}'s email ${r.email} is the sign-in of another account, not linked to this person; link or change it first`
            : null,
      },
    ]),
  );
}

/**
 * Whether an imported case row is to be created, updated or left alone: a case pending when it
 * was imported is MOPD's now (its workflow decides it), and a decision is not changed by a re-import.
 */
function decideCase(
  planner: WorkshopPlanner,
  row: ParsedRow,
  known: ImportedCase | undefined,
  refs: WorkshopRefs,
): void {
  if (!known) return planner.plan(row, 'create', undefined, refs);
  if (known.hash === row.hash) return planner.unchanged();
  if (known.outcome === 'pending') {
    return planner.reject({
      line: row.line,
      column: 'outcome',
      reason: `was imported as pending and is case ${known.id} in MOPD now (${known.status.replace(/_/g, ' ')}); it is decided there, not by a re-import`,
    });
  }
  if (known.outcome !== row.values.outcome) {
    return planner.reject({
      line: row.line,
      column: 'outcome',
      reason: `was imported as ${known.outcome} (case ${known.id}); a re-import does not change a decision`,
    });
  }
  planner.plan(row, 'update', known.id, refs);
}

/** Plans the rows of a workshop file; the caller counts the report. */
export async function planWorkshopRows(
  db: Db,
  system: string,
  kind: WorkshopKind,
  rows: ParsedRow[],
  pending: WorkshopPending,
  planner: WorkshopPlanner,
): Promise<void> {
  const professionalsByMopdId = async (column: string) =>
    new Map<string, { id: number }>(
      (
        await db('professionals')
          .whereIn('mopd_id', distinct(rows.map((r) => str(r, column))))
          .select('id', 'mopd_id')
      ).map((r: { id: number; mopd_id: string }) => [r.mopd_id, { id: Number(r.id) }]),
    );
  /** The trainer a course application or an event names: by their application's legacy id or their MOPD ID. */
  const trainers = async () => {
    const byApplication = await importedCases(
      db,
      system,
      'trainer_application',
      distinct(rows.map((r) => str(r, 'trainer_legacy_id'))),
    );
    const byMopdId = await professionalsByMopdId('trainer_mopd_id');
    const accounts = await accountsOf(
      db,
      [...byMopdId.values()].map((p) => p.id),
    );
    const users = new Map<number, string>(
      (
        await db('users')
          .whereIn(
            'id',
            [...byApplication.values()].map((c) => c.applicantUserId),
          )
          .select('id', 'display_name')
      ).map((u: { id: number; display_name: string }) => [Number(u.id), u.display_name]),
    );
    return (row: ParsedRow): WorkshopRefs | Problem | null => {
      const legacy = str(row, 'trainer_legacy_id');
      const mopd = str(row, 'trainer_mopd_id');
      if (legacy !== null) {
        const found = byApplication.get(legacy);
        if (found) return { userId: found.applicantUserId, trainerName: users.get(found.applicantUserId) ?? '' };
        if (pending.trainerApplications.has(legacy)) return { userId: null };
        return {
          line: row.line,
          column: 'trainer_legacy_id',
          reason: `no trainer application with legacy id "${legacy}" in trainer_applications.csv or the registry`,
        };
      }
      if (mopd !== null) {
        const found = byMopdId.get(mopd);
        if (found) {
          const account = accounts.get(found.id)!;
          if (account.conflict) return { line: row.line, column: 'trainer_mopd_id', reason: account.conflict };
          return { professionalId: found.id, userId: account.userId, trainerName: account.name };
        }
        if (pending.mopdIds.has(mopd)) return { userId: null };
        return { line: row.line, column: 'trainer_mopd_id', reason: `no person with MOPD ID ${mopd}` };
      }
      return null;
    };
  };

  if (kind === 'trainer_applications') {
    const existing = await importedCases(
      db,
      system,
      'trainer_application',
      rows.map((r) => r.values.legacy_id),
    );
    const resolved = rows.map((row) => ({ row, who: planner.person(row) }));
    const accounts = await accountsOf(
      db,
      resolved.flatMap(({ who }) => ('id' in who && who.id !== null ? [who.id] : [])),
    );
    for (const { row, who } of resolved) {
      if ('reason' in who) {
        planner.reject(who);
        continue;
      }
      const account = who.id === null ? null : accounts.get(who.id)!;
      if (account?.conflict) {
        planner.reject({
          line: row.line,
          column: str(row, 'person_legacy_id') !== null ? 'person_legacy_id' : 'mopd_id',
          reason: account.conflict,
        });
        continue;
      }
      decideCase(planner, row, existing.get(row.values.legacy_id), {
        professionalId: who.id,
        userId: account?.userId ?? null,
      });
      pending.trainerApplications.add(row.values.legacy_id);
    }
    return;
  }

  if (kind === 'course_applications') {
    const existing = await importedCases(
      db,
      system,
      'course_approval',
      rows.map((r) => r.values.legacy_id),
    );
    const trainerOf = await trainers();
    // Approved applications become courses under the same legacy id: not one a courses.csv row has.
    const taken = new Map<string, number | null>(
      (
        await db('courses')
          .where({ legacy_system: system })
          .whereIn(
            'legacy_id',
            rows.map((r) => r.values.legacy_id),
          )
          .select('legacy_id', 'approved_by_case_id')
      ).map((c: { legacy_id: string; approved_by_case_id: number | null }) => [
        c.legacy_id,
        c.approved_by_case_id === null ? null : Number(c.approved_by_case_id),
      ]),
    );
    for (const row of rows) {
      const trainer = trainerOf(row);
      if (trainer === null || 'reason' in trainer) {
        if (trainer) planner.reject(trainer);
        continue;
      }
      const legacy = row.values.legacy_id;
      const known = existing.get(legacy);
      const holder = taken.get(legacy);
      const csvCourse = pending.knownCourses.get(legacy);
      if (
        (holder !== undefined && (holder === null || holder !== known?.id)) ||
        (csvCourse && !csvCourse.fromApplication)
      ) {
        planner.reject({
          line: row.line,
          column: 'legacy_id',
          reason: `"${legacy}" is already the legacy id of a course from courses.csv; courses and course applications share their ids`,
        });
        continue;
      }
      decideCase(planner, row, known, trainer);
      if (row.values.outcome === 'approved') {
        pending.knownCourses.set(legacy, {
          id: null,
          approved: true,
          delivery: row.values.delivery as string,
          clockHours: row.values.clock_hours as number,
          trainerUserId: trainer.userId ?? null,
          fromApplication: true,
        });
        pending.courses.set(legacy, { id: null, clockHours: row.values.clock_hours as number });
      }
    }
    return;
  }

  // Events.
  const existing = new Map<string, { id: number; hash: string | null; registrations: number }>(
    (
      await db('events as e')
        .where('e.legacy_system', system)
        .whereIn(
          'e.legacy_id',
          rows.map((r) => r.values.legacy_id),
        )
        .select(
          'e.id',
          'e.legacy_id',
          'e.legacy_hash',
          db.raw('(SELECT count(*) FROM registrations r WHERE r.event_id = e.id)::int AS registrations'),
        )
    ).map((e: { id: number; legacy_id: string; legacy_hash: string | null; registrations: number }) => [
      e.legacy_id,
      { id: Number(e.id), hash: e.legacy_hash, registrations: e.registrations },
    ]),
  );
  const courses = new Map<string, KnownCourse>(
    (
      await db('courses')
        .where({ legacy_system: system })
        .whereIn('legacy_id', distinct(rows.map((r) => str(r, 'course_legacy_id'))))
        .select('id', 'legacy_id', 'approved', 'delivery', 'clock_hours', 'trainer_user_id', 'approved_by_case_id')
    ).map(
      (c: {
        id: number;
        legacy_id: string;
        approved: boolean;
        delivery: string;
        clock_hours: string;
        trainer_user_id: number | null;
        approved_by_case_id: number | null;
      }) => [
        c.legacy_id,
        {
          id: Number(c.id),
          approved: c.approved,
          delivery: c.delivery,
          clockHours: Number(c.clock_hours),
          trainerUserId: c.trainer_user_id === null ? null : Number(c.trainer_user_id),
          fromApplication: c.approved_by_case_id !== null,
        },
      ],
    ),
  );
  const courseTrainers = new Map<number, string>(
    (
      await db('users')
        .whereIn(
          'id',
          [...courses.values()].flatMap((c) => (c.trainerUserId === null ? [] : [c.trainerUserId])),
        )
        .select('id', 'display_name')
    ).map((u: { id: number; display_name: string }) => [Number(u.id), u.display_name]),
  );
  const zips = new Set(
    (
      await db('zip_codes')
        .whereIn('zip', distinct(rows.map((r) => str(r, 'zip'))))
        .select('zip')
    ).map((z: { zip: string }) => z.zip),
  );
  const trainerOf = await trainers();
  for (const row of rows) {
    const legacyCourse = str(row, 'course_legacy_id')!;
    const course = courses.get(legacyCourse) ?? pending.knownCourses.get(legacyCourse);
    const problem = (column: string, reason: string) => planner.reject({ line: row.line, column, reason });
    if (!course) {
      problem(
        'course_legacy_id',
        `no course with legacy id "${legacyCourse}" in courses.csv, course_applications.csv or the registry (an application is a course once approved)`,
      );
      continue;
    }
    if (!course.approved) {
      problem('course_legacy_id', `the course "${legacyCourse}" is not approved; only approved courses are scheduled`);
      continue;
    }
    // Where it happens follows the course's delivery, as when a trainer schedules it.
    const online = course.delivery === 'online';
    const placeColumns = ['address_line', 'city', 'county', 'zip'] as const;
    if (online) {
      const given = placeColumns.find((c) => row.values[c] != null);
      if (given) problem(given, 'is only for in-person and blended events; this course is online');
      else if (row.values.online_url == null) problem('online_url', 'is required for an online course');
      if (given || row.values.online_url == null) continue;
    } else {
      const missing = placeColumns.find((c) => row.values[c] == null);
      if (missing)
        problem(
          missing,
          `is required: the course is ${course.delivery === 'blended' ? 'blended' : 'taught in person'}`,
        );
      else if (row.values.online_url != null) problem('online_url', 'is only for online events');
      else if (!zips.has(str(row, 'zip')!)) problem('zip', `${str(row, 'zip')} is not a Missouri ZIP code`);
      if (missing || row.values.online_url != null || !zips.has(str(row, 'zip')!)) continue;
    }
    const trainer = trainerOf(row);
    if (trainer !== null && 'reason' in trainer) {
      planner.reject(trainer);
      continue;
    }
    const refs: WorkshopRefs = trainer ?? {
      userId: course.trainerUserId,
      trainerName: course.trainerUserId === null ? '' : (courseTrainers.get(course.trainerUserId) ?? ''),
    };
    refs.courseId = course.id;
    const known = existing.get(row.values.legacy_id);
    if (!known) planner.plan(row, 'create', undefined, refs);
    else if (known.hash === row.hash) planner.unchanged();
    else if (known.registrations > 0)
      problem('legacy_id', `event ${known.id} has registrations in MOPD now; change it there, not by a re-import`);
    else planner.plan(row, 'update', known.id, refs);
  }
}

/** A planned workshop row, as the writer needs it. */
export interface WorkshopPlanned {
  row: ParsedRow;
  action: 'create' | 'update';
  id?: number;
  refs: WorkshopRefs;
}

/** The sign-in account of a person, made for them when they have none (no password until they choose one). */
async function accountFor(trx: Knex.Transaction, professionalId: number): Promise<{ userId: number; name: string }> {
  const found = await trx('users')
    .where({ professional_id: professionalId })
    .first<{ id: number; display_name: string } | undefined>('id', 'display_name');
  if (found) return { userId: Number(found.id), name: found.display_name };
  const person = await trx('professionals')
    .where({ id: professionalId })
    .first<{ first_name: string; last_name: string; email: string; mopd_id: string }>(
      'first_name',
      'last_name',
      'email',
      'mopd_id',
    );
  const user = await createUser(trx, {
    email: person.email,
    passwordHash: NO_PASSWORD,
    displayName: `${person.first_name} ${person.last_name}`,
    professionalId,
    roles: ['professional'],
  });
  await audit(trx, {
    actorUserId: null,
    action: 'user.created_by_import',
    entity: 'user',
    entityId: user.id,
    after: { mopdId: person.mopd_id, email: person.email },
  });
  return { userId: Number(user.id), name: user.display_name };
}

/** The version in effect on a day; days before the first version take the first. */
function versionOn<T extends { from: string }>(timeline: T[], day: string): T {
  let chosen = timeline[0]!;
  for (const version of timeline) if (version.from <= day) chosen = version;
  return chosen;
}

/**
 * Writes a planned workshop file in the caller's transaction. Events of upcoming dates get their
 * reminder workflows started here, before the commit, as the API schedules events (a workflow
 * whose event was rolled back finds nothing to remind of); cases are started after the commit by
 * `startImportedWorkflows`.
 */
export async function writeWorkshopFile(
  trx: Knex.Transaction,
  system: string,
  kind: WorkshopKind,
  planned: WorkshopPlanned[],
  progress: (rows: number) => Promise<void>,
  workflows: ImportWorkflows,
): Promise<void> {
  const stamp = (p: WorkshopPlanned) => ({
    legacy_system: system,
    legacy_id: p.row.values.legacy_id,
    legacy_hash: p.row.hash,
  });
  if (kind === 'events') {
    for (const p of planned) {
      const v = p.row.values;
      const course = await trx('courses').where({ id: p.refs.courseId }).first();
      let trainerUserId = p.refs.userId ?? null;
      let trainerName = p.refs.trainerName ?? '';
      if (trainerUserId === null && p.refs.professionalId)
        ({ userId: trainerUserId, name: trainerName } = await accountFor(trx, p.refs.professionalId));
      const sessions = (v.sessions as Session[]).map((s) => ({
        startsAt: new Date(s.startsAt),
        endsAt: new Date(s.endsAt),
        hours: s.hours,
      }));
      const place =
        course.delivery === 'online'
          ? null
          : {
              addressLine: v.address_line as string,
              city: v.city as string,
              county: v.county as string,
              region: (v.region as never) ?? null,
              zip: v.zip as string,
            };
      const event = {
        course,
        trainerUserId,
        trainerName,
        place,
        onlineUrl: (v.online_url as string | null) ?? null,
        capacity: v.capacity as number,
        feeCents: (v.fee as number | null) ?? 0,
        sessions,
      };
      let id: number;
      if (p.action === 'create') {
        id = Number((await createEvent(trx, event)).id);
        await trx('events').where({ id }).update(stamp(p));
      } else {
        // No registrations (checked in the plan): the event is scheduled again in place.
        id = p.id!;
        const point = place
          ? await trx('zip_codes')
              .where({ zip: place.zip })
              .first<{ latitude: number; longitude: number } | undefined>('latitude', 'longitude')
          : undefined;
        await trx('events')
          .where({ id })
          .update({
            course_id: course.id,
            trainer_user_id: trainerUserId,
            trainer_name: trainerName,
            title: course.title,
            description: course.description,
            sponsor: course.sponsor,
            topic: course.topic,
            level: course.level ?? null,
            delivery: course.delivery,
            clock_hours: course.clock_hours,
            address_line: place?.addressLine ?? null,
            city: place?.city ?? null,
            county: place?.county ?? null,
            region: place?.region ?? null,
            zip: place?.zip ?? null,
            latitude: point?.latitude ?? null,
            longitude: point?.longitude ?? null,
            online_url: event.onlineUrl,
            capacity: event.capacity,
            fee_cents: event.feeCents,
            first_session_at: new Date(Math.min(...sessions.map((s) => s.startsAt.getTime()))),
            last_session_at: new Date(Math.max(...sessions.map((s) => s.endsAt.getTime()))),
            ...stamp(p),
          });
        await trx('event_sessions').where({ event_id: id }).delete();
        await trx('event_sessions').insert(
          sessions.map((s) => ({ event_id: id, starts_at: s.startsAt, ends_at: s.endsAt, hours: s.hours })),
        );
      }
      await audit(trx, {
        actorUserId: null,
        action: p.action === 'create' ? 'event.imported' : 'event.reimported',
        entity: 'event',
        entityId: id,
        after: { system, legacyId: v.legacy_id },
      });
      if (Math.max(...sessions.map((s) => s.startsAt.getTime())) > Date.now()) await workflows.startEventReminders(id);
      await progress(1);
    }
    return;
  }

  const type = CASE_TYPE[kind];
  const today = localDateOf(new Date());
  const timeline = await ruleSetTimeline(trx, COMPLIANCE_RULE_SET, today);
  const term = await getSetting(trx, 'trainer_approval_term');
  for (const p of planned) {
    const v = p.row.values;
    const outcome = v.outcome as ApplicationOutcome;
    const submittedOn = v.submitted_on as string;
    const decidedOn = v.decided_on as string | null;
    const reason = (v.decision_reason as string | null) ?? null;
    let userId = p.refs.userId ?? null;
    let name = p.refs.trainerName ?? '';
    if (userId === null) {
      if (p.refs.professionalId) ({ userId, name } = await accountFor(trx, p.refs.professionalId));
      else throw new Error(`line ${p.row.line}: the person named is not in the registry`);
    } else if (!name) {
      name = (await trx('users').where({ id: userId }).first<{ display_name: string }>('display_name')).display_name;
    }
    const imported = { system, legacyId: v.legacy_id, outcome };
    const submission =
      kind === 'trainer_applications'
        ? {
            qualifications: '',
            education: '',
            experience: '',
            specialties: v.specialties,
            regions: v.regions ?? [],
            documents: [],
            certifications: ((v.certifications as Array<{ model: string; expiresOn: string }> | null) ?? []).map(
              (c) => ({ model: c.model, expiresOn: c.expiresOn }),
            ),
            imported,
          }
        : {
            title: v.title,
            description: '',
            sponsor: v.sponsor,
            topic: v.topic,
            level: v.level,
            clockHours: v.clock_hours,
            delivery: v.delivery,
            ...(v.in_person_hours != null && { inPersonHours: v.in_person_hours }),
            feeCents: v.fee ?? 0,
            materials: '',
            ...(v.cpr_model != null && { cprModel: v.cpr_model }),
            imported,
          };
    const rules = versionOn(timeline, submittedOn).rules;
    const columns = {
      title: kind === 'trainer_applications' ? name : (v.title as string),
      submission: JSON.stringify(submission),
      region: kind === 'trainer_applications' ? ((v.regions as string[] | null)?.[0] ?? null) : null,
      decision_reasons: JSON.stringify(reason ? [reason] : []),
      decided_at: decidedOn ? startOfLocalDay(decidedOn) : null,
      submitted_at: startOfLocalDay(submittedOn),
      ...stamp(p),
    };
    let caseId: number;
    if (p.action === 'create') {
      const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(
        "SELECT nextval(pg_get_serial_sequence('cases', 'id'))::bigint AS id",
      );
      caseId = Number(rows[0]!.id);
      await trx('cases').insert({
        id: caseId,
        type,
        status: outcome === 'pending' ? 'submitted' : outcome,
        workflow_id: workflows.caseWorkflowId(type, caseId),
        applicant_user_id: userId,
        professional_id: kind === 'trainer_applications' ? p.refs.professionalId : null,
        rule_set: rules.ruleSet,
        rule_set_version: rules.version,
        ...columns,
      });
      const event = (
        what: string,
        eventKind: Parameters<typeof recordCaseEvent>[1]['kind'],
        at: Date | null,
        note: string,
        actor: number | null,
      ) =>
        recordCaseEvent(trx, {
          caseId,
          key: `case-${caseId}-${what}`,
          kind: eventKind,
          actorUserId: actor,
          note,
          detail: { imported },
        }).then(async () => {
          if (at)
            await trx('case_events')
              .where({ dedupe_key: `case-${caseId}-${what}` })
              .update({ at });
        });
      await event('submitted', 'submitted', startOfLocalDay(submittedOn), '', userId);
      if (outcome !== 'pending')
        await event(
          outcome,
          outcome,
          startOfLocalDay(decidedOn!),
          reason ?? `${outcome === 'approved' ? 'Approved' : 'Denied'} in ${system}.`,
          null,
        );
      await event(
        'imported',
        'imported',
        null,
        outcome === 'pending'
          ? `Imported from ${system} (legacy id ${v.legacy_id}), still to be decided: it goes through the automatic checks and review.`
          : `Imported from ${system} (legacy id ${v.legacy_id}), ${outcome} there on ${decidedOn}.`,
        null,
      );
    } else {
      caseId = p.id!;
      await trx('cases')
        .where({ id: caseId })
        .update({ ...columns, updated_at: trx.fn.now() });
    }
    if (outcome === 'approved') {
      // Granted as a reviewer's approval grants it (services/caseKinds/), except where an import must
      // differ: the term counts from the old system's decision and never shortens a longer one
      // MOPD gave since, and a course imported again is updated in place with its legacy stamp.
      if (kind === 'trainer_applications') {
        const until = addYears(decidedOn!, term.years);
        const certifications = (submission as { certifications: Array<{ model: string; expiresOn: string }> })
          .certifications;
        await approveTrainer(trx, {
          userId,
          caseId,
          until,
          today,
          specialties: v.specialties as string[],
          regions: (v.regions as string[] | null) ?? [],
          certifications,
          updatedAt: trx.fn.now(),
          keepLongerTerm: true,
        });
      } else {
        const course = { ...approvedCourseOf(submission as unknown as CourseSubmission, userId, caseId), ...stamp(p) };
        const updated = await trx('courses').where({ approved_by_case_id: caseId }).update(course);
        if (updated === 0) await trx('courses').insert(course);
      }
    }
    await audit(trx, {
      actorUserId: null,
      action: p.action === 'create' ? 'case.imported' : 'case.reimported',
      entity: 'case',
      entityId: caseId,
      after: { type, outcome, system, legacyId: v.legacy_id },
    });
    await progress(1);
  }
}

/**
 * Starts what imported cases of a system still need, after their file committed: the approval
 * workflow of each pending one not started yet (still `submitted`: its workflow moves it on at
 * once), and the term of each trainer approved in the old system whose term has not ended. Both
 * are started once (a running workflow of the same id is left alone), so an apply that failed here
 * is completed by applying the batch again.
 */
export async function startImportedWorkflows(
  db: Db,
  system: string,
  workflows: ImportWorkflows,
): Promise<{ cases: number; terms: number }> {
  const pendingCases: Array<{ id: number; type: CaseType; workflow_id: string }> = await db('cases')
    .where({ legacy_system: system, status: 'submitted' })
    .orderBy('id')
    .select('id', 'type', 'workflow_id');
  for (const c of pendingCases) await workflows.startCase(c.type, Number(c.id), c.workflow_id);
  const terms: Array<{ id: number; workflow_id: string }> = await db('cases')
    .where({ legacy_system: system, type: 'trainer_application', status: 'approved' })
    .whereRaw("submission->'imported'->>'outcome' = 'approved'")
    .where('approval_expires_on', '>=', localDateOf(new Date()))
    .orderBy('id')
    .select('id', 'workflow_id');
  for (const c of terms) await workflows.startImportedTrainerApproval(Number(c.id), c.workflow_id);
  return { cases: pendingCases.length, terms: terms.length };
}
