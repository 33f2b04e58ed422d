/**
 * The restore drill (issue 21, "Recover"): a backup of the system of record taken with the real
 * pg_dump, life going on after it, then the OLDER dump restored with pg_restore into a new database
 * while Temporal kept running; a fresh worker, mailer and API on the restored database, and
 * reconcile (services/reconcile.ts, as `npm run reconcile -- --after-restore` runs it). Afterwards
 * every open case and pending deadline has exactly one running workflow, the workflows of rows the
 * restored database does not have are ended, the cases can be finished through the API, and each
 * email went exactly once (SMTP capture, by Message-ID). Real PostgreSQL, Redis (one mail queue
 * throughout), Temporal dev server and SMTP capture.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { reconcile, runningRowWorkflows } from '../../services/reconcile.js';
import { caseViewQuery } from '../../workflows/approvalCase.js';
import { outboxMessageId } from '../../services/mail/mailer.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createDb, dropDatabase, ensureDatabase, migrateLatest, type Db } from '../../db/connection.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser, signIn, testApp, type Session, type TestUser } from '../support/app.js';
import { startWorker } from '../support/worker.js';
import { startTestMail } from '../support/mail.js';
import { until } from '../support/polling.js';

const run = promisify(execFile);
const taskQueue = `restore-drill-${randomUUID()}`;
const dumpFile = path.join(os.tmpdir(), `mopd-restore-drill-${randomUUID()}.dump`);

let smtp: SmtpCapture;
let redis: ReturnType<typeof createRedis>;
let connection: Connection;
let client: Client;
let original: TestDatabase;
let restoredUrl: string;
let restored: Db | undefined;
const stops: Array<() => Promise<unknown>> = [];

/** One side of the drill: a worker, the mail path on the shared queue prefix, and the API, all on one database. */
async function servicesOn(db: Db, url: string, prefix: string | undefined) {
  const worker = await startWorker(db, taskQueue);
  const mail = await startTestMail(db, smtp.smtpUrl, { prefix });
  const temporal: TemporalGateway = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue,
  });
  const app: Express = testApp({ db, url, drop: async () => undefined }, redis, temporal).app;
  let stopped = false;
  /** Stops the three; `keepQueue` leaves the mail queue in Redis for the restored database's mailer. */
  const stop = async (keepQueue = false) => {
    if (stopped) return;
    stopped = true;
    await worker.stop();
    await mail.close({ keepQueue });
    await temporal.close();
  };
  stops.push(stop);
  /** Relays the outbox until every row is sent (the mailer marks them). */
  const allMailSent = () =>
    until(
      async () => {
        await mail.relay();
        return db('outbox').whereNot({ status: 'sent' }).count<Array<{ n: string }>>({ n: '*' });
      },
      (r) => Number(r[0]!.n) === 0,
      30_000,
    );
  return { app, mail, stop, allMailSent };
}

const caseStatus = (db: Db, id: number) =>
  db('cases').where({ id }).first<{ status: string; assignee_user_id: string | null }>('status', 'assignee_user_id');

beforeAll(async () => {
  smtp = await startSmtpCapture();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: 'default' });
  original = await createTestDatabase();
  const url = new URL(original.url);
  url.pathname = `${url.pathname}_restored`;
  restoredUrl = url.toString();
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  // Nothing of the drill's keeps running on the shared server.
  if (client)
    for (const w of await runningRowWorkflows(client, taskQueue).catch(() => []))
      await client.workflow
        .getHandle(w.workflowId, w.runId)
        .terminate('test over')
        .catch(() => undefined);
  await connection?.close();
  await restored?.destroy();
  if (restoredUrl) await dropDatabase(restoredUrl).catch(() => undefined);
  await original?.drop();
  await redis?.quit();
  await smtp?.close();
  await rm(dumpFile, { force: true });
});

describe('backup and restore drill', () => {
  it(
    'restores an older dump while Temporal runs on; reconcile leaves one workflow per open row and mail goes once',
    { timeout: 240_000 },
    async () => {
      const started = Date.now();
      const mark = (what: string) => {
        if (process.env.DRILL_LOG)
          process.stderr.write(`drill ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}\n`);
      };
      const db = original.db;
      await db('settings')
        .where({ key: 'automatic_case_assignment' })
        .update({ value: JSON.stringify(false) });
      const before = await servicesOn(db, original.url, undefined);
      const prefix = before.mail.prefix;

      const reviewerUser = await aUser(db, ['reviewer']);
      const otherReviewerUser = await aUser(db, ['reviewer']);
      const adminUser = await aUser(db, ['admin']);
      const applicants: TestUser[] = [];
      for (let i = 0; i < 5; i++) applicants.push(await aUser(db, ['professional']));
      const reviewer = await signIn(before.app, reviewerUser);
      const admin = await signIn(before.app, adminUser);
      const submit = async (who: TestUser, i: number): Promise<number> => {
        const organization = await anOrganization(db, { name: `Drill Center ${i}`, region: 'Central' });
        const me = await signIn(before.app, who);
        const { body } = await me
          .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
          .expect(201);
        const id = Number(body.case.id);
        await until(
          () => caseStatus(db, id),
          (c) => c?.status === 'in_review',
        );
        return id;
      };
      const hire = async (daysAgo: number): Promise<number> => {
        const organization = await anOrganization(db, {
          name: `Infant Center ${daysAgo}`,
          licensed: true,
          serves_infants: true,
        });
        const person = await aUser(db, ['professional']);
        const { body } = await admin
          .post('/api/employments', {
            professionalId: person.professionalId,
            organizationId: organization.id,
            role: 'teacher',
            hireDate: addDays(localDateOf(new Date()), -daysAgo),
          })
          .expect(201);
        const id = Number(body.employment.id);
        await until(
          () => db('deadlines').where({ employment_id: id }).first('status', 'reminded_at'),
          (d) => d !== undefined && (daysAgo < 23 || d.reminded_at !== null),
        );
        return id;
      };

      // State at the backup: cases in review unassigned, claimed, asked for information; a hire
      // whose safe-sleep deadline is open and already reminded (due in 5 days), one not yet reminded.
      const unassigned = await submit(applicants[0]!, 0);
      const claimed = await submit(applicants[1]!, 1);
      const asked = await submit(applicants[2]!, 2);
      const decidedAfterBackup = await submit(applicants[3]!, 3);
      await reviewer.post(`/api/cases/${claimed}/claim`).expect(200);
      await reviewer.post(`/api/cases/${asked}/claim`).expect(200);
      await reviewer.post(`/api/cases/${asked}/request-information`, { message: 'Send the license.' }).expect(200);
      const remindedHire = await hire(25);
      const quietHire = await hire(10);
      await before.allMailSent();

      mark('state made');
      await run('pg_dump', ['--format=custom', `--file=${dumpFile}`, original.url]);

      mark('dump taken');
      // Life goes on after the backup: a decision, a claim, a new case, a new hire; their emails go.
      await reviewer.post(`/api/cases/${decidedAfterBackup}/claim`).expect(200);
      await reviewer
        .post(`/api/cases/${decidedAfterBackup}/decide`, { decision: 'approved', reasons: ['Checked.'] })
        .expect(200);
      await reviewer.post(`/api/cases/${unassigned}/claim`).expect(200);
      const openedAfterBackup = await submit(applicants[4]!, 4);
      const hiredAfterBackup = await hire(24);
      await before.allMailSent();
      const sentBeforeRestore = smtp.messages.length;
      const workflowOf = async (table: 'cases' | 'deadlines', where: Record<string, number>) =>
        (await db(table).where(where).first<{ workflow_id: string }>('workflow_id'))!.workflow_id;
      const goneCaseWorkflow = await workflowOf('cases', { id: openedAfterBackup });
      const goneHireWorkflow = await workflowOf('deadlines', { employment_id: hiredAfterBackup });
      const decidedWorkflow = await workflowOf('cases', { id: decidedAfterBackup });
      expect((await client.workflow.getHandle(decidedWorkflow).describe()).status.name).toBe('COMPLETED');

      mark('life went on');
      // The database is lost; the old dump goes into a new database. Temporal kept running.
      await before.stop(true);
      await ensureDatabase(restoredUrl);
      await restoreDump(dumpFile, restoredUrl);
      restored = createDb(restoredUrl, { max: 5 });
      await migrateLatest(restored);
      expect((await restored.raw("SELECT 1 FROM pg_indexes WHERE indexname = 'events_place'")).rows).toHaveLength(1);
      const after = await servicesOn(restored, restoredUrl, prefix);
      expect(await caseStatus(restored, openedAfterBackup)).toBeUndefined();
      expect(await caseStatus(restored, decidedAfterBackup)).toMatchObject({ status: 'in_review' });

      mark('restored');
      const dry = await reconcile(restored, client, { taskQueue, afterRestore: true, orphanGraceMs: 0, dryRun: true });
      const report = await reconcile(restored, client, { taskQueue, afterRestore: true, orphanGraceMs: 0 });
      expect(dry.terminated).toEqual(report.terminated);
      const openCaseWorkflows: string[] = await restored('cases')
        .whereIn('status', ['submitted', 'in_review', 'information_requested'])
        .orderBy('id')
        .pluck('workflow_id');
      const pendingDeadlineWorkflows: string[] = await restored('deadlines')
        .whereNotIn('status', ['met', 'met_late', 'cancelled'])
        .distinct()
        .pluck('workflow_id');
      expect(openCaseWorkflows).toHaveLength(4);
      expect(pendingDeadlineWorkflows).toHaveLength(2);
      const expected = [...openCaseWorkflows, ...pendingDeadlineWorkflows].sort();
      expect(report.expected).toBe(expected.length);
      expect(report.started.map((e) => e.workflowId)).toEqual([decidedWorkflow]);
      expect(report.restarted.map((e) => e.workflowId).sort()).toEqual(expected.filter((id) => id !== decidedWorkflow));
      expect(report.terminated.map((e) => e.workflowId).sort()).toEqual([goneCaseWorkflow, goneHireWorkflow].sort());

      mark('reconciled');
      // Exactly one running workflow per open row, and none besides (Temporal's visibility store).
      await until(
        async () => (await runningRowWorkflows(client, taskQueue)).map((w) => w.workflowId).sort(),
        (ids) => JSON.stringify(ids) === JSON.stringify(expected),
        20_000,
      );
      for (const id of [goneCaseWorkflow, goneHireWorkflow]) {
        const ended = await client.workflow.getHandle(id).describe();
        expect(ended.status.name).toBe('TERMINATED');
      }
      // A second run finds nothing to do.
      const again = await reconcile(restored, client, { taskQueue, orphanGraceMs: 0 });
      expect(again).toMatchObject({ started: [], restarted: [], terminated: [], alreadyRunning: expected.length });

      mark('visibility checked');
      // Each case's new workflow holds what its restored row says (status and holder), not the lost timeline's.
      for (const id of [unassigned, claimed, asked, decidedAfterBackup]) {
        const row = (await caseStatus(restored, id))!;
        const workflowId = await restored('cases').where({ id }).first('workflow_id');
        await until(
          // Until its first task has run, the workflow answers no query yet.
          () =>
            client.workflow
              .getHandle(workflowId!.workflow_id)
              .query(caseViewQuery)
              .catch(() => null),
          (view) =>
            view !== null &&
            view.status === row.status &&
            view.assigneeUserId === (row.assignee_user_id === null ? null : Number(row.assignee_user_id)),
          20_000,
        );
      }

      mark('workflows hold the rows state');
      // The cases go on from where the restored rows stand, through the API of the restored database.
      const reviewerAfter = await signIn(after.app, reviewerUser);
      const otherReviewer: Session = await signIn(after.app, otherReviewerUser);
      // Claimed after the backup in the lost timeline: unassigned here, so another reviewer may claim it.
      await otherReviewer.post(`/api/cases/${unassigned}/claim`).expect(200);
      await otherReviewer
        .post(`/api/cases/${unassigned}/decide`, { decision: 'denied', reasons: ['Not the director.'] })
        .expect(200);
      // Claimed before the backup: still the reviewer's, not assigned again.
      expect(Number((await caseStatus(restored, claimed))!.assignee_user_id)).toBe(reviewerUser.user.id);
      await reviewerAfter
        .post(`/api/cases/${claimed}/decide`, { decision: 'approved', reasons: ['Checked.'] })
        .expect(200);
      // Asked before the backup: the applicant answers, then the reviewer decides.
      const applicant = await signIn(after.app, applicants[2]!);
      const answered = await applicant.post(`/api/cases/${asked}/answer`, { message: 'Attached.' }).expect(200);
      expect(answered.body.case.status).toBe('in_review');
      await reviewerAfter
        .post(`/api/cases/${asked}/decide`, { decision: 'approved', reasons: ['Checked.'] })
        .expect(200);
      // Decided after the backup in the lost timeline: decided again here.
      await reviewerAfter.post(`/api/cases/${decidedAfterBackup}/claim`).expect(200);
      await reviewerAfter
        .post(`/api/cases/${decidedAfterBackup}/decide`, { decision: 'approved', reasons: ['Checked again.'] })
        .expect(200);
      for (const id of [unassigned, claimed, asked, decidedAfterBackup])
        expect((await caseStatus(restored, id))!.status).toMatch(/approved|denied/);
      const decisions = await restored('case_events')
        .whereIn('kind', ['approved', 'denied'])
        .groupBy('case_id')
        .select('case_id')
        .count<Array<{ case_id: string; n: string }>>({ n: '*' });
      expect(decisions.map((d) => Number(d.n))).toEqual([1, 1, 1, 1]);
      // The deadlines kept their state: the reminded one was not reminded again.
      expect(await restored('deadlines').where({ employment_id: remindedHire }).first('status')).toEqual({
        status: 'open',
      });
      expect(await restored('deadlines').where({ employment_id: quietHire }).first('status')).toEqual({
        status: 'open',
      });

      mark('cases finished');
      // Mail: every row of the restored outbox sent, each received exactly once; nothing received twice.
      await after.allMailSent();
      const rows: Array<{ id: string; job_key: string; to_address: string; subject: string }> = await restored(
        'outbox',
      ).select('id', 'job_key', 'to_address', 'subject');
      const byMessageId = new Map<string, number>();
      for (const m of smtp.messages) byMessageId.set(m.messageId ?? '', (byMessageId.get(m.messageId ?? '') ?? 0) + 1);
      expect([...byMessageId.values()].every((n) => n === 1)).toBe(true);
      for (const row of rows)
        expect(byMessageId.get(outboxMessageId({ id: Number(row.id), job_key: row.job_key })), row.subject).toBe(1);
      // The reminder sent before the backup went once, though its workflow ran again; the lost
      // timeline's hire had its own, sent before the restore and not again.
      const reminders = smtp.messages.filter((m) => m.headers['x-mopd-template'] === 'deadline-reminder');
      expect(reminders).toHaveLength(2);
      expect(new Set(reminders.map((m) => m.to[0])).size).toBe(2);
      expect(smtp.messages.length).toBeGreaterThan(sentBeforeRestore);
    },
  );
});

/**
 * pg_restore as the README's runbook runs it. It reports one error, always the same: the
 * `events_place` index calls earthdistance's `ll_to_earth`, whose body names the `earth` type
 * without its schema, and pg_restore runs with an empty search_path. Everything else is restored;
 * that index is then created again from the dump with `search_path=public`.
 */
async function restoreDump(file: string, url: string): Promise<void> {
  const restored = await run('pg_restore', ['--no-owner', `--dbname=${url}`, file]).then(
    () => '',
    (error: { stderr?: string }) => error.stderr ?? String(error),
  );
  const failures = restored.split('\n').filter((line) => line.startsWith('Command was:'));
  expect(
    failures.every((line) => line.includes('events_place')),
    restored,
  ).toBe(true);
  await run('bash', [
    '-c',
    `set -o pipefail; pg_restore --section=post-data --index=events_place -f - "$0" | grep '^CREATE INDEX' | PGOPTIONS='-c search_path=public' psql -v ON_ERROR_STOP=1 -q "$1"`,
    file,
    url,
  ]);
}
