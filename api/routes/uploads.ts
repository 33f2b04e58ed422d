/**
 * Uploads (CPR cards, instructor certifications, proof of training): checked for size and for
 * type by their content, not their name, and kept outside the web root under a random name.
 * A file is streamed to disk under a temporary name (never held in memory whole), checked there,
 * then renamed to its id or removed; each person keeps at most a quota of files and bytes; and
 * what nobody attached is removed after a day (services/uploadCleanup.ts).
 */
import { randomUUID, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { fileTypeFromFile } from 'file-type';
import type { Db } from '../../db/connection.js';
import {
  DEFAULT_UPLOAD_QUOTA,
  findUpload,
  isCaseDocument,
  isHandoutOfCourseTakenBy,
  ownersOfUploads,
  uploadsKept,
  type UploadQuota,
} from '../../db/uploads.js';
import { isCardScan } from '../../db/profile.js';
import { DomainError } from '../../services/errors.js';
import { INCOMING_PREFIX } from '../../services/uploadCleanup.js';
import { formatBytes, keepUpload, quotaRefusal } from '../../services/uploads.js';
import { holds, type Principal } from '../access/principal.js';
import type { UploadPurpose } from '../../rules/domain.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { uploadFields, uuidParams } from '../schemas.js';
import * as responses from '../responses/uploads.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Files attached to a record must be ones the caller uploaded (an admin may attach anyone's),
 * and, when purposes are given, uploaded for one of them. The error names the field.
 */
export async function assertOwnUploads(
  db: Db,
  principal: Principal,
  uploadIds: string[],
  field: string,
  purposes?: UploadPurpose[],
): Promise<void> {
  if (uploadIds.length === 0) return;
  const rows = await ownersOfUploads(db, uploadIds);
  for (const id of uploadIds) {
    const upload = rows.find((r) => r.id === id);
    if (!upload || (upload.owner_user_id !== principal.userId && !holds(principal, 'admin')))
      throw new DomainError('Invalid', 'must be the id of a file you uploaded', field);
    if (purposes && !purposes.includes(upload.purpose))
      throw new DomainError('Invalid', `must be a file uploaded as ${purposes.join(' or ')}`, field);
  }
}
const ACCEPTED: Record<string, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

export function uploadRoutes({
  db,
  uploadDir,
  quota = DEFAULT_UPLOAD_QUOTA,
}: {
  db: Db;
  uploadDir: string;
  quota?: UploadQuota;
}): RouteDefinition[] {
  const storage = multer.diskStorage({
    destination: (_req, _file, done) => {
      fs.mkdir(uploadDir, { recursive: true, mode: 0o700 }).then(
        () => done(null, uploadDir),
        (error: Error) => done(error, uploadDir),
      );
    },
    filename: (_req, _file, done) => done(null, `${INCOMING_PREFIX}${randomUUID()}`),
  });
  const receive = multer({ storage, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } }).single('file');
  /** Refuses at once, before reading the file, a person who has no room left. */
  const roomLeft = (req: Request, _res: Response, next: NextFunction) => {
    // The route's sign-in check ran before this; a missing principal is that check's 401.
    if (!req.principal) return next(new DomainError('Unauthenticated', 'Sign in to continue'));
    uploadsKept(db, req.principal.userId).then((kept) => next(quotaRefusal(quota, kept, 1)), next);
  };
  /** Receives the file to disk; a refused form leaves nothing behind (multer removes a file cut short). */
  const receiveToDisk = (req: Request, res: Response, next: NextFunction) => {
    receive(req, res, (error: unknown) => {
      if (error) return next(uploadError(error));
      const received = req.file?.path;
      if (!received) return next();
      // Whatever happens next, the temporary file does not outlive the request (it is renamed when kept).
      res.once('close', () => void fs.rm(received, { force: true }));
      const fields = uploadFields.safeParse(req.body ?? {});
      if (fields.success) return next();
      fs.rm(received, { force: true }).then(() => next(fields.error), next);
    });
  };
  return [
    route({
      method: 'post',
      path: '/api/uploads',
      summary: `Upload one PDF, PNG or JPEG of at most 5 MB (multipart field "file", with "purpose"); each person keeps at most ${quota.files} files and ${formatBytes(quota.bytes)}`,
      tags: ['uploads'],
      policy: policies.signedIn('Any signed-in person; the file belongs to them'),
      before: [roomLeft, receiveToDisk],
      body: uploadFields,
      status: 201,
      response: responses.postUploads,
      handle: async ({ req, body, principal, requestId }) => {
        const file = req.file;
        if (!file) throw new DomainError('Invalid', 'Attach a file in the "file" field', 'file');
        try {
          const detected = await fileTypeFromFile(file.path);
          if (!detected || !ACCEPTED[detected.mime])
            throw new DomainError('Invalid', 'The file must be a PDF, PNG or JPEG', 'file');
          const id = randomUUID();
          const row = {
            id,
            owner_user_id: principal.userId,
            purpose: body.purpose,
            original_name: path.basename(file.originalname).slice(0, 200),
            media_type: detected.mime,
            size_bytes: file.size,
            sha256: await sha256Of(file.path),
          };
          const kept = path.join(uploadDir, id);
          await keepUpload(
            db,
            { row, receivedPath: file.path, keptPath: kept, quota },
            { actorUserId: principal.userId, requestId },
          );
          return {
            upload: {
              id,
              purpose: row.purpose,
              mediaType: row.media_type,
              sizeBytes: row.size_bytes,
              originalName: row.original_name,
            },
          };
        } finally {
          await fs.rm(file.path, { force: true });
        }
      },
    }),
    route({
      method: 'get',
      path: '/api/uploads/:id',
      summary: 'Download an upload (as an attachment, never rendered inline)',
      tags: ['uploads'],
      policy: {
        ...policies.signedIn(
          'Its owner, an admin, a reviewer for a file attached to a case (e.g. micro-credential evidence) or a CPR/First Aid card scan, or for a course handout anyone taking the course',
        ),
        scope: async ({ db: scopeDb, principal, params }) => {
          const id = String(params.id);
          const row = await findUpload(scopeDb, id);
          if (row === undefined) return false;
          if (row.owner_user_id === principal.userId || holds(principal, 'admin')) return true;
          // Reviewers (the assessors) read what an applicant attached to a case, as the case page lists it.
          if (holds(principal, 'reviewer') && (await isCaseDocument(scopeDb, id))) return true;
          // Reviewers verify CPR/First Aid cards from their scans.
          if (holds(principal, 'reviewer') && (await isCardScan(scopeDb, id))) return true;
          // A course handout: anyone who has started that course.
          return isHandoutOfCourseTakenBy(scopeDb, id, principal.professionalId ?? 0);
        },
      },
      params: uuidParams,
      produces: 'application/octet-stream',
      handle: async ({ params, res }) => {
        // The policy found it.
        const row = (await findUpload(db, params.id))!;
        res.setHeader('content-type', row.media_type);
        res.attachment(`${params.id}.${ACCEPTED[row.media_type] ?? 'bin'}`);
        res.send(await fs.readFile(path.join(uploadDir, params.id)));
        return undefined;
      },
    }),
  ];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Multer's limits and busboy's parse errors are the sender's fault: a 4xx naming the field. Found by fuzzing. */
function uploadError(error: unknown): DomainError {
  if (!(error instanceof multer.MulterError))
    return new DomainError(
      'Invalid',
      `The upload is not a well-formed multipart form: ${(error as Error).message}`,
      'file',
    );
  if (error.code === 'LIMIT_FILE_SIZE')
    return new DomainError('TooLarge', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 'file');
  return new DomainError('Invalid', `The upload was not accepted: ${error.message}`, error.field ?? 'file');
}
