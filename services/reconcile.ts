/**
 * Reconcile: PostgreSQL (the system of record) against Temporal, after a database restore or
 * whenever the two may have drifted. Every row that drives a workflow must have exactly one
 * running: an open case, an employment or credential with a pending deadline, an event whose
 * reminder is still ahead. A row without its workflow gets it started again from the row (a case
 * goes on from its status and holder, `resumeCase`; deadline and reminder workflows plan from their
 * rows anyway); a running workflow whose row is missing or closed is terminated with a reason.
 *
 * After a restore the rows are older than Temporal: a workflow still running for an open row may
 * hold a state the restored row never reached (claimed, asked, decided after the backup).
 * `afterRestore` therefore starts every expected workflow again from its row, terminating the one
 * running. Workflows of other kinds (publications, simulations, imports, schedules) are left alone.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/connection.js';
import { getSetting } from '../db/settings.js';
import { OPEN_CASE_STATUSES, type CaseType } from '../rules/domain.js';
import { localDateOf } from '../rules/dates.js';
import {
  CASE_WORKFLOW_TYPES,
  credentialRenewalWorkflowId,
  employmentDeadlinesWorkflowId,
  eventRemindersWorkflowId,
} from './workflowClient.js';
import type { CaseInput } from '../workflows/approvalCase.js';
import type { EmploymentDeadlinesInput } from '../workflows/employmentDeadlines.js';
import type { CredentialRenewalInput } from '../workflows/credentialRenewal.js';
import type { EventRemindersInput } from '../workflows/eventReminders.js';

/** The workflow types reconcile answers for: each is started for, and only for, a row. */
export const ROW_WORKFLOW_TYPES = [
  ...Object.values(CASE_WORKFLOW_TYPES),
  'importedTrainerApproval',
  'employmentDeadlines',
  'credentialRenewal',
  'eventReminders',
] as const;

/** Deadline statuses that end a deadline's wait. */
const SETTLED_DEADLINES = ['met', 'met_late', 'cancelled'];

export interface ReconcileOptions {
  taskQueue: string;
  /** Report only: start and terminate nothing. */
  dryRun?: boolean;
  /** The database was restored: start every expected workflow again from its row. */
  afterRestore?: boolean;
  /**
   * A workflow younger than this is never taken for an orphan: the API starts workflows inside the
   * transaction that writes their row, so a row may not be visible yet. Five minutes by default.
   */
  orphanGraceMs?: number;
  now?: Date;
}

export interface ReconcileEntry {
  workflowId: string;
  type: string;
  /** What the row is: `case 12 (in_review)`, `employment 7`, `event 3`. */
  row: string;
  reason: string;
}

export interface ReconcileReport {
  dryRun: boolean;
  afterRestore: boolean;
  taskQueue: string;
  /** Rows that need a running workflow, and how many already had theirs. */
  expected: number;
  alreadyRunning: number;
  started: ReconcileEntry[];
  restarted: ReconcileEntry[];
  terminated: ReconcileEntry[];
  /** Approved trainers whose term workflow is missing: not started again (see the README). */
  leftAlone: ReconcileEntry[];
}

interface Wanted {
  workflowId: string;
  type: string;
  input: unknown;
  row: string;
}

/** What PostgreSQL says must run (`expected`) and what may run besides (`allowed`: row there and still open). */
async function rowsOf(db: Db, now: Date): Promise<{ expected: Wanted[]; allowed: Map<string, string> }> {
  const expected: Wanted[] = [];
  const allowed = new Map<string, string>();

  const cases: Array<{ id: string; type: CaseType; status: string; workflow_id: string }> = await db('cases')
    .whereIn('status', OPEN_CASE_STATUSES)
    .orderBy('id')
    .select('id', 'type', 'status', 'workflow_id');
  for (const c of cases) {
    const input: CaseInput = { caseId: Number(c.id), resume: true };
    expected.push({
      workflowId: c.workflow_id,
      type: CASE_WORKFLOW_TYPES[c.type],
      input,
      row: `case ${c.id} (${c.status})`,
    });
  }
  // An approved trainer's term runs on in the case's workflow (or, imported, in importedTrainerApproval).
  const terms: Array<{ id: string; workflow_id: string }> = await db('cases')
    .where({ type: 'trainer_application', status: 'approved' })
    .where('approval_expires_on', '>=', localDateOf(now))
    .select('id', 'workflow_id');
  for (const t of terms) allowed.set(t.workflow_id, `case ${t.id} (approved, term running)`);

  const deadlines = await db('deadlines')
    .whereNotIn('status', SETTLED_DEADLINES)
    .distinct('employment_id', 'credential_id', 'workflow_id')
    .orderBy('workflow_id');
  for (const d of deadlines) {
    if (d.employment_id !== null) {
      const input: EmploymentDeadlinesInput = { employmentId: Number(d.employment_id) };
      expected.push({
        workflowId: d.workflow_id,
        type: 'employmentDeadlines',
        input,
        row: `employment ${d.employment_id}`,
      });
    } else if (d.credential_id !== null) {
      const input: CredentialRenewalInput = { credentialId: Number(d.credential_id) };
      expected.push({
        workflowId: d.workflow_id,
        type: 'credentialRenewal',
        input,
        row: `credential ${d.credential_id}`,
      });
    }
  }
  // An employment or credential whose workflow has not planned its deadlines yet (none at all) may run.
  const unplanned: Array<{ id: string }> = await db('employments as e')
    .whereNotExists(db('deadlines as d').whereRaw('d.employment_id = e.id'))
    .select('e.id');
  for (const e of unplanned) allowed.set(employmentDeadlinesWorkflowId(Number(e.id)), `employment ${e.id}`);
  const unplannedCards: Array<{ id: string }> = await db('credentials as c')
    .whereNotExists(db('deadlines as d').whereRaw('d.credential_id = c.id'))
    .select('c.id');
  for (const c of unplannedCards) allowed.set(credentialRenewalWorkflowId(Number(c.id)), `credential ${c.id}`);

  // An event's reminder workflow waits until its reminder time: it must run while that is ahead.
  const { remindHoursBefore } = await getSetting(db, 'event_reminders');
  const events: Array<{ id: string; first_session_at: Date }> = await db('events')
    .where({ cancelled: false })
    .where('first_session_at', '>', now)
    .select('id', 'first_session_at');
  for (const e of events) {
    const workflowId = eventRemindersWorkflowId(Number(e.id));
    if (e.first_session_at.getTime() - remindHoursBefore * 3_600_000 > now.getTime()) {
      const input: EventRemindersInput = { eventId: Number(e.id) };
      expected.push({ workflowId, type: 'eventReminders', input, row: `event ${e.id}` });
    } else allowed.set(workflowId, `event ${e.id} (reminder due)`);
  }
  for (const w of expected) allowed.set(w.workflowId, w.row);
  return { expected, allowed };
}

/** The running workflows of the row-driven types on this task queue, from Temporal's visibility store. */
export async function runningRowWorkflows(
  client: Client,
  taskQueue: string,
): Promise<Array<{ workflowId: string; runId: string; type: string; startTime: Date }>> {
  const types = ROW_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ');
  const query = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}' AND ExecutionStatus = 'Running' AND WorkflowType IN (${types})`;
  const running = [];
  for await (const w of client.workflow.list({ query }))
    running.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, startTime: w.startTime });
  return running;
}

export async function reconcile(db: Db, client: Client, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const grace = options.orphanGraceMs ?? 5 * 60_000;
  const dryRun = options.dryRun ?? false;
  const afterRestore = options.afterRestore ?? false;
  const { expected, allowed } = await rowsOf(db, now);
  const running = await runningRowWorkflows(client, options.taskQueue);
  const runningIds = new Map(running.map((w) => [w.workflowId, w]));
  const report: ReconcileReport = {
    dryRun,
    afterRestore,
    taskQueue: options.taskQueue,
    expected: expected.length,
    alreadyRunning: 0,
    started: [],
    restarted: [],
    terminated: [],
    leftAlone: [],
  };

  async function terminate(workflowId: string, runId: string, reason: string): Promise<void> {
    if (dryRun) return;
    try {
      await client.workflow.getHandle(workflowId, runId).terminate(reason);
    } catch (error) {
      // Ended by itself meanwhile: nothing left to end.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  // Workflows without a row, or whose row is closed: ended, unless just started (row maybe uncommitted).
  for (const w of running) {
    if (allowed.has(w.workflowId)) continue;
    if (now.getTime() - w.startTime.getTime() < grace) continue;
    const reason = `reconcile: no open row in PostgreSQL for ${w.workflowId} (missing or closed)`;
    await terminate(w.workflowId, w.runId, reason);
    report.terminated.push({ workflowId: w.workflowId, type: w.type, row: 'none open', reason });
  }

  for (const want of expected) {
    const current = runningIds.get(want.workflowId);
    if (current && !afterRestore) {
      report.alreadyRunning++;
      continue;
    }
    if (current) {
      const reason = `reconcile after a restore: ${want.row} is taken up again from PostgreSQL`;
      await terminate(current.workflowId, current.runId, reason);
      report.restarted.push({ workflowId: want.workflowId, type: want.type, row: want.row, reason });
    } else {
      report.started.push({
        workflowId: want.workflowId,
        type: want.type,
        row: want.row,
        reason: 'no running workflow for an open row',
      });
    }
    if (dryRun) continue;
    try {
      await client.workflow.start(want.type, {
        taskQueue: options.taskQueue,
        workflowId: want.workflowId,
        args: [want.input],
      });
    } catch (error) {
      // Started by the API or another reconcile meanwhile: it runs, which is what was wanted.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  // Approved trainers' terms that should be running but are not: reported, not started (see README).
  for (const [workflowId, row] of allowed) {
    if (row.includes('term running') && !runningIds.has(workflowId))
      report.leftAlone.push({
        workflowId,
        type: 'trainerApplication',
        row,
        reason: "the trainer's term has no running workflow; its renewal reminder and expiry need a look",
      });
  }
  return report;
}

/** The report in a few lines for a person (the command prints JSON with --json). */
export function describeReconcile(report: ReconcileReport): string {
  const list = (entries: ReconcileEntry[]) =>
    entries.map((e) => `  ${e.workflowId} (${e.type}; ${e.row}): ${e.reason}`).join('\n');
  const lines = [
    `${report.dryRun ? 'Dry run: nothing was changed. ' : ''}Task queue ${report.taskQueue}: ${report.expected} rows need a running workflow, ${report.alreadyRunning} had one.`,
    `Started: ${report.started.length}`,
    list(report.started),
    `Started again from the row${report.afterRestore ? ' (after a restore)' : ''}: ${report.restarted.length}`,
    list(report.restarted),
    `Terminated: ${report.terminated.length}`,
    list(report.terminated),
  ];
  if (report.leftAlone.length) lines.push(`Left for a person: ${report.leftAlone.length}`, list(report.leftAlone));
  return lines.filter((l) => l !== '').join('\n') + '\n';
}
