/**
 * Every stored workflow history (test/fixtures/histories) replayed against the current workflow
 * code: a change that would break a running workflow fails here, before it ships. Changes to a
 * workflow's commands go behind `patched()` (see workflows/deadlineTimeline.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { HISTORY_DIR, historyOf, type KeptHistory } from '../support/histories.js';

const files = (await fs.readdir(HISTORY_DIR)).filter((f) => f.endsWith('.json')).sort();
/** The workflow types the worker registers: whatever the bundle's entry point exports. */
const registered = Object.keys(await import('../../workflows/index.js')).sort();

describe('stored workflow histories', () => {
  it('cover every workflow type the worker registers', async () => {
    const types = new Set<string>();
    for (const file of files)
      types.add((JSON.parse(await fs.readFile(path.join(HISTORY_DIR, file), 'utf8')) as KeptHistory).workflowType);
    expect(registered.length).toBeGreaterThanOrEqual(12);
    expect(
      registered.filter((type) => !types.has(type)),
      'workflow types without a stored history (record one: RECORD_HISTORIES=1)',
    ).toEqual([]);
  });

  it.each(files)('%s replays against the current code', async (file) => {
    const kept = JSON.parse(await fs.readFile(path.join(HISTORY_DIR, file), 'utf8')) as KeptHistory;
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      historyOf(kept),
      kept.workflowId,
    );
  });
});
