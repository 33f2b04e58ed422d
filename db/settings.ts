/**
 * Every setting an admin (or an operator, in the `settings` table) can change: its key, the shape of
 * its value and the default used while no row holds it, each written once here. Migrations seed
 * some of these rows with the values of their day; the defaults below answer for a missing row.
 */
import { z } from 'zod';
import { DEFAULT_BUSINESS_CALENDAR } from '../rules/businessCalendar.js';
import type { Db } from './connection.js';

const serviceLevel = z.object({ decideWithinWorkingDays: z.number(), escalateAfterWorkingDays: z.number() });

export const SETTINGS = {
  /** Inspectors read every facility's staff report, not only those assigned to them. */
  inspectors_see_all_facilities: { schema: z.boolean(), default: false },
  /** New cases go to the reviewer with the fewest open cases. */
  automatic_case_assignment: { schema: z.boolean(), default: true },
  /** The days and hours service levels are counted on. */
  business_calendar: {
    schema: z.object({
      timeZone: z.string(),
      workingDays: z.array(z.number()),
      opensAt: z.string(),
      closesAt: z.string(),
      holidays: z.array(z.string()),
    }),
    default: DEFAULT_BUSINESS_CALENDAR,
  },
  /** Service levels per case type; a type without one takes `defaultServiceLevel`. */
  case_service_levels: { schema: z.record(z.string(), serviceLevel), default: {} },
  /** How long an applicant has to answer a request for information, and when they are reminded. */
  case_information_window: {
    schema: z.object({ answerWithinDays: z.number(), remindDaysBefore: z.number() }),
    default: { answerWithinDays: 30, remindDaysBefore: 7 },
  },
  /** How long a trainer's approval lasts, and when the trainer is reminded to renew. */
  trainer_approval_term: {
    schema: z.object({ years: z.number(), remindDaysBefore: z.number() }),
    default: { years: 2, remindDaysBefore: 60 },
  },
  /**
   * Four eyes: a rule-set version's publication is approved by someone who did not draft it, unless
   * this lets one person draft and approve (a small office with one policy writer).
   */
  rule_set_single_person_publication: { schema: z.boolean(), default: false },
  /** When registrants are reminded of an event. */
  event_reminders: { schema: z.object({ remindHoursBefore: z.number() }), default: { remindHoursBefore: 48 } },
  /**
   * N for analytics: a cell describing between 1 and N−1 people is suppressed. Read as a number
   * however it was stored, NaN when it is none; the analytics service takes the default for
   * anything but a whole number of at least 2.
   */
  analytics_small_group_threshold: { schema: z.coerce.number().catch(Number.NaN), default: 5 },
} satisfies Record<string, { schema: z.ZodType; default: unknown }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]['schema']>;

/** A case type's service level while `case_service_levels` names none for it. */
export const DEFAULT_SERVICE_LEVEL: z.output<typeof serviceLevel> = {
  decideWithinWorkingDays: 10,
  escalateAfterWorkingDays: 2,
};

/**
 * A setting's value: the row's, checked against its shape, or the default when there is no row.
 * A row of the wrong shape is a misconfiguration and fails loudly rather than steering cases.
 */
export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<SettingValue<K>> {
  const row = await db('settings').where({ key }).first<{ value: unknown } | undefined>('value');
  const { schema, default: fallback } = SETTINGS[key];
  if (!row) return structuredClone(fallback) as SettingValue<K>;
  const parsed = schema.safeParse(row.value);
  if (!parsed.success)
    throw new Error(`Setting ${key} holds a value of the wrong shape: ${z.prettifyError(parsed.error)}`);
  return parsed.data as SettingValue<K>;
}

/** A setting's stored row (its raw value), when there is one. */
export function findSettingRow(db: Db, key: SettingKey): Promise<{ key: string; value: unknown } | undefined> {
  return db('settings').where({ key }).first();
}

/** Stores a setting's value, adding the row or replacing its value. */
export async function upsertSetting(db: Db, key: SettingKey, value: unknown): Promise<void> {
  await db('settings')
    .insert({ key, value: JSON.stringify(value), updated_at: db.fn.now() })
    .onConflict('key')
    .merge();
}

/** The stored rows of these settings (raw values, unchecked; none for a setting never stored). */
export function settingRows(db: Db, keys: SettingKey[]): Promise<Array<{ key: string; value: unknown }>> {
  return db('settings').whereIn('key', keys).select('key', 'value');
}
