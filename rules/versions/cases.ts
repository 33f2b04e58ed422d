/** The worked cases shipped with the rule set: the starting suite policy staff add to. */
import suite from './mopd-compliance.cases.json' with { type: 'json' };
import { workedCase, type WorkedCase } from '../workedCases.js';

export const shippedWorkedCases: WorkedCase[] = suite.cases.map((c) => workedCase.parse(c));
