/** Self-assessments as stored: one row per assessment taken, answers by statement id. */
import type { Db } from './connection.js';
import type { SelfAssessmentRow } from './profile.js';

export async function insertSelfAssessment(
  db: Db,
  input: { professionalId: number; takenOn: string; instrumentVersion: string; answers: Record<string, number> },
): Promise<SelfAssessmentRow> {
  const [row] = await db('self_assessments')
    .insert({
      professional_id: input.professionalId,
      taken_on: input.takenOn,
      instrument_version: input.instrumentVersion,
      answers: JSON.stringify(input.answers),
    })
    .returning('*');
  return row as SelfAssessmentRow;
}

/** A person's assessments, oldest first (the order change over time is read in). */
export function selfAssessmentHistoryOf(db: Db, professionalId: number): Promise<SelfAssessmentRow[]> {
  return db('self_assessments')
    .where({ professional_id: professionalId })
    .orderBy([{ column: 'taken_on' }, { column: 'id' }]);
}

export function latestSelfAssessmentOf(db: Db, professionalId: number): Promise<SelfAssessmentRow | undefined> {
  return db('self_assessments')
    .where({ professional_id: professionalId })
    .orderBy([
      { column: 'taken_on', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first();
}
