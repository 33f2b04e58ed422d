/** Keeping an uploaded file: its row within the person's quota, its audit entry, and the file in place. */
import fs from 'node:fs/promises';
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { insertUpload, lockUploadsOf, uploadsKept, type UploadQuota, type UploadRow } from '../db/uploads.js';
import { DomainError } from './errors.js';

/** Why a person with these files kept cannot add one of `size` bytes, or undefined when it fits. */
export function quotaRefusal(
  quota: UploadQuota,
  kept: { files: number; bytes: number },
  size: number,
): DomainError | undefined {
  const after = 'Files not attached to anything are removed a day after they were uploaded.';
  if (kept.files + 1 > quota.files)
    return new DomainError(
      'Conflict',
      `You already keep ${kept.files} uploaded files, the most one person may keep (${quota.files}). ${after}`,
      'file',
    );
  if (kept.bytes + size > quota.bytes) {
    return new DomainError(
      'Conflict',
      `This file would take your uploads past ${formatBytes(quota.bytes)}, the most one person may keep (you keep ${formatBytes(kept.bytes)}). ${after}`,
      'file',
    );
  }
  return undefined;
}

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} kB`;

/**
 * Keeps a checked upload: within the person's quota (other uploads of theirs wait, so two at once
 * cannot both fit in the room left for one), its row and audit entry, and the received file
 * renamed into place, all in one transaction. Renamed, then the commit failed: the file goes with
 * the row that never was.
 */
export async function keepUpload(
  db: Db,
  input: { row: Omit<UploadRow, 'created_at'>; receivedPath: string; keptPath: string; quota: UploadQuota },
  ctx: { actorUserId: number; requestId?: string },
): Promise<void> {
  const { row } = input;
  try {
    await db.transaction(async (trx) => {
      await lockUploadsOf(trx, row.owner_user_id);
      const refusal = quotaRefusal(input.quota, await uploadsKept(trx, row.owner_user_id), row.size_bytes);
      if (refusal) throw refusal;
      await insertUpload(trx, row);
      await audit(trx, {
        actorUserId: ctx.actorUserId,
        action: 'upload.created',
        entity: 'upload',
        entityId: row.id,
        after: row,
        requestId: ctx.requestId,
      });
      await fs.chmod(input.receivedPath, 0o600);
      await fs.rename(input.receivedPath, input.keptPath);
    });
  } catch (error) {
    await fs.rm(input.keptPath, { force: true });
    throw error;
  }
}
