/** The event-reminder workflow on the time-skipping test server, with its activities on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  eventChangedSignal,
  eventReminders,
  eventRemindersWorkflowId,
  plannedReminderQuery,
} from '../../workflows/eventReminders.js';
import { createEvent } from '../../db/events.js';
import { createRegistrations } from '../../services/registrations.js';
import type { TestDatabase } from '../support/database.js';
import { aCourse, aProfessional } from '../support/fixtures.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import { until } from '../support/polling.js';

let skipping: TimeSkipping;
let env: TestWorkflowEnvironment;
let database: TestDatabase;

beforeAll(async () => {
  skipping = await startTimeSkipping();
  ({ env, database } = skipping);
});
afterAll(async () => {
  await skipping?.close();
});

/** An online event starting `days` from the test server's now, with one person holding a seat and one waiting. */
async function anUpcomingEvent(days: number) {
  const { db } = database;
  const now = new Date(await env.currentTimeMs());
  const startsAt = new Date(now.getTime() + days * 86_400_000);
  const course = await aCourse(db, { delivery: 'online', title: 'Early Literacy Online' });
  const event = await createEvent(db, {
    course,
    capacity: 1,
    onlineUrl: 'https://meet.example/literacy',
    sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), hours: 2 }],
  });
  const registrations = createRegistrations({ db, publicUrl: 'http://mopd.test', now: () => now });
  const seated = await aProfessional(db);
  const waiting = await aProfessional(db);
  await registrations.register({ eventId: event.id, professionalId: seated.id, byUserId: null });
  await registrations.register({ eventId: event.id, professionalId: waiting.id, byUserId: null });
  return { event, seated, waiting, startsAt };
}

const reminders = (email: string) =>
  database.db('outbox').where({ to_address: email, template: 'registration-reminder' });

describe('event reminders', () => {
  it('reminds those holding a seat 48 hours before the start, once, and not those waiting', async () => {
    const { event, seated, waiting } = await anUpcomingEvent(5);
    await skipping.withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(eventReminders, {
        taskQueue,
        workflowId: eventRemindersWorkflowId(event.id),
        args: [{ eventId: event.id }],
      });
      await env.sleep('2 days');
      expect(await reminders(seated.email)).toHaveLength(0);
      await env.sleep('25 hours');
      expect(await handle.result()).toEqual({ sent: 1 });
      expect(await reminders(seated.email)).toHaveLength(1);
      expect(await reminders(waiting.email)).toHaveLength(0);
      await keepHistory(handle, 'eventReminders-reminded');
    });
  });

  it('waits for an event still being saved, reminds once it is there, and ends quietly if it never is', async () => {
    const { db } = database;
    const now = new Date(await env.currentTimeMs());
    const startsAt = new Date(now.getTime() + 5 * 86_400_000);
    const course = await aCourse(db, { delivery: 'online', title: 'Guidance Online' });
    await skipping.withWorker(async (taskQueue) => {
      // The scheduling transaction has not committed when the workflow first looks: it looks again.
      const event = await db.transaction(async (trx) => {
        const created = await createEvent(trx, {
          course,
          capacity: 5,
          onlineUrl: 'https://meet.example/guidance',
          sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), hours: 1 }],
        });
        const handle = await env.client.workflow.start(eventReminders, {
          taskQueue,
          workflowId: eventRemindersWorkflowId(created.id),
          args: [{ eventId: created.id }],
        });
        // The workflow has looked, found no row, and waits to look again: its activity failed once.
        await until(
          async () => (await handle.describe()).raw.pendingActivities ?? [],
          (pending) => pending.some((a) => (a.attempt ?? 0) >= 2 && a.lastFailure != null),
        );
        expect(await handle.query(plannedReminderQuery)).toBeNull();
        return created;
      });
      const handle = env.client.workflow.getHandle(eventRemindersWorkflowId(event.id));
      await expect
        .poll(() => handle.query(plannedReminderQuery), { timeout: 30_000, interval: 200 })
        .toBe(new Date(startsAt.getTime() - 48 * 3_600_000).toISOString());
      await handle.terminate('test over');

      // Rolled back: no row will ever come; after its tries the workflow ends having sent nothing.
      const never = 900_000_000 + Math.floor(Math.random() * 1_000_000);
      const orphan = await env.client.workflow.start(eventReminders, {
        taskQueue,
        workflowId: eventRemindersWorkflowId(never),
        args: [{ eventId: never }],
      });
      expect(await orphan.result()).toEqual({ sent: 0 });
      const tries = (await orphan.fetchHistory())
        .events!.filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt);
      expect(tries).toEqual([10]);
    });
  });

  it('plans again when the event moves, and sends nothing for a cancelled event', async () => {
    const { db } = database;
    const moved = await anUpcomingEvent(4);
    const cancelled = await anUpcomingEvent(4);
    await skipping.withWorker(async (taskQueue) => {
      const movedHandle = await env.client.workflow.start(eventReminders, {
        taskQueue,
        workflowId: eventRemindersWorkflowId(moved.event.id),
        args: [{ eventId: moved.event.id }],
      });
      const cancelledHandle = await env.client.workflow.start(eventReminders, {
        taskQueue,
        workflowId: eventRemindersWorkflowId(cancelled.event.id),
        args: [{ eventId: cancelled.event.id }],
      });
      await env.sleep('1 day');
      // Moved ten days later; the other one is called off.
      await db('events')
        .where({ id: moved.event.id })
        .update({
          first_session_at: db.raw("first_session_at + interval '10 days'"),
          last_session_at: db.raw("last_session_at + interval '10 days'"),
        });
      const before = await movedHandle.query(plannedReminderQuery);
      await movedHandle.signal(eventChangedSignal);
      // Queries do not move the test server's clock: wait for the new plan before anything that does.
      await until(
        () => movedHandle.query(plannedReminderQuery),
        (planned) => planned !== before,
        10_000,
      );
      expect(Date.parse((await movedHandle.query(plannedReminderQuery))!) - Date.parse(before!)).toBe(10 * 86_400_000);
      await db('events').where({ id: cancelled.event.id }).update({ cancelled: true });
      await cancelledHandle.signal(eventChangedSignal);
      // Not `result()`: on the time-skipping server even a finished workflow's result() unlocks the
      // clock for a moment, and it jumps to the other workflow's timer. Watch it close instead.
      await until(
        async () => (await cancelledHandle.describe()).status.name,
        (name) => name !== 'RUNNING',
        10_000,
      );
      expect((await cancelledHandle.describe()).status.name).toBe('COMPLETED');
      await env.sleep('2 days');
      expect(await reminders(moved.seated.email)).toHaveLength(0);
      await env.sleep('10 days');
      expect(await movedHandle.result()).toEqual({ sent: 1 });
      expect(await reminders(moved.seated.email)).toHaveLength(1);
      expect(await reminders(cancelled.seated.email)).toHaveLength(0);
      await keepHistory(movedHandle, 'eventReminders-moved-then-reminded');
    });
  });
});
