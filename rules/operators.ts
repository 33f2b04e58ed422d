/**
 * Date operators of the rule vocabulary. Facts carry local calendar dates ('YYYY-MM-DD' in
 * America/Chicago), so rules say "completed after Dec 31 of the year registered" as a condition
 * instead of leaving the arithmetic hidden in code.
 */
import { Operator } from 'json-rules-engine';
import { dateOf, isLocalDate, yearOf } from './dates.js';
import { DEGREE_LEVELS } from './domain.js';

const bothDates = (a: unknown, b: unknown): a is string =>
  typeof a === 'string' && typeof b === 'string' && isLocalDate(a) && isLocalDate(b);

export const DATE_OPERATORS = {
  dateBefore: (fact: unknown, value: unknown) => bothDates(fact, value) && fact < (value as string),
  dateOnOrBefore: (fact: unknown, value: unknown) => bothDates(fact, value) && fact <= (value as string),
  dateAfter: (fact: unknown, value: unknown) => bothDates(fact, value) && fact > (value as string),
  dateOnOrAfter: (fact: unknown, value: unknown) => bothDates(fact, value) && fact >= (value as string),
  /** The fact's date falls after December 31 of the year of the value's date. */
  dateAfterEndOfYearOf: (fact: unknown, value: unknown) =>
    bothDates(fact, value) && fact > dateOf(yearOf(value as string), 12, 31),
} as const;

export type DateOperatorName = keyof typeof DATE_OPERATORS;

const degreeRank = (level: unknown) =>
  typeof level === 'string' ? (DEGREE_LEVELS as readonly string[]).indexOf(level) : -1;

/** Operators over the education vocabulary: degrees compare by how far they go, not by name. */
export const EDUCATION_OPERATORS = {
  /** The fact's degree level (e.g. 'master') is the value's level (e.g. 'bachelor') or higher. */
  degreeAtLeast: (fact: unknown, value: unknown) => degreeRank(value) >= 0 && degreeRank(fact) >= degreeRank(value),
} as const;

export const OPERATOR_NAMES = [...Object.keys(DATE_OPERATORS), ...Object.keys(EDUCATION_OPERATORS)];

/** The vocabulary's operators, to add to every engine beside json-rules-engine's own. */
export function vocabularyOperators(): Operator[] {
  return Object.entries({ ...DATE_OPERATORS, ...EDUCATION_OPERATORS }).map(
    ([name, evaluate]) => new Operator(name, evaluate),
  );
}
