/**
 * Dates in the UI: every view writes them with these, in the current language, through the one
 * formatter emails use too (rules/dateFormat.ts).
 */
import { formatDate, type DateStyle } from '../../rules/dateFormat';
import { intlLocale } from './i18n';

export { calendarDateOf, isCalendarDate } from '../../rules/dateFormat';

/** A calendar date ('YYYY-MM-DD') or an instant, as "Jan 6, 2027" (or in the style asked for). */
export const formatDay = (value: string | Date | null | undefined, style: DateStyle = 'short') =>
  formatDate(value, intlLocale(), style);

/** An instant with its time of day, in Missouri: "Jan 6, 2027, 11:30 PM". */
export const formatDateTime = (value: string | Date | null | undefined) => formatDate(value, intlLocale(), 'dateTime');
