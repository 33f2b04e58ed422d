/** The professional's profile beyond name and contact: education, credentials, self-assessments. */
import type { Db } from './connection.js';
import type { CredentialRow, EducationRow } from './rows.js';
import type { CardVerification, CredentialKind, DegreeLevel, EducationKind } from '../rules/domain.js';

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

/** A card waiting for a reviewer, with whose it is. */
export interface CardAwaitingVerification extends CredentialRow {
  mopd_id: string;
  first_name: string;
  last_name: string;
}

/** Cards no reviewer has looked at yet, oldest first: the reviewers' queue. */
export function cardsAwaitingVerification(db: Db, limit = 200): Promise<CardAwaitingVerification[]> {
  return db('credentials as c')
    .join('professionals as p', 'p.id', 'c.professional_id')
    .where('c.verification', 'unverified')
    .orderBy([{ column: 'c.created_at' }, { column: 'c.id' }])
    .limit(limit)
    .select('c.*', 'p.mopd_id', 'p.first_name', 'p.last_name');
}

/** Records a reviewer's word on a card still unverified; undefined when it was already decided. */
export async function setCardVerification(
  db: Db,
  id: number,
  input: {
    verification: Exclude<CardVerification, 'unverified'>;
    reviewerUserId: number;
    note: string | null;
    at: Date;
  },
): Promise<CredentialRow | undefined> {
  const [row] = await db('credentials')
    .where({ id, verification: 'unverified' })
    .update({
      verification: input.verification,
      verified_by_user_id: input.reviewerUserId,
      verified_at: input.at,
      verification_note: input.note,
    })
    .returning('*');
  return row as CredentialRow | undefined;
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

/** Whether an upload is the scan of a CPR/First Aid card (reviewers read it to verify the card). */
export async function isCardScan(db: Db, uploadId: string): Promise<boolean> {
  return (await db('credentials').where({ upload_id: uploadId }).first('id')) !== undefined;
}
