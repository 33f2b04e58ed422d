/**
 * Deadline reminders (issue 20) on the time-skipping server with the real workflow bundle,
 * activities on PostgreSQL and the mail path to the SMTP capture: the `complianceReminders`
 * workflow reminds at the rule set's 90/30/7 points only those still short, once per point and
 * period (a day run again sends nothing new), never after they met it, never to someone who
 * unsubscribed (who still hears the required status-turn notice of a rollover), and a July
 * program's contract year sets its own dates. The emails carry the one-click unsubscribe headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import { recordTraining } from '../../services/training.js';
import { refreshCompliance } from '../../services/compliance.js';
import { reminderPointDue, setRemindersWanted } from '../../services/reminders.js';
import { createReminderActivities } from '../../activities/complianceReminders.js';
import { complianceReminders } from '../../workflows/complianceReminders.js';
import { complianceRollover } from '../../workflows/complianceRollover.js';
import type { TestDatabase } from '../support/database.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import type { ProfessionalRow } from '../../db/rows.js';
import type { OrganizationRow } from '../../db/rows.js';
import { createUser } from '../../db/users.js';
import { mustFind } from '../support/rows.js';

let skipping: TimeSkipping;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let year: number;

beforeAll(async () => {
  skipping = await startTimeSkipping();
  ({ env, database } = skipping);
  year = Number((await skipping.serverToday()).slice(0, 4));
});
afterAll(async () => {
  await skipping?.close();
});

const LICENSING = 'licensing-annual-hours';
const SUBSIDY = 'subsidy-contract-year-hours';

async function credit(person: ProfessionalRow, hours: number, completedOn: string) {
  const course = await aCourse(database.db, { clock_hours: hours });
  await recordTraining(database.db, {
    professionalId: person.id,
    courseId: course.id,
    completedOn,
    source: 'attendance',
  });
}

/** Someone at a licensed program since January with `hours` credited in June, with an account. */
async function aTeacherWith(hours: number, organization?: OrganizationRow) {
  const { db } = database;
  const at = organization ?? (await anOrganization(db, { licensed: true, serves_infants: false }));
  const person = await aProfessional(db);
  await createUser(db, {
    email: person.email,
    passwordHash: 'not-used',
    displayName: person.first_name,
    professionalId: person.id,
    roles: ['professional'],
  });
  await anEmployment(db, person, at, `${year}-01-01`);
  if (hours > 0) await credit(person, hours, `${year}-06-01`);
  return person;
}

/** One day's reminder run, as the schedule starts it but with the date given. */
function remindOn(asOf: string, options: { batchLimit?: number; batchSize?: number } = {}) {
  return skipping.withWorker(async (taskQueue) => {
    const handle = await env.client.workflow.start(complianceReminders, {
      taskQueue,
      workflowId: `reminders-${asOf}-${Date.now()}`,
      args: [{ asOf, ...options }],
    });
    const outcome = await handle.result();
    // Kept (when recording) for the replay test: the last run recorded is the one kept.
    await keepHistory(handle, 'complianceReminders-batches');
    return outcome;
  });
}

/** The reminder keys written for a person (outbox), oldest first. */
async function reminderKeys(person: ProfessionalRow): Promise<string[]> {
  return (
    await database.db('outbox').where({ to_address: person.email, template: 'deadline-reminder' }).orderBy('id')
  ).map((r: { dedupe_key: string }) => r.dedupe_key);
}

const key = (person: ProfessionalRow, requirement: string, periodStart: string, point: number) =>
  `reminder-${person.id}-${requirement}-${periodStart}-${point}`;

describe('the reminder point due', () => {
  it('is the smallest point the days left have reached', () => {
    expect(reminderPointDue([90, 30, 7], 91)).toBeNull();
    expect(reminderPointDue([90, 30, 7], 90)).toBe(90);
    expect(reminderPointDue([90, 30, 7], 25)).toBe(30);
    expect(reminderPointDue([7, 90, 30], 0)).toBe(7);
  });
});

describe('the deadline reminder run', () => {
  it('reminds at 90, 30 and 7 days only those short, once per point, and stops once they meet it', async () => {
    const { db } = database;
    const short = await aTeacherWith(4);
    const catchingUp = await aTeacherWith(2);
    const met = await aTeacherWith(12);
    const optedOut = await aTeacherWith(3);
    await setRemindersWanted(db, optedOut.id, false);
    const periodStart = `${year}-01-01`;

    // October 2 is 90 days before December 31.
    const first = await remindOn(`${year}-10-02`);
    expect(first.reminded).toBe(2);
    expect(await reminderKeys(short)).toEqual([key(short, LICENSING, periodStart, 90)]);
    expect(await reminderKeys(catchingUp)).toEqual([key(catchingUp, LICENSING, periodStart, 90)]);
    expect(await reminderKeys(met)).toEqual([]);
    expect(await reminderKeys(optedOut)).toEqual([]);
    // The in-app notification goes with the email, keyed the same, saying what is needed by when.
    const notice = await db('notifications')
      .where({ dedupe_key: key(short, LICENSING, periodStart, 90) })
      .first('link', 'body');
    expect(notice?.link).toBe(`/professionals/${short.id}/compliance`);
    expect(notice?.body).toMatch(/8 clock hours by .*December 31/);

    // The same day again (a retried run, a schedule triggered twice) writes nothing new.
    const outboxSize = async () => Number((await db('outbox').count({ n: '*' }))[0]!.n);
    const before = await outboxSize();
    expect((await remindOn(`${year}-10-02`)).reminded).toBe(2);
    expect(await outboxSize()).toBe(before);

    // A day after the point but before the next: still the 90-day one, already sent.
    await remindOn(`${year}-10-20`);
    expect(await outboxSize()).toBe(before);

    // December 1 is 30 days before the end.
    await remindOn(`${year}-12-01`);
    expect(await reminderKeys(short)).toEqual([
      key(short, LICENSING, periodStart, 90),
      key(short, LICENSING, periodStart, 30),
    ]);

    // One of them completes their hours before the last point: no more reminders for them.
    await credit(catchingUp, 10, `${year}-12-10`);
    await remindOn(`${year}-12-24`);
    expect(await reminderKeys(short)).toEqual([
      key(short, LICENSING, periodStart, 90),
      key(short, LICENSING, periodStart, 30),
      key(short, LICENSING, periodStart, 7),
    ]);
    expect(await reminderKeys(catchingUp)).toEqual([
      key(catchingUp, LICENSING, periodStart, 90),
      key(catchingUp, LICENSING, periodStart, 30),
    ]);
    expect(await reminderKeys(met)).toEqual([]);
    expect(await reminderKeys(optedOut)).toEqual([]);
    expect(await db('notifications').where('dedupe_key', 'like', `reminder-${optedOut.id}-%`)).toEqual([]);

    // The emails arrive with both one-click unsubscribe headers (RFC 8058), the link the person's own.
    await skipping.mail.relay();
    const [delivered] = await skipping.smtp.waitFor((m) => m.to.includes(short.email), 3);
    const token = (await mustFind(db('reminder_preferences').where({ professional_id: short.id }).first()))
      .unsubscribe_token;
    expect(delivered!.headers['list-unsubscribe']).toBe(`<http://mopd.test/api/unsubscribe/${token}>`);
    expect(delivered!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it('sends a first run 25 days before the end only the 30-day reminder', async () => {
    const late = await aTeacherWith(0);
    await remindOn(`${year}-12-06`);
    expect(await reminderKeys(late)).toEqual([key(late, LICENSING, `${year}-01-01`, 30)]);
  });

  it("takes a July program's dates from its contract year", async () => {
    const { db } = database;
    const program = await anOrganization(db, {
      licensed: false,
      subsidized: true,
      serves_infants: false,
      contract_year_start_month: 7,
    });
    const person = await aTeacherWith(0, program);
    // The contract year from July 1 ends June 30; April 1 is 90 days before it, and March 31 is 91.
    await remindOn(`${year + 1}-03-31`);
    expect(await reminderKeys(person)).toEqual([]);
    await remindOn(`${year + 1}-04-01`);
    expect(await reminderKeys(person)).toEqual([key(person, SUBSIDY, `${year}-07-01`, 90)]);
    const row = await db('outbox')
      .where({ dedupe_key: key(person, SUBSIDY, `${year}-07-01`, 90) })
      .first();
    expect(row!.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });
});

describe('the status-turn notice of a rollover', () => {
  it('goes to someone whose status turned, reminders off or not, once', async () => {
    const { db } = database;
    const optedOut = await aTeacherWith(5);
    await setRemindersWanted(db, optedOut.id, false);
    const met = await aTeacherWith(12);
    for (const p of [optedOut, met]) await refreshCompliance(db, p.id, new Date(`${year}-12-01T18:00:00Z`));
    const asOf = `${year + 1}-01-01`;
    for (const attempt of [1, 2])
      await skipping.withWorker((taskQueue) =>
        env.client.workflow.execute(complianceRollover, {
          taskQueue,
          workflowId: `rollover-turned-${attempt}-${Date.now()}`,
          args: [{ asOf, batchSize: 2 }],
        }),
      );
    const turned = await db('outbox').where({ dedupe_key: `rollover-${asOf}-turned-${optedOut.id}` });
    expect(turned).toHaveLength(1);
    expect(turned[0]).toMatchObject({ to_address: optedOut.email, template: 'compliance-turned' });
    expect(turned[0]!.subject).toBe('A training period ended: you have hours to make up');
    expect(await db('notifications').where({ dedupe_key: `rollover-${asOf}-turned-${optedOut.id}` })).toHaveLength(1);
    // Still compliant (the new year has only begun): no notice.
    expect(await db('outbox').where({ dedupe_key: `rollover-${asOf}-turned-${met.id}` })).toEqual([]);
  });
});

describe('a reminder run whose batch failed midway, with the real server', () => {
  it('is retried and still reminds everyone exactly once', async () => {
    const { db } = database;
    const people = [await aTeacherWith(1), await aTeacherWith(1), await aTeacherWith(1)];
    const asOf = `${year}-12-29`;
    // The third person's first reminder fails (a sequence is not transactional, so only once), as
    // a worker dying in that sub-batch would: the sub-batch rolls back and the activity is retried.
    await db.raw(`
      CREATE SEQUENCE reminder_fault;
      CREATE FUNCTION reminder_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.dedupe_key LIKE 'reminder-${people[2]!.id}-%' AND nextval('reminder_fault') = 1 THEN
          RAISE EXCEPTION 'worker gone';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER reminder_fault BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION reminder_fault();
    `);
    try {
      await remindOn(asOf, { batchSize: 1 });
      const tried = await db.raw<{ rows: Array<{ last_value: string; is_called: boolean }> }>(
        'SELECT last_value, is_called FROM reminder_fault',
      );
      // The fault happened (the sequence moved) and the run carried on past it.
      expect(tried.rows[0]!.is_called).toBe(true);
      for (const person of people)
        expect(await reminderKeys(person)).toEqual([key(person, LICENSING, `${year}-01-01`, 7)]);
    } finally {
      await db.raw(`
        DROP TRIGGER reminder_fault ON outbox;
        DROP FUNCTION reminder_fault();
        DROP SEQUENCE reminder_fault;
      `);
    }
  });
});

describe('a reminder batch retried after its worker died', () => {
  it('carries on after the last id its heartbeat recorded', async () => {
    const people = [await aTeacherWith(0), await aTeacherWith(0), await aTeacherWith(0)];
    const asOf = `${year}-12-30`;
    // The earlier attempt had done the first two, with two reminders, when it last heartbeat.
    const activity = new MockActivityEnvironment({
      heartbeatDetails: { lastId: people[1]!.id, done: 2, reminded: 2 },
    });
    const beats: unknown[] = [];
    activity.on('heartbeat', (d: unknown) => beats.push(d));
    const { sendRemindersBatch } = createReminderActivities({ db: database.db, publicUrl: 'http://mopd.test' });
    const result = await activity.run(sendRemindersBatch, {
      asOf,
      afterId: people[0]!.id - 1,
      limit: 100,
      batchSize: 1,
    });
    expect(await reminderKeys(people[0]!)).not.toContain(key(people[0]!, LICENSING, `${year}-01-01`, 7));
    expect(await reminderKeys(people[2]!)).toContain(key(people[2]!, LICENSING, `${year}-01-01`, 7));
    // The batch's counts are the whole batch's, the earlier attempt's included.
    expect(result).toMatchObject({ finished: true, done: 3, reminded: 3, lastId: people[2]!.id });
    expect(beats).toEqual([{ lastId: people[2]!.id, done: 3, reminded: 3 }]);
  });
});
