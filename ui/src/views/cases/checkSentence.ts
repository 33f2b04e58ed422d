/**
 * What an automatic check found, in the reader's language: MOPD's own sentence for the outcome
 * (`cases.checks.passed.<key>` or `cases.checks.failed.<key>`, ui/src/locales/<language>/cases.json)
 * with the values the result names. A result that names none (recorded before passes were worded,
 * or a reason from the rule set or the evidence rules) or one this UI does not know shows its
 * English `message` as the checks recorded it.
 */
import type { CheckResult } from '../../../../activities/cases.js';

/** The part of vue-i18n's composer a sentence needs. */
export interface Wording {
  t(key: string, named: Record<string, unknown>): string;
  t(key: string, named: Record<string, unknown>, plural: number): string;
  te(key: string): boolean;
}

/** Values named `…On` are calendar dates, written by `day`; `count` picks the plural form. */
export function checkSentence(result: CheckResult, { t, te }: Wording, day: (date: string) => string): string {
  const words = result.passed ? result.passedWords : result.failedWords;
  if (!words) return result.message;
  const key = `cases.checks.${result.passed ? 'passed' : 'failed'}.${words.key}`;
  if (!te(key)) return result.message;
  const values = Object.fromEntries(Object.entries(words.values).map(([name, value]) => [name, /On$/.test(name) ? day(value) : value]));
  return 'count' in values ? t(key, values, Number(values.count)) : t(key, values);
}
