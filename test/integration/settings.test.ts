/** Settings read through db/settings.ts: the row's value when there is one, else the one default. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSetting, SETTINGS } from '../../db/settings.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const put = (key: string, value: unknown) =>
  database
    .db('settings')
    .insert({ key, value: JSON.stringify(value) })
    .onConflict('key')
    .merge();

describe('settings', () => {
  it('answers the declared default while no row holds the setting', async () => {
    await database.db('settings').where({ key: 'trainer_approval_term' }).delete();
    expect(await getSetting(database.db, 'trainer_approval_term')).toEqual({ years: 2, remindDaysBefore: 60 });
    expect(await getSetting(database.db, 'trainer_approval_term')).toEqual(SETTINGS.trainer_approval_term.default);
  });

  it('answers the stored value once an admin changes it', async () => {
    await put('trainer_approval_term', { years: 3, remindDaysBefore: 30 });
    expect(await getSetting(database.db, 'trainer_approval_term')).toEqual({ years: 3, remindDaysBefore: 30 });
  });

  it('refuses a stored value of the wrong shape, naming the setting', async () => {
    await put('event_reminders', { remindHoursBefore: 'two days' });
    await expect(getSetting(database.db, 'event_reminders')).rejects.toThrow(/event_reminders/);
  });

  it('hands out a copy of a default, so a caller cannot change it for the next', async () => {
    await database.db('settings').where({ key: 'business_calendar' }).delete();
    const calendar = await getSetting(database.db, 'business_calendar');
    calendar.holidays.push('2030-01-01');
    expect((await getSetting(database.db, 'business_calendar')).holidays).not.toContain('2030-01-01');
  });
});
