/**
 * Uploads (CPR cards, instructor certifications, proof of training): checked for size and for
 * type by their content, not their name, and kept outside the web root under a random name.
 */
import { randomUUID, createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import multer from 'multer';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../../db/connection.js';
import { audit } from '../../db/audit.js';
import { DomainError } from '../../activities/errors.js';
import { holds, type Principal } from '../access/principal.js';
import type { UploadPurpose } from '../../rules/domain.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { uploadFields, uuidParams } from '../schemas.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Files attached to a record must be ones the caller uploaded (an admin may attach anyone's),
 * and, when purposes are given, uploaded for one of them. The error names the field.
 */
export async function assertOwnUploads(db: Db, principal: Principal, uploadIds: string[], field: string, purposes?: UploadPurpose[]): Promise<void> {
  if (uploadIds.length === 0) return;
  const rows: Array<{ id: string; owner_user_id: number; purpose: UploadPurpose }> = await db('uploads').whereIn('id', uploadIds).select('id', 'owner_user_id', 'purpose');
  for (const id of uploadIds) {
    const upload = rows.find((r) => r.id === id);
    if (!upload || (upload.owner_user_id !== principal.userId && !holds(principal, 'admin'))) throw new DomainError('Invalid', 'must be the id of a file you uploaded', field);
    if (purposes && !purposes.includes(upload.purpose)) throw new DomainError('Invalid', `must be a file uploaded as ${purposes.join(' or ')}`, field);
  }
}
const ACCEPTED: Record<string, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

export function uploadRoutes({ db, uploadDir }: { db: Db; uploadDir: string }): RouteDefinition[] {
  const receive = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } }).single('file');
  return [
    route({
      method: 'post',
      path: '/api/uploads',
      summary: 'Upload one PDF, PNG or JPEG of at most 5 MB (multipart field "file", with "purpose")',
      tags: ['uploads'],
      policy: policies.signedIn('Any signed-in person; the file belongs to them'),
      before: [(req, res, next) => receive(req, res, (error: unknown) => next(error ? uploadError(error) : undefined))],
      body: uploadFields,
      status: 201,
      handle: async ({ req, body, principal, requestId }) => {
        const file = req.file;
        if (!file) throw new DomainError('Invalid', 'Attach a file in the "file" field', 'file');
        const detected = await fileTypeFromBuffer(file.buffer);
        if (!detected || !ACCEPTED[detected.mime]) throw new DomainError('Invalid', 'The file must be a PDF, PNG or JPEG', 'file');
        const id = randomUUID();
        await fs.mkdir(uploadDir, { recursive: true, mode: 0o700 });
        await fs.writeFile(path.join(uploadDir, id), file.buffer, { mode: 0o600, flag: 'wx' });
        const row = {
          id,
          owner_user_id: principal!.userId,
          purpose: body.purpose,
          original_name: path.basename(file.originalname).slice(0, 200),
          media_type: detected.mime,
          size_bytes: file.size,
          sha256: createHash('sha256').update(file.buffer).digest('hex'),
        };
        await db.transaction(async (trx) => {
          await trx('uploads').insert(row);
          await audit(trx, { actorUserId: principal!.userId, action: 'upload.created', entity: 'upload', entityId: id, after: row, requestId });
        });
        return { upload: { id, purpose: row.purpose, mediaType: row.media_type, sizeBytes: row.size_bytes, originalName: row.original_name } };
      },
    }),
    route({
      method: 'get',
      path: '/api/uploads/:id',
      summary: 'Download an upload (as an attachment, never rendered inline)',
      tags: ['uploads'],
      policy: {
        ...policies.signedIn('Its owner, an admin, a reviewer for a file attached to a case (e.g. micro-credential evidence), or for a course handout anyone taking the course'),
        scope: async ({ db: scopeDb, principal, params }) => {
          const row = await scopeDb('uploads').where({ id: params.id }).first('owner_user_id');
          if (row === undefined) return false;
          if (row.owner_user_id === principal.userId || holds(principal, 'admin')) return true;
          // Reviewers (the assessors) read what an applicant attached to a case, as the case page lists it.
          if (holds(principal, 'reviewer') && (await scopeDb('case_documents').where({ upload_id: params.id }).first('case_id')) !== undefined) return true;
          // A course handout: anyone who has started that course.
          const learner = await scopeDb('course_modules as m')
            .join('enrollments as e', 'e.course_id', 'm.course_id')
            .where({ 'm.handout_upload_id': params.id, 'e.professional_id': principal.professionalId ?? 0 })
            .whereIn('e.status', ['in_progress', 'completed'])
            .first('m.id');
          return learner !== undefined;
        },
      },
      params: uuidParams,
      handle: async ({ params, res }) => {
        const row = await db('uploads').where({ id: params.id }).first();
        res.setHeader('content-type', row.media_type);
        res.attachment(`${params.id}.${ACCEPTED[row.media_type as string] ?? 'bin'}`);
        res.send(await fs.readFile(path.join(uploadDir, params.id)));
        return undefined;
      },
    }),
  ];
}

/** Multer's limits and busboy's parse errors are the sender's fault: a 4xx naming the field. Found by fuzzing. */
function uploadError(error: unknown): DomainError {
  if (!(error instanceof multer.MulterError)) return new DomainError('Invalid', `The upload is not a well-formed multipart form: ${(error as Error).message}`, 'file');
  if (error.code === 'LIMIT_FILE_SIZE') return new DomainError('TooLarge', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 'file');
  return new DomainError('Invalid', `The upload was not accepted: ${error.message}`, error.field ?? 'file');
}
