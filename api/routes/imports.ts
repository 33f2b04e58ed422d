/**
 * Legacy import batches (admins): upload the old systems' CSV files and get the preview report;
 * apply a previewed batch (in the background, progress polled); read a batch. See README,
 * "Legacy import".
 */
import multer from 'multer';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { DomainError } from '../../services/errors.js';
import { applyInWorkflow, findBatch, previewBatch } from '../../services/legacyImport/index.js';
import { importFormats } from '../../services/legacyImport/formats.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import * as responses from '../responses/imports.js';

/** A legacy export is large (a year of training records is tens of megabytes); PDFs keep 5 MB. */
export const MAX_IMPORT_FILE_BYTES = 200 * 1024 * 1024;
export const MAX_IMPORT_FILES = 12;

const importFields = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    system: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{1,40}$/, 'must be a short name of the old system, e.g. toolbox or workshop_calendar')
      .default('toolbox'),
  })
  .strict();

function importError(error: unknown): DomainError {
  if (!(error instanceof multer.MulterError))
    return new DomainError(
      'Invalid',
      `The upload is not a well-formed multipart form: ${(error as Error).message}`,
      'files',
    );
  if (error.code === 'LIMIT_FILE_SIZE')
    return new DomainError('TooLarge', `A file is larger than ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB`, 'files');
  if (error.code === 'LIMIT_FILE_COUNT')
    return new DomainError('Invalid', `At most ${MAX_IMPORT_FILES} files per batch`, 'files');
  return new DomainError('Invalid', error.message, error.field ?? 'files');
}

export function importRoutes({ db, temporal }: { db: Db; temporal: TemporalGateway }): RouteDefinition[] {
  const receive = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_IMPORT_FILE_BYTES, files: MAX_IMPORT_FILES, fields: 5 },
  }).array('files', MAX_IMPORT_FILES);
  const batchOr404 = async (id: number) => {
    const batch = await findBatch(db, id);
    if (!batch) throw new DomainError('NotFound', `No import batch with id ${id}`, 'id');
    return batch;
  };
  return [
    route({
      method: 'get',
      path: '/api/admin/imports/formats',
      summary: 'The CSV files a batch may hold, in the order they are applied, with their columns and what each holds',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      response: responses.getAdminImportsFormats,
      handle: async () => ({ files: importFormats() }),
    }),
    route({
      method: 'post',
      path: '/api/admin/imports',
      summary:
        'Upload a legacy batch (multipart "files": CSV files named after their kind, e.g. training.csv; "system", "name") and get its preview report; nothing is written to the registry',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      before: [(req, res, next) => receive(req, res, (error: unknown) => next(error ? importError(error) : undefined))],
      body: importFields,
      status: 201,
      response: responses.postAdminImports,
      handle: async ({ req, body, principal }) => {
        const uploaded = (req.files as Express.Multer.File[] | undefined) ?? [];
        if (uploaded.length === 0)
          throw new DomainError('Invalid', 'Attach one or more CSV files in the "files" field', 'files');
        const files = uploaded.map((f) => {
          if (!/\.csv$/i.test(f.originalname))
            throw new DomainError('Invalid', `${f.originalname} is not a .csv file`, 'files');
          const content = f.buffer.toString('utf8');
          if (content.includes('\u0000'))
            throw new DomainError('Invalid', `${f.originalname} is not a text file`, 'files');
          return { name: f.originalname.replace(/^.*[\\/]/, '').slice(0, 200), content };
        });
        const batch = await previewBatch(db, {
          name: body.name ?? files.map((f) => f.name).join(', '),
          system: body.system,
          files,
          uploadedBy: principal.userId,
        });
        return { batch };
      },
    }),
    route({
      method: 'post',
      path: '/api/admin/imports/:id/apply',
      summary:
        'Apply a previewed batch, file by file, in a durable workflow on the worker; poll GET /api/admin/imports/:id for progress',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      status: 202,
      response: responses.postAdminImportsByIdApply,
      handle: async ({ params, principal }) => {
        await applyInWorkflow(db, temporal, params.id, principal.userId);
        return { batch: await batchOr404(params.id) };
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/imports/:id',
      summary: 'An import batch: its report, status and progress',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      response: responses.getAdminImportsById,
      handle: async ({ params }) => ({ batch: await batchOr404(params.id) }),
    }),
  ];
}
