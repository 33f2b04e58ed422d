/**
 * Uploads nobody attached: a file is uploaded first and attached to a record (a CPR card, an
 * education entry, a case's documents or evidence, a course handout) afterwards. One that no
 * record refers to a day later is removed, row and file (issue 16), so uploads cannot fill the
 * disk unseen. Runs on a timer in every API process (the processes that hold the files); any
 * number of passes at once remove each file once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/connection.js';
import { existingUploads, removeUnattachedUploads } from '../db/uploads.js';

/** The name a file has while it is being received (see api/routes/uploads.ts). */
export const INCOMING_PREFIX = '.incoming-';
const UPLOAD_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UploadCleanupOptions {
  /** How old an unattached upload must be to go (a day). */
  olderThanMs: number;
  batchSize?: number;
}

/**
 * One pass: removes old unattached uploads' rows, then their files; then files with no row that
 * are as old (a pass that stopped between the two, or a receipt cut short).
 */
export async function cleanUpUploads(
  db: Db,
  uploadDir: string,
  options: UploadCleanupOptions,
): Promise<{ removed: number; strayFiles: number }> {
  let removed = 0;
  for (;;) {
    const ids = await removeUnattachedUploads(db, options.olderThanMs, options.batchSize ?? 500);
    await Promise.all(ids.map((id) => fs.rm(path.join(uploadDir, id), { force: true })));
    removed += ids.length;
    if (ids.length < (options.batchSize ?? 500)) break;
  }
  return { removed, strayFiles: await removeStrayFiles(db, uploadDir, options.olderThanMs) };
}

async function removeStrayFiles(db: Db, uploadDir: string, olderThanMs: number): Promise<number> {
  const names = await fs.readdir(uploadDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const old: string[] = [];
  for (const name of names) {
    if (!name.startsWith(INCOMING_PREFIX) && !UPLOAD_NAME.test(name)) continue;
    const stat = await fs.stat(path.join(uploadDir, name)).catch(() => undefined);
    // Young files are left alone: a row is written just after its file.
    if (stat?.isFile() && Date.now() - stat.mtimeMs > olderThanMs) old.push(name);
  }
  const kept = await existingUploads(
    db,
    old.filter((name) => UPLOAD_NAME.test(name)),
  );
  const stray = old.filter((name) => !kept.has(name));
  await Promise.all(stray.map((name) => fs.rm(path.join(uploadDir, name), { force: true })));
  return stray.length;
}

export interface UploadCleanupLoop {
  stop(): Promise<void>;
}

/** Cleans up at start and every `intervalMs` until stopped; a failed pass only waits for the next. */
export function startUploadCleanup(
  db: Db,
  uploadDir: string,
  options: UploadCleanupOptions & {
    intervalMs: number;
    onDone: (result: { removed: number; strayFiles: number }) => void;
    onError: (error: unknown) => void;
  },
): UploadCleanupLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = cleanUpUploads(db, uploadDir, options)
      .then(options.onDone, options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
