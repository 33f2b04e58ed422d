/** Awarded micro-credentials: written when an assessor approves the evidence, read by the profile, the transcript and the public verification page. */
import type { Knex } from 'knex';
import type { Db } from './connection.js';
import { TOPICS, type AwardedCredentialStatus, type Topic } from '../rules/domain.js';
import { awardStatus } from '../rules/microCredentials.js';
import { localDateOf, type LocalDate } from '../rules/dates.js';

export interface AwardedCredentialRow {
  id: number;
  professional_id: number;
  case_id: number;
  credential_id: string;
  catalog_version: string;
  title: string;
  area: Topic;
  competency: string;
  verification_code: string;
  awarded_on: string;
  expires_on: string | null;
  revoked_at: Date | null;
  revoked_by_user_id: number | null;
  revoked_reason: string;
  created_at: Date;
}

/** An award as the holder and those who see their record read it, with the public link. */
export interface AwardedCredential {
  id: number;
  caseId: number;
  credentialId: string;
  title: string;
  area: Topic;
  areaLabel: string;
  awardedOn: string;
  expiresOn: string | null;
  status: AwardedCredentialStatus;
  revokedReason: string | null;
  verificationCode: string;
  verificationUrl: string;
}

/** What anyone with the link reads: the holder's name and the credential, nothing private. */
export interface CredentialVerification {
  holder: string;
  credential: { id: string; title: string; area: Topic; areaLabel: string; competency: string };
  awardedOn: string;
  expiresOn: string | null;
  status: AwardedCredentialStatus;
  revokedOn: string | null;
}

export const verificationUrl = (publicUrl: string, code: string) => `${publicUrl}/verify/${code}`;

export function presentAward(row: AwardedCredentialRow, publicUrl: string, today: LocalDate): AwardedCredential {
  return {
    id: row.id,
    caseId: row.case_id,
    credentialId: row.credential_id,
    title: row.title,
    area: row.area,
    areaLabel: TOPICS[row.area],
    awardedOn: row.awarded_on,
    expiresOn: row.expires_on,
    status: awardStatus({ expiresOn: row.expires_on, revoked: row.revoked_at !== null }, today),
    revokedReason: row.revoked_at ? row.revoked_reason : null,
    verificationCode: row.verification_code,
    verificationUrl: verificationUrl(publicUrl, row.verification_code),
  };
}

/** Writes an award once per case (a retried activity finds it there). */
export async function insertAwardedCredential(
  trx: Knex.Transaction,
  award: Pick<
    AwardedCredentialRow,
    | 'professional_id'
    | 'case_id'
    | 'credential_id'
    | 'catalog_version'
    | 'title'
    | 'area'
    | 'competency'
    | 'verification_code'
    | 'awarded_on'
    | 'expires_on'
  >,
): Promise<AwardedCredentialRow> {
  await trx('awarded_credentials').insert(award).onConflict('case_id').ignore();
  return trx('awarded_credentials').where({ case_id: award.case_id }).first() as Promise<AwardedCredentialRow>;
}

export function awardedCredentialsOf(
  db: Db | Knex.Transaction,
  professionalId: number,
): Promise<AwardedCredentialRow[]> {
  return db('awarded_credentials')
    .where({ professional_id: professionalId })
    .orderBy([
      { column: 'awarded_on', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
}

export function findAwardedCredential(
  db: Db | Knex.Transaction,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<AwardedCredentialRow | undefined> {
  const query = db('awarded_credentials').where({ id }).first();
  return (options.forUpdate ? query.forUpdate() : query) as Promise<AwardedCredentialRow | undefined>;
}

/** A credential's public record by its verification code; undefined for an unknown code. */
export async function verifyCredential(
  db: Db,
  code: string,
  today: LocalDate,
): Promise<CredentialVerification | undefined> {
  const row = await db('awarded_credentials as a')
    .join('professionals as p', 'p.id', 'a.professional_id')
    .where('a.verification_code', code)
    .first<(AwardedCredentialRow & { first_name: string; last_name: string }) | undefined>(
      'a.*',
      'p.first_name',
      'p.last_name',
    );
  if (!row) return undefined;
  return {
    holder: `${row.first_name} ${row.last_name}`,
    credential: {
      id: row.credential_id,
      title: row.title,
      area: row.area,
      areaLabel: TOPICS[row.area],
      competency: row.competency,
    },
    awardedOn: row.awarded_on,
    expiresOn: row.expires_on,
    status: awardStatus({ expiresOn: row.expires_on, revoked: row.revoked_at !== null }, today),
    revokedOn: row.revoked_at ? localDateOf(row.revoked_at) : null,
  };
}

/** Whether the person holds this credential now (awarded, not revoked, not past its last day). */
export async function holdsCredential(
  db: Db | Knex.Transaction,
  professionalId: number,
  credentialId: string,
  today: LocalDate,
): Promise<boolean> {
  const row = await db('awarded_credentials')
    .where({ professional_id: professionalId, credential_id: credentialId })
    .whereNull('revoked_at')
    .where((w) => w.whereNull('expires_on').orWhere('expires_on', '>=', today))
    .first('id');
  return row !== undefined;
}

/** Marks an award revoked, by whom and why (its verification page then says revoked). */
export async function markCredentialRevoked(
  trx: Db | Knex.Transaction,
  id: number,
  by: { userId: number; reason: string },
): Promise<void> {
  await trx('awarded_credentials')
    .where({ id })
    .update({ revoked_at: trx.fn.now(), revoked_by_user_id: by.userId, revoked_reason: by.reason });
}
