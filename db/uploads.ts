/**
 * Uploaded files' rows: what a person keeps (the quota), adding one, and removing the ones no
 * record refers to (issue 16).
 */
import type { Db } from './connection.js';
import type { UploadPurpose } from '../rules/domain.js';

export interface UploadRow {
  id: string;
  owner_user_id: number;
  purpose: UploadPurpose;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
}

/** How many files one person may keep and how many bytes in all (`UPLOAD_QUOTA_FILES`, `UPLOAD_QUOTA_MB`). */
export interface UploadQuota {
  files: number;
  bytes: number;
}

export const DEFAULT_UPLOAD_QUOTA: UploadQuota = { files: 50, bytes: 50 * 1024 * 1024 };

/** The files a person keeps and their bytes. */
export async function uploadsKept(db: Db, ownerUserId: number): Promise<{ files: number; bytes: number }> {
  const row = await db('uploads')
    .where({ owner_user_id: ownerUserId })
    .first<{ files: number; bytes: number } | undefined>(
      db.raw('count(*)::int AS files'),
      db.raw('coalesce(sum(size_bytes), 0)::bigint AS bytes'),
    );
  return { files: Number(row?.files ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/**
 * Inside the transaction that adds a file: waits for any other upload of the same person to
 * finish, so two at once cannot both fit in the room left for one.
 */
export async function lockUploadsOf(trx: Db, ownerUserId: number): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext('mopd-uploads-of'), ?::int)", [ownerUserId]);
}

export async function insertUpload(trx: Db, row: Omit<UploadRow, 'created_at'>): Promise<void> {
  await trx('uploads').insert(row);
}

/** The columns that refer to an upload: every foreign key to `uploads.id`, read from the catalog so a new one counts too. */
async function uploadReferences(db: Db): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await db.raw<{ rows: Array<{ table: string; column: string }> }>(`
    SELECT cl.relname AS "table", a.attname AS "column"
      FROM pg_constraint c
      JOIN pg_class cl ON cl.oid = c.conrelid
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.confrelid = 'uploads'::regclass
     ORDER BY 1, 2`);
  return rows;
}

/**
 * Removes up to `limit` uploads older than `olderThanMs` that no record refers to, and answers
 * their ids (the caller removes the files). Rows another transaction holds (one attaching the
 * file takes a key-share lock on it) are skipped, so a file being attached is never taken from
 * under it; two processes doing this at once remove each row once.
 */
export async function removeUnattachedUploads(db: Db, olderThanMs: number, limit: number): Promise<string[]> {
  const references = await uploadReferences(db);
  const notReferenced =
    references.map(() => 'NOT EXISTS (SELECT 1 FROM ?? r WHERE r.?? = u.id)').join(' AND ') || 'TRUE';
  const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(
    `DELETE FROM uploads WHERE id IN (
       SELECT u.id FROM uploads u
        WHERE u.created_at < now() - make_interval(secs => ?) AND ${notReferenced}
        ORDER BY u.created_at
        LIMIT ?
          FOR UPDATE OF u SKIP LOCKED)
     RETURNING id`,
    [olderThanMs / 1000, ...references.flatMap((r) => [r.table, r.column]), limit],
  );
  return rows.map((r) => r.id);
}

/** Of these ids, the ones that have a row. */
export async function existingUploads(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set(await db('uploads').whereIn('id', ids).pluck('id'));
}

export function findUpload(db: Db, id: string): Promise<UploadRow | undefined> {
  return db('uploads').where({ id }).first<UploadRow | undefined>();
}

/** Each upload of these ids that exists: whose it is and what for. */
export function ownersOfUploads(
  db: Db,
  ids: string[],
): Promise<Array<Pick<UploadRow, 'id' | 'owner_user_id' | 'purpose'>>> {
  return db('uploads').whereIn('id', ids).select('id', 'owner_user_id', 'purpose');
}

/** Whether an applicant attached this upload to a case. */
export async function isCaseDocument(db: Db, uploadId: string): Promise<boolean> {
  return (await db('case_documents').where({ upload_id: uploadId }).first('case_id')) !== undefined;
}

/** Whether this upload is a handout of a course the professional has started (or completed). */
export async function isHandoutOfCourseTakenBy(db: Db, uploadId: string, professionalId: number): Promise<boolean> {
  const learner = await db('course_modules as m')
    .join('enrollments as e', 'e.course_id', 'm.course_id')
    .where({ 'm.handout_upload_id': uploadId, 'e.professional_id': professionalId })
    .whereIn('e.status', ['in_progress', 'completed'])
    .first('m.id');
  return learner !== undefined;
}
