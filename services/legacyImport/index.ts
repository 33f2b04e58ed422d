/**
 * Legacy import (issue 8): a batch of CSV files from the old registry toolbox and workshop
 * calendar is previewed — every row checked, a report of what would be created, updated, left
 * unchanged or rejected and why, nothing written to the registry — and then applied, one
 * transaction per file in dependency order, with progress in `import_batches`. Re-running a batch
 * finds every row by its legacy id and writes nothing. See README, "Legacy import".
 */
import type { Db } from '../../db/connection.js';
import { audit } from '../../db/audit.js';
import type { ImportBatchStatus } from '../../rules/domain.js';
import { DomainError } from '../errors.js';
import { IMPORT_KINDS, kindOfFile, parseFile, type ImportKind, type ParsedFile } from './formats.js';
import { noPending, planFile, type BatchReport, type FileReport, type Pending } from './plan.js';
import { describeUpdates, writeFile } from './apply.js';
import { planTrainingFile, writeTrainingFile } from './training.js';
import { isWorkshopKind, startImportedWorkflows, type ImportWorkflows } from './workshop.js';
import { startImportedHireDeadlines } from './hireDeadlines.js';
import { redecideAfterImport } from '../training.js';
import { refreshTouched, wakeDeadlinesOf } from './aftermath.js';

export type { BatchReport, FileReport } from './plan.js';
export type { ImportWorkflows } from './workshop.js';

export interface ImportFile {
  name: string;
  content: string;
}

export interface ImportBatch {
  id: number;
  name: string;
  system: string;
  status: ImportBatchStatus;
  report: BatchReport;
  appliedReport: BatchReport | null;
  progress: { done: number; total: number; currentFile: string | null };
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The files of a batch that are of a known kind, in the order they are applied. */
function ordered(files: ImportFile[]): { known: Array<ImportFile & { kind: ImportKind }>; unknown: ImportFile[] } {
  const known = files.flatMap((f) => {
    const kind = kindOfFile(f.name);
    return kind ? [{ ...f, kind }] : [];
  });
  known.sort((a, b) => IMPORT_KINDS.indexOf(a.kind) - IMPORT_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name));
  return { known, unknown: files.filter((f) => kindOfFile(f.name) === null) };
}

const unknownReport = (): FileReport => ({
  kind: 'training',
  rows: 0,
  create: 0,
  update: 0,
  unchanged: 0,
  rejected: [
    {
      line: 1,
      column: '',
      reason: `the file name does not say what it holds: name it after one of ${IMPORT_KINDS.map((k) => `${k}.csv`).join(', ')}`,
    },
  ],
  rejectedCount: 1,
});

/** The report of a batch against the registry as it stands; writes nothing. */
export async function previewFiles(db: Db, system: string, files: ImportFile[]): Promise<BatchReport> {
  const { known, unknown } = ordered(files);
  const pending: Pending = noPending();
  const report: BatchReport = {};
  for (const file of known) {
    // A training file is checked set-based in SQL (its staging tables live for one transaction).
    const staged =
      file.kind === 'training'
        ? await db.transaction((trx) => planTrainingFile(trx, system, file.content, pending))
        : null;
    if (staged) {
      report[file.name] = staged;
      continue;
    }
    const plan = await planFile(db, system, file.name, parseFile(file.kind, file.content), pending);
    report[file.name] = { ...plan.report, updates: await describeUpdates(db, system, file.kind, plan.planned) };
  }
  for (const file of unknown) report[file.name] = unknownReport();
  return report;
}

/** Checks a batch and records it as previewed, its files kept for the apply. */
export async function previewBatch(
  db: Db,
  input: { name: string; system: string; files: ImportFile[]; uploadedBy: number | null; keepFiles?: boolean },
): Promise<ImportBatch> {
  if (input.files.length === 0) throw new DomainError('Invalid', 'Give at least one CSV file', 'files');
  const report = await previewFiles(db, input.system, input.files);
  const total = Object.values(report).reduce((sum, f) => sum + f.create + f.update, 0);
  const id = await db.transaction(async (trx) => {
    const [row] = await trx('import_batches')
      .insert({
        name: input.name,
        system: input.system,
        uploaded_by_user_id: input.uploadedBy,
        report: JSON.stringify(report),
        progress_total: total,
      })
      .returning('id');
    const batchId = Number((row as { id: number }).id);
    if (input.keepFiles !== false)
      await trx('import_batch_files').insert(
        input.files.map((f) => ({ batch_id: batchId, name: f.name, content: f.content })),
      );
    await audit(trx, {
      actorUserId: input.uploadedBy,
      action: 'import_batch.previewed',
      entity: 'import_batch',
      entityId: batchId,
      after: { name: input.name, system: input.system, files: input.files.map((f) => f.name) },
    });
    return batchId;
  });
  return (await findBatch(db, id))!;
}

export async function findBatch(db: Db, id: number): Promise<ImportBatch | undefined> {
  const row = await db('import_batches').where({ id }).first();
  if (!row) return undefined;
  return {
    id: Number(row.id),
    name: row.name,
    system: row.system,
    status: row.status,
    report: row.report as BatchReport,
    appliedReport: row.applied_report as BatchReport | null,
    progress: { done: row.progress_done, total: row.progress_total, currentFile: row.current_file },
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}

/**
 * Marks a previewed (or failed) batch as applying; refused for one already applying or applied,
 * so two clicks start one apply.
 */
export async function startApplying(db: Db, id: number): Promise<void> {
  const updated = await db('import_batches')
    .where({ id })
    .whereIn('status', ['previewed', 'failed'])
    .update({ status: 'applying', started_at: db.fn.now(), progress_done: 0, error: null });
  if (updated === 0) {
    const batch = await findBatch(db, id);
    if (!batch) throw new DomainError('NotFound', `No import batch with id ${id}`, 'id');
    throw new DomainError('Conflict', `Import batch ${id} is ${batch.status}`, 'id');
  }
}

/**
 * Long work, answered at once: the batch is marked applying and its workflow started in one
 * transaction, so if Temporal cannot take it nothing changes (the caller answers 503); progress
 * and any failure are written on the batch by the workflow's activity.
 */
export async function applyInWorkflow(
  db: Db,
  workflows: { startImportApply(batchId: number, actorUserId: number | null): Promise<string> },
  id: number,
  actorUserId: number,
): Promise<void> {
  await db.transaction(async (trx) => {
    await startApplying(trx, id);
    await workflows.startImportApply(id, actorUserId);
  });
}

/** A worker taking over a batch an earlier attempt left failed part-way (its files before the failure are in). */
export async function retakeFailedBatch(db: Db, id: number): Promise<void> {
  await db('import_batches')
    .where({ id, status: 'failed' })
    .update({ status: 'applying', error: null, finished_at: null });
}

/** The apply gave up: the batch says why, and can be applied again. */
export async function failApplyingBatch(db: Db, id: number, error: string): Promise<void> {
  await db('import_batches')
    .where({ id, status: 'applying' })
    .update({ status: 'failed', error, finished_at: db.fn.now() });
}

/**
 * Applies a batch marked applying: each file planned again and written in one transaction (so
 * what is written is what the registry allows at that moment), in dependency order; progress is
 * written outside the file's transaction so a poller sees it. A file that fails leaves the files
 * before it applied and the batch `failed` with the error; running it again skips what is in.
 */
export async function applyBatch(
  db: Db,
  id: number,
  options: {
    files?: ImportFile[];
    actorUserId?: number | null;
    onProgress?: (p: { file: string; done: number; total: number }) => void;
    workflows?: ImportWorkflows;
    /** Where the links of the notices point (PUBLIC_URL when not given). */
    publicUrl?: string;
  } = {},
): Promise<ImportBatch> {
  const batch = await findBatch(db, id);
  if (!batch) throw new DomainError('NotFound', `No import batch with id ${id}`, 'id');
  try {
    const files: ImportFile[] =
      options.files ??
      (await db('import_batch_files').where({ batch_id: id }).orderBy('name').select('name', 'content'));
    const { known } = ordered(files);
    const applied: BatchReport = {};
    const touched = new Set<number>();
    /** People the batch's training files gave records to (a re-decision only reaches them). */
    const trained = new Set<number>();
    let done = 0;
    let total = batch.progress.total;
    const publicUrl = options.publicUrl ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000';
    for (const file of known) {
      await db('import_batches').where({ id }).update({ current_file: file.name });
      await db.transaction(async (trx) => {
        let sinceReport = 0;
        const progress = async (rows: number) => {
          done += rows;
          sinceReport += rows;
          if (sinceReport >= 5000 || rows > 1) {
            sinceReport = 0;
            await db('import_batches')
              .where({ id })
              .update({ progress_done: Math.min(done, total), progress_total: total });
          }
          options.onProgress?.({ file: file.name, done, total });
        };
        const staged =
          file.kind === 'training' ? await planTrainingFile(trx, batch.system, file.content, noPending()) : null;
        const parsed: ParsedFile | null = staged ? null : parseFile(file.kind, file.content);
        const plan = staged ? null : await planFile(trx, batch.system, file.name, parsed!, noPending());
        const report = staged ?? plan!.report;
        applied[file.name] = report;
        const expected = batch.report[file.name];
        // The registry may have moved since the preview; the total follows what is really written.
        total += report.create + report.update - ((expected?.create ?? 0) + (expected?.update ?? 0));
        const professionalIds = staged
          ? await writeTrainingFile(trx, batch.system, progress)
          : (await writeFile(trx, batch.system, file.kind, plan!, progress, options.workflows)).professionalIds;
        for (const person of professionalIds) touched.add(person);
        if (staged) for (const person of professionalIds) trained.add(person);
        await audit(trx, {
          actorUserId: options.actorUserId ?? null,
          action: 'import_batch.file_applied',
          entity: 'import_batch',
          entityId: id,
          after: { file: file.name, ...report, rejected: report.rejected.slice(0, 20) },
        });
      });
      // Pending applications enter their approval workflow once their cases are committed.
      if (isWorkshopKind(file.kind) && file.kind !== 'events' && options.workflows)
        await startImportedWorkflows(db, batch.system, options.workflows);
      // Registry records after an imported completion of the same course and year are decided again.
      if (file.kind === 'training')
        await redecideAfterImport(db, batch.system, { actorUserId: options.actorUserId ?? null, publicUrl });
      // Recent hires get their hire-date deadlines once their employments are committed.
      if (file.kind === 'employment' && options.workflows)
        await startImportedHireDeadlines(db, batch.system, options.workflows);
    }
    await refreshTouched(db, touched, { id, system: batch.system, publicUrl });
    // Deadlines their imported training (or a record it re-decided) may meet are checked now.
    if (options.workflows && trained.size > 0) await wakeDeadlinesOf(db, trained, options.workflows);
    await db('import_batches')
      .where({ id })
      .update({
        status: 'applied',
        applied_report: JSON.stringify(applied),
        progress_done: total,
        progress_total: total,
        current_file: null,
        finished_at: db.fn.now(),
      });
  } catch (error) {
    await db('import_batches')
      .where({ id })
      .update({
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        finished_at: db.fn.now(),
      });
    throw error;
  }
  return (await findBatch(db, id))!;
}
