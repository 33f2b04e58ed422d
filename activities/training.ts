/** Recording completed training: the credit decision, the record and the new compliance, together. */
import type { Db } from '../db/connection.js';
import { findCourse, insertTrainingRecord } from '../db/trainingRecords.js';
import { findProfessional } from '../db/professionals.js';
import { unmetDeadlinesForTopic } from '../db/deadlines.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import type { DeadlineRow, TrainingRecordRow } from '../db/rows.js';
import type { TrainingSource } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { refreshCompliance, type ComplianceReport } from './compliance.js';
import { DomainError } from './errors.js';
import { audit } from '../db/audit.js';
import { creditFacts, type TrainingCircumstances } from './credit.js';

export interface CompletedTraining extends TrainingCircumstances {
  professionalId: number;
  courseId: number;
  completedOn: string;
  /** Hours attended, when less than the course's clock hours. */
  hours?: number;
  source: TrainingSource;
}

export interface RecordedTraining {
  record: TrainingRecordRow;
  compliance: ComplianceReport;
  /** Deadlines this training may meet; their workflows are told after the commit. */
  deadlinesToWake: DeadlineRow[];
}

export async function recordTraining(
  db: Db,
  input: CompletedTraining,
  by: { actorUserId: number | null; requestId?: string } = { actorUserId: null },
): Promise<RecordedTraining> {
  return db.transaction(async (trx) => {
    const professional = await findProfessional(trx, input.professionalId);
    if (!professional) throw new DomainError('NotFound', `No professional with id ${input.professionalId}`, 'professionalId');
    const course = await findCourse(trx, input.courseId);
    if (!course) throw new DomainError('Invalid', `No course with id ${input.courseId}`, 'courseId');
    const hours = input.hours ?? course.clock_hours;
    if (hours > course.clock_hours) {
      throw new DomainError('Invalid', `Hours attended (${hours}) exceed the course's ${course.clock_hours} clock hours`, 'hours');
    }
    const rules = await ruleSetInEffect(trx, COMPLIANCE_RULE_SET, input.completedOn);
    const credit = await rules.decideCredit(await creditFacts(trx, { ...input, professionalId: professional.id, course, hours }));
    const record = await insertTrainingRecord(trx, {
      professionalId: professional.id,
      courseId: course.id,
      title: course.title,
      topic: course.topic,
      completedOn: input.completedOn,
      hours,
      source: input.source,
      credit,
      circumstances: { ...input, cprModel: course.cpr_model },
    });
    await audit(trx, { actorUserId: by.actorUserId, action: 'training_record.created', entity: 'training_record', entityId: record.id, after: record, requestId: by.requestId ?? null });
    const compliance = await refreshCompliance(trx, professional.id);
    const deadlinesToWake = record.credited_hours > 0 ? await unmetDeadlinesForTopic(trx, professional.id, record.topic) : [];
    return { record, compliance, deadlinesToWake };
  });
}
