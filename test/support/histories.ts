/**
 * Workflow histories kept as test fixtures, replayed against the current workflow code on every
 * run (test/integration/replay.test.ts). Record them again with RECORD_HISTORIES=1 only when a
 * workflow's behaviour changes on purpose, and keep the old files: running workflows have them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { projectRoot } from '../../bin/tools.js';

export const HISTORY_DIR = path.join(projectRoot, 'test/fixtures/histories');

export interface KeptHistory {
  workflowId: string;
  workflowType: string;
  history: unknown;
}

/** Saves a finished workflow's history as a fixture, when RECORD_HISTORIES is set. */
export async function keepHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const description = await handle.describe();
  const kept: KeptHistory = {
    workflowId: handle.workflowId,
    workflowType: description.type,
    history: JSON.parse(JSON.stringify(await handle.fetchHistory())),
  };
  await fs.mkdir(HISTORY_DIR, { recursive: true });
  await fs.writeFile(path.join(HISTORY_DIR, `${name}.json`), `${JSON.stringify(kept)}\n`);
}

/**
 * The same for a workflow a test reaches only by its id (one started through the API), over the
 * test run's Temporal server: once it has ended, or as far as it got for one that waits for years.
 */
export async function keepHistoryOf(workflowId: string, name: string, { ended = true } = {}): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const handle = new Client({ connection }).workflow.getHandle(workflowId);
    if (ended) await handle.result();
    // Otherwise until it waits on a timer (for at most ten seconds), not part-way through a step.
    for (
      let i = 0;
      !ended && i < 100 && !(await handle.fetchHistory()).events?.at(-1)?.timerStartedEventAttributes;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    await keepHistory(handle, name);
  } finally {
    await connection.close();
  }
}

/** A kept history as the replayer takes it. */
export function historyOf(kept: KeptHistory) {
  return temporal.api.history.v1.History.fromObject(kept.history as Record<string, unknown>);
}
