/**
 * Taking the self-assessment and reading its history: each assessment's profile (area scores,
 * strengths, growth areas) and its change from the one before.
 */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import type { SelfAssessmentRow } from '../db/profile.js';
import { insertSelfAssessment, latestSelfAssessmentOf, selfAssessmentHistoryOf } from '../db/selfAssessments.js';
import {
  answerProblems,
  changeBetween,
  CURRENT_INSTRUMENT,
  INSTRUMENTS,
  profileOf,
  type Answers,
  type AreaChange,
  type AssessmentProfile,
} from '../rules/selfAssessment.js';
import type { LocalDate } from '../rules/dates.js';
import { DomainError } from './errors.js';

export interface AssessmentTaken {
  id: number;
  takenOn: LocalDate;
  instrumentVersion: string;
  answers: Answers;
  profile: AssessmentProfile;
  /** Area by area against the assessment before it; null for the first. */
  change: AreaChange[] | null;
}

/** The profile a stored assessment gives, read with the instrument version it was taken with. */
export function storedProfile(row: SelfAssessmentRow): AssessmentProfile {
  const instrument = INSTRUMENTS.get(row.instrument_version);
  if (!instrument)
    throw new Error(
      `Self-assessment ${row.id} was taken with ${row.instrument_version}, which this code does not know`,
    );
  return profileOf(instrument, row.answers as Answers);
}

/** Records an assessment with the current instrument; answers are checked again here, whoever calls. */
export async function takeSelfAssessment(
  db: Db,
  input: { professionalId: number; answers: Answers; takenOn: LocalDate; byUserId: number; requestId?: string },
): Promise<AssessmentTaken> {
  const problems = answerProblems(CURRENT_INSTRUMENT, input.answers);
  if (problems.length > 0)
    throw new DomainError('Invalid', problems[0]!.message, `answers.${problems[0]!.statementId}`);
  return db.transaction(async (trx) => {
    const previous = await latestSelfAssessmentOf(trx, input.professionalId);
    const row = await insertSelfAssessment(trx, {
      professionalId: input.professionalId,
      takenOn: input.takenOn,
      instrumentVersion: CURRENT_INSTRUMENT.version,
      answers: input.answers,
    });
    await audit(trx, {
      actorUserId: input.byUserId,
      action: 'self_assessment.taken',
      entity: 'self_assessment',
      entityId: row.id,
      after: { instrumentVersion: row.instrument_version },
      requestId: input.requestId ?? null,
    });
    const profile = storedProfile(row);
    return {
      id: row.id,
      takenOn: row.taken_on,
      instrumentVersion: row.instrument_version,
      answers: input.answers,
      profile,
      change: previous ? changeBetween(storedProfile(previous), profile) : null,
    };
  });
}

/** Every assessment a person took, newest first, each with its change from the one before. */
export async function selfAssessmentHistory(db: Db, professionalId: number): Promise<AssessmentTaken[]> {
  const rows = await selfAssessmentHistoryOf(db, professionalId);
  let previous: AssessmentProfile | null = null;
  const history: AssessmentTaken[] = [];
  for (const row of rows) {
    const profile = storedProfile(row);
    history.push({
      id: row.id,
      takenOn: row.taken_on,
      instrumentVersion: row.instrument_version,
      answers: row.answers as Answers,
      profile,
      change: previous ? changeBetween(previous, profile) : null,
    });
    previous = profile;
  }
  return history.reverse();
}

/** The growth areas of a person's latest assessment (none when they have not taken one). */
export async function latestProfile(
  db: Db,
  professionalId: number,
): Promise<{ takenOn: LocalDate; profile: AssessmentProfile } | null> {
  const row = await latestSelfAssessmentOf(db, professionalId);
  return row ? { takenOn: row.taken_on, profile: storedProfile(row) } : null;
}
