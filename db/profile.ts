/** The professional's profile beyond name and contact: education, credentials, self-assessments. */
import type { Db } from './connection.js';
import type { CredentialRow, EducationRow } from './rows.js';
import type { CredentialKind, DegreeLevel, EducationKind } from '../rules/domain.js';

export interface NewEducation {
  kind: EducationKind;
  title: string;
  institution?: string;
  field?: string;
  degreeLevel?: DegreeLevel | null;
  creditHours?: number | null;
  completedOn?: string | null;
  uploadId?: string | null;
}

export async function addEducation(db: Db, professionalId: number, input: NewEducation): Promise<EducationRow> {
  const [row] = await db('education')
    .insert({
      professional_id: professionalId,
      kind: input.kind,
      title: input.title,
      institution: input.institution ?? '',
      field: input.field ?? '',
      degree_level: input.degreeLevel ?? null,
      credit_hours: input.creditHours ?? null,
      completed_on: input.completedOn ?? null,
      upload_id: input.uploadId ?? null,
    })
    .returning('*');
  return row as EducationRow;
}

export function educationOf(db: Db, professionalId: number): Promise<EducationRow[]> {
  return db('education')
    .where({ professional_id: professionalId })
    .orderBy([{ column: 'completed_on', order: 'desc', nulls: 'last' }, { column: 'id' }]);
}

export interface NewCredential {
  kind: CredentialKind;
  issuer: string;
  issuedOn: string;
  expiresOn: string;
  uploadId?: string | null;
}

export async function addCredential(db: Db, professionalId: number, input: NewCredential): Promise<CredentialRow> {
  const [row] = await db('credentials')
    .insert({
      professional_id: professionalId,
      kind: input.kind,
      issuer: input.issuer,
      issued_on: input.issuedOn,
      expires_on: input.expiresOn,
      upload_id: input.uploadId ?? null,
    })
    .returning('*');
  return row as CredentialRow;
}

export function findCredential(db: Db, id: number): Promise<CredentialRow | undefined> {
  return db('credentials').where({ id }).first();
}

export function credentialsOf(db: Db, professionalId: number): Promise<CredentialRow[]> {
  return db('credentials')
    .where({ professional_id: professionalId })
    .orderBy([
      { column: 'expires_on', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
}

/** The credential that renews another: the same person and kind, issued later, expiring later. */
export function renewalOf(db: Db, credential: CredentialRow): Promise<CredentialRow | undefined> {
  return db('credentials')
    .where({ professional_id: credential.professional_id, kind: credential.kind })
    .whereNot({ id: credential.id })
    .where('expires_on', '>', credential.expires_on)
    .orderBy([{ column: 'issued_on' }, { column: 'id' }])
    .first();
}

/** Each listed person's latest credential of a kind as it stood on a date (issued by then). */
export async function latestCredentials(
  db: Db,
  professionalIds: number[],
  kind: CredentialKind,
  on: string,
): Promise<Map<number, CredentialRow>> {
  const rows: CredentialRow[] = await db('credentials')
    .distinctOn('professional_id')
    .whereIn('professional_id', professionalIds)
    .where({ kind })
    .where('issued_on', '<=', on)
    .orderBy([{ column: 'professional_id' }, { column: 'expires_on', order: 'desc' }, { column: 'id', order: 'desc' }]);
  return new Map(rows.map((r) => [r.professional_id, r]));
}

export interface SelfAssessmentRow {
  id: number;
  professional_id: number;
  taken_on: string;
  answers: Record<string, unknown>;
  instrument_version: string;
  created_at: Date;
}

export function selfAssessmentsOf(db: Db, professionalId: number): Promise<SelfAssessmentRow[]> {
  return db('self_assessments').where({ professional_id: professionalId }).orderBy('taken_on', 'desc');
}

/** What the career rules read about a person: highest degree, credentials, coursework, lifetime hours. */
export async function careerFactsOf(db: Db, professionalId: number) {
  const [education, hours] = await Promise.all([
    educationOf(db, professionalId),
    db('training_records')
      .where({ professional_id: professionalId })
      .sum<{ total: number | null }>({ total: 'credited_hours' })
      .first(),
  ]);
  return { education, lifetimeCreditedHours: Number(hours?.total ?? 0) };
}
