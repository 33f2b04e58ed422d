/**
 * The forecast of one hours requirement's current period: at the person's pace of the last twelve
 * months, will they have the hours by the period's end? Pure: no I/O, no clock (the as-of date is
 * an input). The definitions are statistical, not licensing rules (rules/README.md, "Forecasts"):
 * the rule set says how many hours and by when; this only extrapolates the person's own record.
 */
import { addDays, compareDates, daysBetween, type LocalDate } from './dates.js';

/** The look-back of a pace: the 365 days up to and including the as-of date. */
export const PACE_WINDOW_DAYS = 365;

export type ForecastVerdict = 'met' | 'on-track' | 'at-risk' | 'no-pace';

/** The days a pace is measured over, and why they start where they do. */
export interface PaceWindow {
  from: LocalDate;
  to: LocalDate;
  days: number;
  /** 'twelve-months': the full look-back; 'since-employed': the person was employed for less of it. */
  basis: 'twelve-months' | 'since-employed';
}

export interface ForecastInput {
  asOf: LocalDate;
  /** The requirement's current period as the calculator judged it on `asOf`. */
  period: { end: LocalDate; required: number; applied: number };
  /** Credited hours completed within `paceWindow(asOf, employedSince)`. */
  hoursInWindow: number;
  /** The first day the person was employed (earliest hire date); null when unknown. */
  employedSince: LocalDate | null;
}

export interface Forecast {
  required: number;
  applied: number;
  /** Hours still needed in the period (0 when met). */
  stillNeeded: number;
  /** Days from the as-of date to the period's last day (0 on that day). */
  daysLeft: number;
  window: PaceWindow;
  /** Credited hours per day over the window. */
  pacePerDay: number;
  /** Applied hours plus the pace over the days left. */
  projected: number;
  /** Hours the projection falls short of the requirement (0 when it does not). */
  projectedShortfall: number;
  verdict: ForecastVerdict;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The window a pace is measured over: the 365 days up to `asOf`, or, for a person employed for
 * less than that, the days from their first day of employment (at least one day).
 */
export function paceWindow(asOf: LocalDate, employedSince: LocalDate | null): PaceWindow {
  const yearFrom = addDays(asOf, -(PACE_WINDOW_DAYS - 1));
  if (employedSince !== null && compareDates(employedSince, yearFrom) > 0) {
    const from = compareDates(employedSince, asOf) > 0 ? asOf : employedSince;
    return { from, to: asOf, days: daysBetween(from, asOf) + 1, basis: 'since-employed' };
  }
  return { from: yearFrom, to: asOf, days: PACE_WINDOW_DAYS, basis: 'twelve-months' };
}

export function forecastPeriod(input: ForecastInput): Forecast {
  const { asOf, period } = input;
  const window = paceWindow(asOf, input.employedSince);
  const daysLeft = Math.max(0, daysBetween(asOf, period.end));
  const pacePerDay = Math.max(0, input.hoursInWindow) / window.days;
  const stillNeeded = round2(Math.max(0, period.required - period.applied));
  const projected = round2(period.applied + pacePerDay * daysLeft);
  const projectedShortfall = round2(Math.max(0, period.required - projected));
  const verdict: ForecastVerdict =
    stillNeeded === 0 ? 'met' : input.hoursInWindow <= 0 ? 'no-pace' : projectedShortfall > 0 ? 'at-risk' : 'on-track';
  return {
    required: period.required,
    applied: period.applied,
    stillNeeded,
    daysLeft,
    window,
    pacePerDay: Math.round(pacePerDay * 10_000) / 10_000,
    projected,
    projectedShortfall,
    verdict,
  };
}

/** Whether a verdict means the person will not make it at their pace (what directors are shown). */
export const willFallShort = (verdict: ForecastVerdict) => verdict === 'at-risk' || verdict === 'no-pace';
