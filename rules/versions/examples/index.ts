/**
 * Two policy changes made entirely as data, each a full draft of version 2 with its worked cases:
 * a new hire's first licensing year pro-rated, and infant safe-sleep training again every three
 * years. They are examples, not shipped versions: version 1 stays as DESE states it.
 */
import proratedDocument from './prorated-first-year.json' with { type: 'json' };
import proratedCases from './prorated-first-year.cases.json' with { type: 'json' };
import refresherDocument from './safe-sleep-refresher.json' with { type: 'json' };
import refresherCases from './safe-sleep-refresher.cases.json' with { type: 'json' };
import { workedCase, type WorkedCase } from '../../workedCases.js';

export interface PolicyChangeExample {
  name: string;
  /** The draft as policy staff would save it, not yet parsed (the validator reads it as it comes). */
  document: unknown;
  cases: WorkedCase[];
}

export const policyChangeExamples: PolicyChangeExample[] = [
  {
    name: 'prorated-first-year',
    document: proratedDocument,
    cases: proratedCases.cases.map((c) => workedCase.parse(c)),
  },
  {
    name: 'safe-sleep-refresher',
    document: refresherDocument,
    cases: refresherCases.cases.map((c) => workedCase.parse(c)),
  },
];
