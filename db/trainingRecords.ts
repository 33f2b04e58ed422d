import type { Db } from './connection.js';
import type { TrainingRecordVersionTableRow } from './types/tableRows.js';
import type { CreditDecision } from '../rules/engine.js';
import type { TrainingSource } from '../rules/domain.js';
import type { CourseRow, TrainingRecordRow } from './rows.js';

export interface NewTrainingRecord {
  professionalId: number;
  courseId: number | null;
  eventId?: number | null;
  title: string;
  topic: string;
  completedOn: string;
  hours: number;
  source: TrainingSource;
  credit: CreditDecision;
  circumstances?: {
    registeredOn?: string | null;
    startedAt?: Date | null;
    completedAt?: Date | null;
    cprModel?: string | null;
    trainerHasInstructorCertification?: boolean | null;
    inRatio?: boolean;
    usedForGroup?: boolean;
  };
}

export async function insertTrainingRecord(db: Db, input: NewTrainingRecord): Promise<TrainingRecordRow> {
  const [row] = await db('training_records')
    .insert({
      professional_id: input.professionalId,
      course_id: input.courseId,
      event_id: input.eventId ?? null,
      title: input.title,
      topic: input.topic,
      completed_on: input.completedOn,
      hours: input.hours,
      source: input.source,
      credited_hours: input.credit.creditedHours,
      credit_rule_set: input.credit.ruleSet,
      credit_rule_set_version: input.credit.version,
      credit_reasons: JSON.stringify(input.credit.reasons),
      registered_on: input.circumstances?.registeredOn ?? null,
      started_at: input.circumstances?.startedAt ?? null,
      completed_at: input.circumstances?.completedAt ?? null,
      cpr_model: input.circumstances?.cprModel ?? null,
      trainer_has_instructor_certification: input.circumstances?.trainerHasInstructorCertification ?? null,
      in_ratio: input.circumstances?.inRatio ?? false,
      used_for_group: input.circumstances?.usedForGroup ?? false,
    })
    .returning('*');
  return row as TrainingRecordRow;
}

export function trainingRecordsOf(db: Db, professionalId: number): Promise<TrainingRecordRow[]> {
  return db('training_records')
    .where({ professional_id: professionalId })
    .orderBy([{ column: 'completed_on' }, { column: 'id' }]);
}

export function findCourse(db: Db, id: number): Promise<CourseRow | undefined> {
  return db('courses').where({ id }).first();
}

/** The earliest credited training on a topic completed on or after a date (what meets a deadline). */
export function firstCreditedTrainingOnTopic(
  db: Db,
  professionalId: number,
  topic: string,
  from: string,
): Promise<TrainingRecordRow | undefined> {
  return db('training_records')
    .where({ professional_id: professionalId, topic })
    .where('credited_hours', '>', 0)
    .where('completed_on', '>=', from)
    .orderBy([{ column: 'completed_on' }, { column: 'id' }])
    .first();
}

/** The hours and credit of the training record an event issued to a professional, when it has. */
export function recordOfEvent(
  db: Db,
  eventId: number,
  professionalId: number,
): Promise<Pick<TrainingRecordRow, 'hours' | 'credited_hours' | 'credit_reasons'> | undefined> {
  return db('training_records')
    .where({ event_id: eventId, professional_id: professionalId })
    .first<Pick<TrainingRecordRow, 'hours' | 'credited_hours' | 'credit_reasons'> | undefined>(
      'hours',
      'credited_hours',
      'credit_reasons',
    );
}

/** A record's earlier versions (corrections, voids, re-decisions), newest first. */
export type TrainingRecordVersionRow = TrainingRecordVersionTableRow;

export function trainingRecordVersions(db: Db, recordId: number): Promise<TrainingRecordVersionRow[]> {
  return db('training_record_versions')
    .where({ training_record_id: recordId })
    .orderBy([{ column: 'id', order: 'desc' }]);
}

/** Where a record came from and whose it is (the access policy of corrections). */
export function originOfTrainingRecord(
  db: Db,
  recordId: number,
): Promise<Pick<TrainingRecordRow, 'source' | 'professional_id'> | undefined> {
  return db('training_records')
    .where({ id: recordId })
    .first<Pick<TrainingRecordRow, 'source' | 'professional_id'> | undefined>('source', 'professional_id');
}
