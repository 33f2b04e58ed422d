/**
 * Calendar dates and instants on issue 19's screens. Calendar dates ('YYYY-MM-DD') are written as
 * the day they name, whatever the browser's zone; instants in Missouri's time.
 * TODO(issue 19, one date function): switch to ui/src/dates.ts once it is in.
 */
import { intlLocale } from '../../i18n';

export const longDate = (day: string) =>
  new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

export const dateTime = (instant: string) =>
  new Intl.DateTimeFormat(intlLocale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'America/Chicago',
  }).format(new Date(instant));

/** Today in Missouri, as 'YYYY-MM-DD'. */
export const todayInMissouri = () => new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
