/**
 * The director's weekly digest, started every Monday at 07:00 America/Chicago by a Temporal
 * Schedule (services/workflowClient.ts `ensureDirectorDigestSchedule`) with no arguments: the date
 * is the schedule's nominal action time read in America/Chicago. Directors are taken in batches by
 * user id; each batch heartbeats the last director done, so a killed worker's batch carries on. The
 * outbox key (director and ISO week) makes a repeated run in the same week send nothing more.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import { REGISTRY_TIME_ZONE } from '../rules/domain.js';

export interface DirectorDigestInput {
  /** 'YYYY-MM-DD'; the schedule's action time as a Chicago date when absent. */
  asOf?: string;
  /** Where a run continued as new got to, and how many directors had a digest. */
  afterUserId?: number;
  told?: number;
  /** Directors per activity (default 200). */
  batchLimit?: number;
}

export interface DirectorDigestResult {
  asOf: string;
  /** Directors with a digest for the week (a repeated run counts them again, but emails none twice). */
  told: number;
}

/** The schedule id prefix; the task queue follows, so each deployment (and test) has its own. */
export const DIRECTOR_DIGEST_SCHEDULE = 'director-digest';

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const batches = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  // One director's digest reads a few queries; silence this long means the worker is gone.
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});

function chicagoDateOf(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: REGISTRY_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export async function directorDigest(input: DirectorDigestInput = {}): Promise<DirectorDigestResult> {
  const info = workflowInfo();
  const asOf = input.asOf ?? chicagoDateOf(info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime);
  let afterUserId = input.afterUserId ?? 0;
  let told = input.told ?? 0;
  for (;;) {
    const batch = await batches.sendDirectorDigestBatch({ asOf, afterUserId, limit: input.batchLimit ?? 200 });
    told += batch.told;
    afterUserId = batch.lastUserId;
    if (batch.finished) return { asOf, told };
    const now = workflowInfo();
    if (now.continueAsNewSuggested || now.historyLength > 2000)
      await continueAsNew<typeof directorDigest>({ ...input, asOf, afterUserId, told });
  }
}
