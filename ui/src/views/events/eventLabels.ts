/** How the event pages name and time things: Missouri wall-clock time, whatever the browser's zone. */
import { DELIVERY_MODES, REGISTRY_TIME_ZONE } from '../../../../rules/domain';
import type { EventSession } from '../../api';
import { i18n, intlLocale, translatedLabels } from '../../i18n';

export const DELIVERY_LABELS: Readonly<Record<string, string>> = translatedLabels('events.delivery', DELIVERY_MODES);
/** The languages training is given in (what the course is taught in, not the UI's). */
export const LANGUAGE_LABELS: Readonly<Record<string, string>> = translatedLabels('events.trainingLanguage', [
  'en',
  'es',
]);

export const money = (cents: number) =>
  cents === 0
    ? i18n.global.t('events.free')
    : new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'USD' }).format(cents / 100);
export const hoursText = (hours: number) => i18n.global.t('events.clockHours', { n: hours }, hours);

export const dayOf = (iso: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone: REGISTRY_TIME_ZONE });
export const longDay = (iso: string) =>
  new Date(iso).toLocaleDateString(intlLocale(), {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: REGISTRY_TIME_ZONE,
  });
export const timeOf = (iso: string) =>
  new Date(iso).toLocaleTimeString(intlLocale(), { hour: 'numeric', minute: '2-digit', timeZone: REGISTRY_TIME_ZONE });
export const timeRange = (s: { startsAt: string; endsAt: string }) => `${timeOf(s.startsAt)}–${timeOf(s.endsAt)}`;

/** A session's name in lists and labels: its title, or its day and time when it has none. */
export const sessionName = (s: EventSession) =>
  s.title || i18n.global.t('events.sessionOf', { day: longDay(s.startsAt) });

/** Sessions by Missouri calendar day, in order. */
export function byDay(sessions: EventSession[]): Array<{ day: string; label: string; sessions: EventSession[] }> {
  const days = new Map<string, EventSession[]>();
  for (const s of [...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const day = dayOf(s.startsAt);
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  return [...days].map(([day, list]) => ({ day, label: longDay(list[0]!.startsAt), sessions: list }));
}

/** Minutes east of UTC in Missouri at an instant (-360 in winter, -300 in summer). */
function offsetMinutes(at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: REGISTRY_TIME_ZONE, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * The instant a Missouri date and time name, with its offset (2027-03-02T09:00:00-06:00), as the API
 * takes it. Empty when either part is missing, so the server names the field.
 */
export function missouriInstant(date: string, time: string): string {
  if (!date || !time) return '';
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(asUtc)) return '';
  // The offset at the guessed instant, checked once more at the corrected one (DST changes).
  const offset = offsetMinutes(new Date(asUtc - offsetMinutes(new Date(asUtc)) * 60_000));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${time}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
