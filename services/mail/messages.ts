/**
 * Email wording per language: `messages/<language>.json`, the same keys in each (a unit test keeps
 * them in step). `{name}` is replaced by the named value; a message written as `{ "one", "other" }`
 * is chosen by the plural rules of the language for the value `count`. Dates are written by `Intl`
 * in the language's own way.
 */
import en from './messages/en.json' with { type: 'json' };
import es from './messages/es.json' with { type: 'json' };
import type { Language } from '../../rules/domain.js';
import { formatDate } from '../../rules/dateFormat.js';

export type EmailMessages = typeof en;
export const emailMessages: Record<Language, EmailMessages> = { en, es };

/** The locale Intl formats in: Spanish as written in the United States. */
export const intlLocale = (language: Language) => (language === 'es' ? 'es-US' : 'en-US');

type Values = Record<string, string | number>;
type Plural = { one: string; other: string };

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export function fill(text: string, values: Values = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function plural(language: Language, forms: Plural, count: number, values: Values = {}): string {
  const form = new Intl.PluralRules(intlLocale(language)).select(count) === 'one' ? forms.one : forms.other;
  return fill(form, { ...values, count: new Intl.NumberFormat(intlLocale(language)).format(count) });
}

/** A calendar date (YYYY-MM-DD) as words: "Tuesday, December 1, 2026" / "martes, 1 de diciembre de 2026" (as the UI writes it). */
export const longDate = (language: Language, date: string) => formatDate(date, intlLocale(language), 'long');

/** A moment in Missouri's time, with the weekday and the hour. */
export const eventTime = (language: Language, at: Date) =>
  at.toLocaleString(intlLocale(language), {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'America/Chicago',
  });

export const monthLabel = (language: Language, month: string) =>
  new Date(`${month}-15T12:00:00Z`).toLocaleDateString(intlLocale(language), {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

export const dayLabel = (language: Language, at: Date) =>
  at.toLocaleDateString(intlLocale(language), {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'America/Chicago',
  });
