/**
 * A program's settings over time: licensed, license-exempt, subsidized, serves infants and the
 * month its contract year starts are effective-dated (a change applies from a date; earlier
 * periods keep the settings they had). Pure: this cuts one employment into the pieces during
 * which one set of settings applied.
 *
 * The rules chosen:
 * - A setting row applies from its `effectiveFrom` until the day before the next row's. Days
 *   before a program's first row take the first row (the history begins with what was recorded).
 * - A contract year is judged by the start month in effect at that contract year's start. So a
 *   change of start month takes effect when the contract year running on its effective date
 *   ends (at once, when the change falls on the first day of a contract year, or when the program
 *   had no contract year before): the running year keeps its old bounds, and from the next day the
 *   program's contract years start in the new month, the first of them being the one that contains
 *   that day (as when a person joins a program with that contract year).
 */
import { addDays, compareDates, dateOf, monthOf, yearOf, type LocalDate } from './dates.js';

export interface ProgramSettings {
  effectiveFrom: LocalDate;
  licensed: boolean;
  licenseExempt: boolean;
  subsidized: boolean;
  servesInfants: boolean;
  contractYearStartMonth: number | null;
}

/** Part of an employment under one set of settings, and the contract-year month that judges it. */
export interface SettingsPiece {
  from: LocalDate;
  /** Last day, inclusive; null while it goes on. */
  to: LocalDate | null;
  settings: ProgramSettings;
  /** The start month in effect at the start of the contract years this piece falls in. */
  contractYearStartMonth: number | null;
}

/** The first day of the contract year (starting in `month`) after the one containing `date`. */
function nextContractYearStart(date: LocalDate, month: number): LocalDate {
  const year = yearOf(date);
  const startYear = monthOf(date) >= month ? year : year - 1;
  return dateOf(startYear + 1, month, 1);
}

/** The contract-year start month over time: each change from the day it takes effect. */
export function contractMonthTimeline(history: ProgramSettings[]): Array<{ from: LocalDate; month: number | null }> {
  const rows = [...history].sort((a, b) => compareDates(a.effectiveFrom, b.effectiveFrom));
  const timeline: Array<{ from: LocalDate; month: number | null }> = [];
  for (const row of rows) {
    const current = timeline.at(-1);
    const month = row.contractYearStartMonth;
    if (!current) {
      timeline.push({ from: row.effectiveFrom, month });
      continue;
    }
    // A program that leaves subsidy keeps its last contract year's month (nothing reads it meanwhile).
    if (month === null || month === current.month) continue;
    let from = row.effectiveFrom;
    if (current.month !== null) {
      const startsYear = from.slice(8) === '01' && monthOf(from) === current.month;
      if (!startsYear) from = nextContractYearStart(from, current.month);
    }
    if (compareDates(from, current.from) <= 0) timeline[timeline.length - 1] = { from: current.from, month };
    else timeline.push({ from, month });
  }
  return timeline;
}

/**
 * The pieces of one employment (from `from` to `to`, inclusive) under each set of settings, with
 * the contract-year month that judges each; empty history gives one piece under `fallback`.
 */
export function settingsPieces(
  history: ProgramSettings[],
  from: LocalDate,
  to: LocalDate | null,
  fallback: ProgramSettings,
): SettingsPiece[] {
  const rows = history.length
    ? [...history].sort((a, b) => compareDates(a.effectiveFrom, b.effectiveFrom))
    : [fallback];
  const months = contractMonthTimeline(rows);
  const cuts = new Set<LocalDate>([from]);
  // The first row also covers the days before it, so only later rows (and month changes) cut.
  for (const r of rows.slice(1)) if (compareDates(r.effectiveFrom, from) > 0) cuts.add(r.effectiveFrom);
  for (const m of months.slice(1)) if (compareDates(m.from, from) > 0) cuts.add(m.from);
  const starts = [...cuts].filter((d) => to === null || compareDates(d, to) <= 0).sort(compareDates);
  const inEffect = <T extends { from: LocalDate }>(list: T[], day: LocalDate): T =>
    list.filter((x) => compareDates(x.from, day) <= 0).at(-1) ?? list[0]!;
  const settingsRows = rows.map((r) => ({ from: r.effectiveFrom, row: r }));
  return starts.map((start, i) => ({
    from: start,
    to: i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to,
    settings: inEffect(settingsRows, start).row,
    contractYearStartMonth: inEffect(months, start).month,
  }));
}

/** The settings in effect on a day (the first row for days before it); null when there are none. */
export function settingsOn(history: ProgramSettings[], day: LocalDate): ProgramSettings | null {
  const rows = [...history].sort((a, b) => compareDates(a.effectiveFrom, b.effectiveFrom));
  return rows.filter((r) => compareDates(r.effectiveFrom, day) <= 0).at(-1) ?? rows[0] ?? null;
}
