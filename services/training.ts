/** Recording completed training: the credit decision, the record and the new compliance, together. */
import type { Db } from '../db/connection.js';
import { findCourse, firstCreditedTrainingOnTopic, insertTrainingRecord } from '../db/trainingRecords.js';
import { findProfessional } from '../db/professionals.js';
import { unmetDeadlinesForTopic, updateDeadline } from '../db/deadlines.js';
import { ruleSetInEffect, ruleSetVersion } from '../db/ruleSets.js';
import type { DeadlineRow, TrainingRecordRow } from '../db/rows.js';
import type { TrainingSource } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { refreshCompliance, type ComplianceReport } from './compliance.js';
import { DomainError } from './errors.js';
import { audit } from '../db/audit.js';
import { creditFacts, type ReportedCircumstances } from './credit.js';
import type { Knex } from 'knex';
import type { CreditDecision } from '../rules/engine.js';
import { dateOf, yearOf } from '../rules/dates.js';

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

/** Why a credit was decided again, in the audit log next to the earlier decision. */
type Redecision = { actorUserId: number | null; requestId?: string; because: string };

const sameDecision = (row: TrainingRecordRow, credit: CreditDecision) =>
  Number(row.credited_hours) === credit.creditedHours &&
  row.credit_rule_set_version === credit.version &&
  row.credit_reasons.map((r) => `${r.ruleId}:${r.code}`).join(',') ===
    credit.reasons.map((r) => `${r.ruleId}:${r.code}`).join(',');

/**
 * Decides again, in date order, the person's records of a course in one calendar year. Whether a
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
): Promise<void> {
  if (courseId === null) return;
  const course = await findCourse(trx, courseId);
  if (!course) return;
  const records: TrainingRecordRow[] = await trx('training_records')
    .where({ professional_id: professionalId, course_id: courseId })
    .whereBetween('completed_on', [dateOf(year, 1, 1), dateOf(year, 12, 31)])
    .orderBy([{ column: 'completed_on' }, { column: 'id' }])
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
    await audit(trx, {
      actorUserId: by.actorUserId,
      action: 'training_record.redecided',
      entity: 'training_record',
      entityId: before.id,
      before,
      after: { ...after, reason: `re-decided because ${by.because}` },
      requestId: by.requestId ?? null,
    });
    if (credit.creditedHours === 0) await remeetDeadlinesOf(trx, before, by);
  }
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
 * imported completion of an earlier date were decided without it; they are decided again (each
 * person, course and year in its own transaction). Compliance is left to the import's refresh.
 */
export async function redecideAfterImport(db: Db, system: string, by: { actorUserId: number | null }): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ professional_id: string; course_id: string; yr: number }> }>(
    `SELECT DISTINCT i.professional_id, i.course_id, extract(year FROM i.completed_on)::int AS yr
       FROM training_records i
       JOIN training_records o ON o.professional_id = i.professional_id AND o.course_id = i.course_id
        AND o.completed_on > i.completed_on AND o.completed_on <= make_date(extract(year FROM i.completed_on)::int, 12, 31)
      WHERE i.legacy_system = ? AND o.legacy_system IS DISTINCT FROM ?`,
    [system, system],
  );
  for (const r of rows) {
    await db.transaction((trx) =>
      redecideCourseYear(trx, Number(r.professional_id), Number(r.course_id), r.yr, {
        ...by,
        because: `completions of this course from ${system} were imported`,
      }),
    );
  }
  return rows.length;
}

/** After a record changes: today's compliance, and the deadlines the record may now meet. */
async function afterChange(db: Db, record: TrainingRecordRow): Promise<Omit<RecordedTraining, 'record'>> {
  const compliance = await refreshCompliance(db, record.professional_id);
  const deadlinesToWake =
    record.credited_hours > 0 ? await unmetDeadlinesForTopic(db, record.professional_id, record.topic) : [];
  return { compliance, deadlinesToWake };
}

/**
 * Records a completed training. `db` may be a transaction of the caller's (attendance issues many
 * records in one); the record, its credit and the new compliance are written together either way.
 */
export async function recordTraining(
  db: Db,
  input: CompletedTraining,
  by: { actorUserId: number | null; requestId?: string } = { actorUserId: null },
): Promise<RecordedTraining> {
  return db.transaction(async (trx) => {
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
    await redecideCourseYear(trx, professional.id, course.id, yearOf(input.completedOn), {
      ...by,
      because: `a completion of "${course.title}" on ${input.completedOn} was recorded (record ${record.id})`,
    });
    const current = await trx('training_records').where({ id: record.id }).first<TrainingRecordRow>();
    return { record: current, ...(await afterChange(trx, current)) };
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
  by: { actorUserId: number | null; requestId?: string; reason: string },
): Promise<RecordedTraining> {
  return db.transaction(async (trx) => {
    const before = await trx('training_records')
      .where({ id: recordId })
      .forUpdate()
      .first<TrainingRecordRow | undefined>();
    if (!before) throw new DomainError('NotFound', `No training record with id ${recordId}`);
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
    for (const year of new Set([yearOf(before.completed_on), yearOf(input.completedOn)])) {
      await redecideCourseYear(trx, before.professional_id, before.course_id, year, { ...by, because });
    }
    const current = await trx('training_records').where({ id: recordId }).first<TrainingRecordRow>();
    return { record: current, ...(await afterChange(trx, current)) };
  });
}

/** Withdraws a record whose attendance was corrected to none; refused once it met a deadline. */
export async function withdrawTraining(
  db: Db,
  recordId: number,
  by: { actorUserId: number | null; requestId?: string; reason: string },
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
    await redecideCourseYear(trx, before.professional_id, before.course_id, yearOf(before.completed_on), {
      ...by,
      because: `record ${recordId} of ${before.completed_on} was withdrawn (${by.reason})`,
    });
    return { compliance: await refreshCompliance(trx, before.professional_id) };
  });
}
