/** Recording completed training: the credit decision, the record and the new compliance, together. */
import type { TrainingRecordChangeKind } from '../rules/domain.js';
import type { Db } from '../db/connection.js';
import {
  findCourse,
  firstCreditedTrainingOnTopic,
  insertTrainingRecord,
  trainingRecordVersions,
} from '../db/trainingRecords.js';
import { findProfessional } from '../db/professionals.js';
import { deadlinesOf, unmetDeadlinesForTopic, updateDeadline } from '../db/deadlines.js';
import { summarize } from '../rules/compliance.js';
import { tellAboutRecord } from './recordNotices.js';
import { trainingRecordNotice } from './mail/templates.js';
import { ruleSetInEffect, ruleSetVersion } from '../db/ruleSets.js';
import type { DeadlineRow, TrainingRecordRow } from '../db/rows.js';
import type { TrainingSource } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { refreshCompliance, type ComplianceReport } from './compliance.js';
import { DomainError } from './errors.js';
import { audit } from '../db/audit.js';
import { creditFacts, sameDayOrderKey, type ReportedCircumstances } from './credit.js';
import type { Knex } from 'knex';
import type { CreditDecision } from '../rules/engine.js';
import { dateOf, daysBetween, yearOf } from '../rules/dates.js';

/**
 * A completed training as reported. Facts the registry knows (the trainer's instructor
 * certification) are not part of it: the credit decision looks them up.
 */
export interface CompletedTraining extends ReportedCircumstances {
  professionalId: number;
  courseId: number;
  completedOn: string;
  /** Hours attended, when less than the course's clock hours. */
  hours?: number;
  source: TrainingSource;
  /** The event whose attendance issued it; one record per attendee and event. */
  eventId?: number | null;
}

export interface RecordedTraining {
  record: TrainingRecordRow;
  compliance: ComplianceReport;
  /** Deadlines this training may meet; their workflows are told after the commit. */
  deadlinesToWake: DeadlineRow[];
}

/** The credit a completed training earns under the version in effect on its completion date. */
async function decide(db: Db, input: CompletedTraining) {
  const professional = await findProfessional(db, input.professionalId);
  if (!professional)
    throw new DomainError('NotFound', `No professional with id ${input.professionalId}`, 'professionalId');
  const course = await findCourse(db, input.courseId);
  if (!course) throw new DomainError('Invalid', `No course with id ${input.courseId}`, 'courseId');
  const hours = input.hours ?? Number(course.clock_hours);
  if (hours > Number(course.clock_hours)) {
    throw new DomainError(
      'Invalid',
      `Hours attended (${hours}) exceed the course's ${course.clock_hours} clock hours`,
      'hours',
    );
  }
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, input.completedOn);
  // The event's trainer taught it; without an event, the course's own trainer.
  const event = input.eventId
    ? await db('events')
        .where({ id: input.eventId })
        .first<{ trainer_user_id: number | null } | undefined>('trainer_user_id')
    : undefined;
  const facts = await creditFacts(db, {
    ...input,
    professionalId: professional.id,
    course,
    hours,
    trainerUserId: event?.trainer_user_id ?? null,
  });
  const credit = await rules.decideCredit(facts);
  return { professional, course, hours, credit, certified: facts.training.trainerHasInstructorCertification };
}

/** Who changed the registry, for the audit log; `publicUrl` makes the links of the person's email. */
export interface ChangedBy {
  actorUserId: number | null;
  requestId?: string;
  publicUrl?: string;
}

/** Why a credit was decided again, in the audit log next to the earlier decision. */
type Redecision = ChangedBy & { because: string };

/** A record whose credit (or facts) changed: as it was, and as it is. */
export interface RecordChange {
  before: TrainingRecordRow;
  after: TrainingRecordRow;
  /** The kept earlier version (training_record_versions). */
  versionId: number;
}

/** Keeps the record as it was before a change, with the reason (training_record_versions). */
async function keepVersion(
  trx: Knex.Transaction,
  before: TrainingRecordRow,
  kind: TrainingRecordChangeKind,
  reason: string,
  actorUserId: number | null,
): Promise<number> {
  const [row] = await trx('training_record_versions')
    .insert({
      training_record_id: before.id,
      professional_id: before.professional_id,
      kind,
      before: JSON.stringify(before),
      reason,
      actor_user_id: actorUserId,
    })
    .returning<Array<{ id: number }>>('id');
  return Number(row!.id);
}

const sameDecision = (row: TrainingRecordRow, credit: CreditDecision) =>
  Number(row.credited_hours) === credit.creditedHours &&
  row.credit_rule_set_version === credit.version &&
  row.credit_reasons.map((r) => `${r.ruleId}:${r.code}`).join(',') ===
    credit.reasons.map((r) => `${r.ruleId}:${r.code}`).join(',');

/**
 * Decides again, in date order (a day's completions in `sameDayOrderKey`'s order, never by arrival),
 * the person's records of a course in one calendar year. Whether a
 * completion was already credited this year (the once-a-year rules) depends on the completions
 * before it, so one recorded, moved or withdrawn out of order changes its neighbours' history:
 * the outcome is then the same in whatever order the records arrived. A changed decision is
 * written with the earlier one kept in the audit log (`training_record.redecided`, with the reason).
 */
async function redecideCourseYear(
  trx: Knex.Transaction,
  professionalId: number,
  courseId: number | null,
  year: number,
  by: Redecision,
): Promise<RecordChange[]> {
  const changes: RecordChange[] = [];
  if (courseId === null) return changes;
  const course = await findCourse(trx, courseId);
  if (!course) return changes;
  const records: TrainingRecordRow[] = await trx('training_records')
    .where({ professional_id: professionalId, course_id: courseId })
    .whereNull('voided_at')
    .whereBetween('completed_on', [dateOf(year, 1, 1), dateOf(year, 12, 31)])
    .orderByRaw(`completed_on, ${sameDayOrderKey('training_records')}`)
    .forUpdate();
  for (const before of records) {
    const rules = await ruleSetInEffect(trx, COMPLIANCE_RULE_SET, before.completed_on);
    const event = before.event_id
      ? await trx('events')
          .where({ id: before.event_id })
          .first<{ trainer_user_id: number | null } | undefined>('trainer_user_id')
      : undefined;
    const facts = await creditFacts(trx, {
      professionalId,
      course,
      completedOn: before.completed_on,
      hours: Number(before.hours),
      source: before.source,
      trainerUserId: event?.trainer_user_id ?? null,
      recordId: before.id,
      registeredOn: before.registered_on,
      startedAt: before.started_at,
      completedAt: before.completed_at,
      inRatio: before.in_ratio,
      usedForGroup: before.used_for_group,
    });
    const credit = await rules.decideCredit(facts);
    if (sameDecision(before, credit)) continue;
    const [after] = await trx('training_records')
      .where({ id: before.id })
      .update({
        credited_hours: credit.creditedHours,
        credit_rule_set: credit.ruleSet,
        credit_rule_set_version: credit.version,
        credit_reasons: JSON.stringify(credit.reasons),
        trainer_has_instructor_certification: facts.training.trainerHasInstructorCertification,
      })
      .returning('*');
    const reason = `re-decided because ${by.because}`;
    const versionId = await keepVersion(trx, before, 'redecided', reason, by.actorUserId);
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.redecided',
      entity: 'training_record',
      entityId: before.id,
      before,
      after: { ...after, reason },
      requestId: by.requestId ?? null,
    });
    if (credit.creditedHours === 0) await remeetDeadlinesOf(trx, before, by);
    changes.push({ before, after: after as TrainingRecordRow, versionId });
  }
  return changes;
}

/** What a record's credit history reads: its course, completion date and the time it took. */
type Placement = Pick<
  TrainingRecordRow,
  'professional_id' | 'course_id' | 'completed_on' | 'started_at' | 'completed_at'
>;

/**
 * Decides again every credit whose history a record's arrival, correction or removal can change:
 * the record's course in its calendar year (once a year), and the course-years of the records of
 * other courses whose times overlap it (one at a time, which also moves their course-year's
 * once-a-year count). One-at-a-time reads only times, never others' credit, so nothing further
 * can change. Each group is decided in date order; the result is the same in any order of entry.
 */
async function redecideAround(trx: Knex.Transaction, placements: Placement[], by: Redecision): Promise<RecordChange[]> {
  const groups = new Map<string, { professionalId: number; courseId: number; year: number }>();
  const add = (professionalId: number, courseId: number | null, on: string) => {
    if (courseId === null) return;
    const year = yearOf(on);
    groups.set(`${professionalId}:${courseId}:${year}`, { professionalId, courseId: Number(courseId), year });
  };
  for (const p of placements) {
    add(Number(p.professional_id), p.course_id, p.completed_on);
    if (!p.started_at || !p.completed_at) continue;
    const overlapping: Array<Pick<TrainingRecordRow, 'course_id' | 'completed_on'>> = await trx('training_records')
      .where({ professional_id: p.professional_id })
      .whereNull('voided_at')
      .whereNotNull('course_id')
      .where('started_at', '<', p.completed_at)
      .where('completed_at', '>', p.started_at)
      .distinct('course_id', 'completed_on');
    for (const o of overlapping) add(Number(p.professional_id), o.course_id, o.completed_on);
  }
  const changes: RecordChange[] = [];
  const ordered = [...groups.values()].sort(
    (a, b) => a.professionalId - b.professionalId || a.courseId - b.courseId || a.year - b.year,
  );
  for (const g of ordered) changes.push(...(await redecideCourseYear(trx, g.professionalId, g.courseId, g.year, by)));
  return changes;
}

/**
 * A record that met a deadline and earns nothing now no longer meets it: the first credited
 * training on the topic that counts for the deadline does (under the deadline's own version),
 * when there is one; otherwise the deadline keeps its record and the audit log says why.
 */
async function remeetDeadlinesOf(trx: Knex.Transaction, record: TrainingRecordRow, by: Redecision): Promise<void> {
  const met: DeadlineRow[] = await trx('deadlines').where({ met_by_training_record_id: record.id }).forUpdate();
  for (const deadline of met) {
    const from =
      deadline.employment_id !== null
        ? (await ruleSetVersion(trx, deadline.rule_set, deadline.rule_set_version)).hireDeadlineCountsFrom(
            deadline.requirement,
            deadline.starts_on,
          )
        : deadline.starts_on;
    const training = await firstCreditedTrainingOnTopic(
      trx,
      deadline.professional_id,
      deadline.satisfied_by_topic,
      from,
    );
    if (!training) {
      await audit(trx, {
        actorUserId: by.actorUserId,
        action: 'deadline.met_by_uncredited',
        entity: 'deadline',
        entityId: deadline.id,
        before: deadline,
        after: { reason: `record ${record.id} earns no credit now and no other credited training meets the deadline` },
        requestId: by.requestId ?? null,
      });
      continue;
    }
    const after = await updateDeadline(trx, deadline.id, {
      status: training.completed_on <= deadline.due_on ? 'met' : 'met_late',
      met_by_training_record_id: training.id,
    });
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'deadline.met_again',
      entity: 'deadline',
      entityId: deadline.id,
      before: deadline,
      after: { ...after, reason: `record ${record.id} earns no credit now` },
      requestId: by.requestId ?? null,
    });
  }
}

/**
 * After a legacy import: the registry's records of a course in a year that already held an
 * imported completion of an earlier date (or of the same day, whichever arrived first) were decided
 * without it, and an imported one of a day that already held one was decided after it whatever
 * their order. Records of the same system count too: an earlier batch of it may hold the later
 * completion. They are decided again (each
 * person in their own transaction). A person whose credit changed has their compliance refreshed
 * and is told, in the app and by email, when it turned (as every other re-decision does); the
 * import's own refresh covers everyone else it touched.
 */
export async function redecideAfterImport(db: Db, system: string, by: ChangedBy): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ professional_id: string; course_id: string; yr: number }> }>(
    `SELECT DISTINCT i.professional_id, i.course_id, extract(year FROM i.completed_on)::int AS yr
       FROM training_records i
       JOIN training_records o ON o.professional_id = i.professional_id AND o.course_id = i.course_id
        AND o.completed_on >= i.completed_on AND o.completed_on <= make_date(extract(year FROM i.completed_on)::int, 12, 31)
        AND o.id <> i.id
      WHERE i.legacy_system = ?
      ORDER BY 1, 2, 3`,
    [system],
  );
  const people = new Map<number, Array<{ courseId: number; year: number }>>();
  for (const r of rows) {
    const id = Number(r.professional_id);
    (people.get(id) ?? people.set(id, []).get(id)!).push({ courseId: Number(r.course_id), year: r.yr });
  }
  const because = `completions of this course from ${system} were imported`;
  for (const [professionalId, courseYears] of people) {
    await db.transaction(async (trx) => {
      const wasCompliant = await compliantBefore(trx, professionalId);
      const changes: RecordChange[] = [];
      for (const { courseId, year } of courseYears)
        changes.push(...(await redecideCourseYear(trx, professionalId, courseId, year, { ...by, because })));
      if (changes.length > 0) await afterChange(trx, changes[0]!.after, changes, wasCompliant, { ...by, because });
    });
  }
  return rows.length;
}

/** The stored compliant flag before a change (null when never computed), to tell a turn. */
async function compliantBefore(trx: Knex.Transaction, professionalId: number): Promise<boolean | null> {
  const row = await trx('compliance_results')
    .where({ professional_id: professionalId })
    .first<{ compliant: boolean } | undefined>('compliant');
  return row ? row.compliant : null;
}

/**
 * After records change: today's compliance, and the deadlines to wake. When credit was decided
 * again (or the registry corrected or voided a record) every open deadline of the person is woken,
 * since any of them may now be met or unmet; otherwise those the new record may meet. The person
 * is told (in the app and by email) of a correction or void, and of a re-decision that turned
 * their compliance.
 */
async function afterChange(
  trx: Knex.Transaction,
  record: TrainingRecordRow,
  changes: RecordChange[],
  wasCompliant: boolean | null,
  by: Redecision,
  told?: { kind: 'corrected' | 'voided'; reason: string; versionId: number },
): Promise<Omit<RecordedTraining, 'record'> & { changes: RecordChange[]; turned: boolean }> {
  const compliance = await refreshCompliance(trx, record.professional_id);
  const compliantNow = summarize(compliance).compliant;
  const turned = wasCompliant !== null && wasCompliant !== compliantNow && (changes.length > 0 || told !== undefined);
  const deadlinesToWake =
    changes.length > 0 || told
      ? (await deadlinesOf(trx, record.professional_id)).filter((d) => d.status === 'open' || d.status === 'overdue')
      : Number(record.credited_hours) > 0
        ? await unmetDeadlinesForTopic(trx, record.professional_id, record.topic)
        : [];
  if (told || turned) {
    const subject = told ? record : (changes[0]?.after ?? record);
    await tellPerson(trx, subject, {
      kind: told?.kind ?? 'redecided',
      reason: told?.reason ?? by.because,
      compliantNow: turned ? compliantNow : null,
      publicUrl: by.publicUrl,
      // The kept version names the cause: the same change never tells twice.
      key: `training-record-version-${told?.versionId ?? changes[0]?.versionId ?? record.id}-${told ? told.kind : 'turned'}`,
    });
  }
  return { compliance, deadlinesToWake, changes, turned };
}

/** In the app and by email, in the person's language. */
async function tellPerson(
  trx: Knex.Transaction,
  record: TrainingRecordRow,
  f: {
    kind: TrainingRecordChangeKind;
    reason: string;
    compliantNow: boolean | null;
    publicUrl?: string;
    key: string;
  },
): Promise<void> {
  await tellAboutRecord(trx, record, f.publicUrl ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000', {
    key: f.key,
    template: 'training-record-notice',
    compose: (language, person) =>
      trainingRecordNotice(language, {
        ...person,
        kind: f.kind,
        title: record.title,
        completedOn: record.completed_on,
        reason: f.reason,
        compliantNow: f.compliantNow,
      }),
  });
}

/**
 * Records a completed training. `db` may be a transaction of the caller's (attendance issues many
 * records in one); the record, its credit and the new compliance are written together either way.
 */
export async function recordTraining(
  db: Db,
  input: CompletedTraining,
  by: ChangedBy = { actorUserId: null },
): Promise<RecordedTraining & { changes: RecordChange[]; turned: boolean }> {
  return db.transaction(async (trx) => {
    const wasCompliant = await compliantBefore(trx, input.professionalId);
    const { professional, course, hours, credit, certified } = await decide(trx, input);
    const record = await insertTrainingRecord(trx, {
      professionalId: professional.id,
      courseId: course.id,
      eventId: input.eventId ?? null,
      title: course.title,
      topic: course.topic,
      completedOn: input.completedOn,
      hours,
      source: input.source,
      credit,
      circumstances: { ...input, cprModel: course.cpr_model, trainerHasInstructorCertification: certified },
    });
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.created',
      entity: 'training_record',
      entityId: record.id,
      after: record,
      requestId: by.requestId ?? null,
    });
    const because = `a completion of "${course.title}" on ${input.completedOn} was recorded (record ${record.id})`;
    const changes = (await redecideAround(trx, [record], { ...by, because })).filter((c) => c.after.id !== record.id);
    const current = await trx('training_records').where({ id: record.id }).first<TrainingRecordRow>();
    const after = await afterChange(trx, current, changes, wasCompliant, { ...by, because });
    return { record: current, ...after };
  });
}

/**
 * Corrects a record (attendance changed after it was issued): the credit is decided again, as if
 * the training were recorded afresh, and the change is audited with the reason given.
 */
export async function correctTraining(
  db: Db,
  recordId: number,
  input: CompletedTraining,
  by: ChangedBy & { reason: string },
): Promise<RecordedTraining> {
  return db.transaction(async (trx) => {
    const before = await trx('training_records')
      .where({ id: recordId })
      .forUpdate()
      .first<TrainingRecordRow | undefined>();
    if (!before) throw new DomainError('NotFound', `No training record with id ${recordId}`);
    const wasCompliant = await compliantBefore(trx, before.professional_id);
    const { hours, credit, certified } = await decide(trx, input);
    const [record] = await trx('training_records')
      .where({ id: recordId })
      .update({
        completed_on: input.completedOn,
        hours,
        credited_hours: credit.creditedHours,
        credit_rule_set: credit.ruleSet,
        credit_rule_set_version: credit.version,
        credit_reasons: JSON.stringify(credit.reasons),
        trainer_has_instructor_certification: certified,
      })
      .returning('*');
    await keepVersion(trx, before, 'corrected', by.reason, by.actorUserId);
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.corrected',
      entity: 'training_record',
      entityId: recordId,
      before,
      after: { ...record, reason: by.reason },
      requestId: by.requestId ?? null,
    });
    const because = `record ${recordId} was corrected to ${input.completedOn} (${by.reason})`;
    const changes = await redecideAround(trx, [before, record as TrainingRecordRow], { ...by, because });
    const current = await trx('training_records').where({ id: recordId }).first<TrainingRecordRow>();
    const after = await afterChange(
      trx,
      current,
      changes.filter((c) => c.after.id !== recordId),
      wasCompliant,
      { ...by, because },
    );
    return { record: current, compliance: after.compliance, deadlinesToWake: after.deadlinesToWake };
  });
}

/** Withdraws a record whose attendance was corrected to none; refused once it met a deadline. */
export async function withdrawTraining(
  db: Db,
  recordId: number,
  by: ChangedBy & { reason: string },
): Promise<{ compliance: ComplianceReport }> {
  return db.transaction(async (trx) => {
    const before = await trx('training_records')
      .where({ id: recordId })
      .forUpdate()
      .first<TrainingRecordRow | undefined>();
    if (!before) throw new DomainError('NotFound', `No training record with id ${recordId}`);
    const met = await trx('deadlines')
      .where({ met_by_training_record_id: recordId })
      .first<{ label: string } | undefined>('label');
    if (met) {
      throw new DomainError(
        'Conflict',
        `This training already met the deadline "${met.label}"; an administrator must reopen that deadline before the attendance can be withdrawn`,
      );
    }
    await trx('training_records').where({ id: recordId }).delete();
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.withdrawn',
      entity: 'training_record',
      entityId: recordId,
      before,
      after: { reason: by.reason },
      requestId: by.requestId ?? null,
    });
    await redecideAround(trx, [before], {
      ...by,
      because: `record ${recordId} of ${before.completed_on} was withdrawn (${by.reason})`,
    });
    return { compliance: await refreshCompliance(trx, before.professional_id) };
  });
}

/** A correction by the registry: any of the completion date, the hours and the course. */
export interface RecordCorrection {
  completedOn?: string;
  hours?: number;
  courseId?: number;
  reason: string;
}

/** The record, locked, and still standing (not voided). */
async function standingRecord(trx: Knex.Transaction, recordId: number): Promise<TrainingRecordRow> {
  const before = await trx('training_records')
    .where({ id: recordId })
    .forUpdate()
    .first<TrainingRecordRow | undefined>();
  if (!before) throw new DomainError('NotFound', `No training record with id ${recordId}`);
  if (before.voided_at) throw new DomainError('Conflict', 'This training record is voided; it cannot be changed');
  return before;
}

const DAY_MS = 86_400_000;

/**
 * Corrects any training record (an admin, or a reviewer for a record from an individual request):
 * its date, hours or course. The earlier version is kept with the reason, the change audited,
 * the record's credit and every credit whose history it changes decided again, compliance
 * refreshed, and the person told. An online completion's times move with its date.
 */
export async function correctRecord(
  db: Db,
  recordId: number,
  correction: RecordCorrection,
  by: ChangedBy,
): Promise<RecordedTraining & { changes: RecordChange[]; turned: boolean }> {
  return db.transaction(async (trx) => {
    const before = await standingRecord(trx, recordId);
    const courseId = correction.courseId ?? before.course_id;
    if (courseId === null)
      throw new DomainError('Invalid', 'This record names no course; choose the course it was', 'courseId');
    const wasCompliant = await compliantBefore(trx, before.professional_id);
    const completedOn = correction.completedOn ?? before.completed_on;
    const shift = daysBetween(before.completed_on, completedOn) * DAY_MS;
    const moved = (at: Date | null) => (at ? new Date(new Date(at).getTime() + shift) : null);
    const courseChanged = Number(courseId) !== Number(before.course_id);
    const input: CompletedTraining = {
      professionalId: before.professional_id,
      courseId,
      completedOn,
      // A new course without new hours: all of its clock hours (decide's default).
      hours: correction.hours ?? (courseChanged ? undefined : Number(before.hours)),
      source: before.source,
      eventId: before.event_id,
      registeredOn: before.registered_on,
      startedAt: moved(before.started_at),
      completedAt: moved(before.completed_at),
      inRatio: before.in_ratio,
      usedForGroup: before.used_for_group,
    };
    // Decided without its own earlier self in the history.
    await trx('training_records')
      .where({ id: recordId })
      .update({ started_at: null, completed_at: null, credited_hours: 0 });
    const { course, hours, credit, certified } = await decide(trx, input);
    const [record] = await trx('training_records')
      .where({ id: recordId })
      .update({
        course_id: course.id,
        title: course.title,
        topic: course.topic,
        cpr_model: course.cpr_model,
        completed_on: completedOn,
        hours,
        started_at: input.startedAt,
        completed_at: input.completedAt,
        credited_hours: credit.creditedHours,
        credit_rule_set: credit.ruleSet,
        credit_rule_set_version: credit.version,
        credit_reasons: JSON.stringify(credit.reasons),
        trainer_has_instructor_certification: certified,
      })
      .returning('*');
    const versionId = await keepVersion(trx, before, 'corrected', correction.reason, by.actorUserId);
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.corrected',
      entity: 'training_record',
      entityId: recordId,
      before,
      after: { ...record, reason: correction.reason },
      requestId: by.requestId ?? null,
    });
    const because = `record ${recordId} ("${before.title}", ${before.completed_on}) was corrected: ${correction.reason}`;
    const changes = await redecideAround(trx, [before, record as TrainingRecordRow], { ...by, because });
    // A deadline it met is met again by what meets it now (itself, when it still does).
    const settled = await trx('training_records').where({ id: recordId }).first<TrainingRecordRow>();
    if (Number(settled.credited_hours) === 0 || settled.topic !== before.topic)
      await remeetDeadlinesOf(trx, before, { ...by, because });
    const current = await trx('training_records').where({ id: recordId }).first<TrainingRecordRow>();
    const after = await afterChange(
      trx,
      current,
      changes.filter((c) => c.after.id !== recordId),
      wasCompliant,
      { ...by, because },
      { kind: 'corrected', reason: correction.reason, versionId },
    );
    return { record: current, ...after };
  });
}

/**
 * Voids a training record entered in error: it stays on the transcript, marked voided with the
 * reason, earns nothing and takes no place in any other record's history. The earlier version is
 * kept, the void audited, credit and compliance decided again, and the person told.
 */
export async function voidRecord(
  db: Db,
  recordId: number,
  reason: string,
  by: ChangedBy,
): Promise<RecordedTraining & { changes: RecordChange[]; turned: boolean }> {
  return db.transaction(async (trx) => {
    const before = await standingRecord(trx, recordId);
    const wasCompliant = await compliantBefore(trx, before.professional_id);
    const [record] = await trx('training_records')
      .where({ id: recordId })
      .update({
        voided_at: trx.fn.now(),
        voided_by_user_id: by.actorUserId,
        void_reason: reason,
        credited_hours: 0,
        credit_reasons: JSON.stringify([
          { ruleId: 'registry.void', code: 'record-voided', text: `This record was voided: ${reason}` },
        ]),
      })
      .returning('*');
    const versionId = await keepVersion(trx, before, 'voided', reason, by.actorUserId);
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.voided',
      entity: 'training_record',
      entityId: recordId,
      before,
      after: { ...record, reason },
      requestId: by.requestId ?? null,
    });
    const because = `record ${recordId} ("${before.title}", ${before.completed_on}) was voided: ${reason}`;
    if (Number(before.credited_hours) > 0) await remeetDeadlinesOf(trx, before, { ...by, because });
    const changes = await redecideAround(trx, [before], { ...by, because });
    const current = record as TrainingRecordRow;
    const after = await afterChange(
      trx,
      current,
      changes,
      wasCompliant,
      { ...by, because },
      {
        kind: 'voided',
        reason,
        versionId,
      },
    );
    return { record: current, ...after };
  });
}

/** The earlier versions of a record, newest first. */
export async function versionsOf(db: Db, recordId: number) {
  return trainingRecordVersions(db, recordId);
}
