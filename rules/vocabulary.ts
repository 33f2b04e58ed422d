/**
 * The rule vocabulary as data: for each scope, the facts a rule may read, their fields and
 * types, and what each operator compares. The validator checks documents against it, the diff
 * and the editor use its labels, and worked cases take their default facts from it.
 */
import { CREDENTIAL_KINDS, DEGREE_LEVELS, DELIVERY_MODES, TRAINING_SOURCES } from './domain.js';
import { OPERATOR_NAMES } from './operators.js';

export const SCOPES = ['training', 'employment', 'career', 'credential', 'enrollment', 'request'] as const;
export type RuleScope = (typeof SCOPES)[number];

export type FieldType =
  | { kind: 'boolean' }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'date' }
  | { kind: 'text'; values?: readonly string[] }
  | { kind: 'degree' }
  | { kind: 'list' };

export interface Field {
  type: FieldType;
  nullable?: boolean;
  label: string;
}

const boolean = (label: string, nullable = false): Field => ({ type: { kind: 'boolean' }, label, nullable });
const number = (label: string, nullable = false, min?: number, max?: number): Field => ({
  type: { kind: 'number', min, max },
  label,
  nullable,
});
const date = (label: string, nullable = false): Field => ({ type: { kind: 'date' }, label, nullable });
const text = (label: string, values?: readonly string[], nullable = false): Field => ({
  type: { kind: 'text', values },
  label,
  nullable,
});

/** scope → fact → field → its type and label. */
export const FACTS: Record<RuleScope, Record<string, Record<string, Field>>> = {
  training: {
    training: {
      approved: boolean('approved by DESE'),
      delivery: text('delivery', DELIVERY_MODES, true),
      topic: text('topic'),
      sponsor: text('sponsor', undefined, true),
      hours: number('hours attended', false, 0),
      courseHours: number("the course's clock hours", false, 0),
      inPersonHours: number('in-person hours', true, 0),
      source: text('where the record came from', TRAINING_SOURCES),
      completedOn: date('completed on'),
      registeredOn: date('registered on', true),
      cprModel: text('CPR/First Aid national model', undefined, true),
      trainerHasInstructorCertification: boolean('trainer holds an instructor certification', true),
      inRatio: boolean('counted in ratio with children'),
      usedForGroup: boolean('online module used for a group'),
    },
    history: {
      creditedCompletionsOfCourseThisYear: number('credited completions of the course earlier this year', false, 0),
      overlapsAnotherCourseInProgress: boolean('overlapped another online course in progress'),
    },
  },
  employment: {
    organization: {
      licensed: boolean('licensed program'),
      subsidized: boolean('subsidized program'),
      servesInfants: boolean('serves infants'),
      contractYearStartMonth: number('contract year start month', true, 1, 12),
      county: text('county'),
      // Program types and roles are registry data an admin adds to: any registered code is a value.
      programType: text('program type'),
    },
    employment: {
      role: text('role'),
      hireDate: date('hire date'),
      endDate: date('end date', true),
    },
  },
  career: {
    education: {
      highestDegree: { type: { kind: 'degree' }, label: 'highest degree', nullable: true },
      credentials: { type: { kind: 'list' }, label: 'credentials held' },
      collegeCreditHours: number('college credit hours', false, 0),
    },
    training: { lifetimeCreditedHours: number('credited clock hours of all time', false, 0) },
  },
  credential: {
    credential: {
      kind: text('kind', CREDENTIAL_KINDS),
      issuer: text('issuer'),
      issuedOn: date('issued on'),
      expiresOn: date('expires on'),
      issuerAccepted: boolean('issuer is one the rule set accepts for its kind'),
    },
  },
  enrollment: {
    course: {
      sponsor: text('sponsor', undefined, true),
      delivery: text('delivery', DELIVERY_MODES, true),
      topic: text('topic'),
    },
    learner: { onlineCoursesInProgress: number('online courses in progress', false, 0) },
  },
  request: {
    request: {
      category: text('exception category'),
      categoryListed: boolean('category is one the rule set lists'),
    },
  },
};

/** The event types each scope's rules may have. */
export const EVENT_TYPES: Record<RuleScope, readonly string[]> = {
  training: ['credit-none', 'credit-in-person-only'],
  employment: ['hours-requirement', 'hire-deadline', 'prerequisite', 'refresher'],
  career: ['career-level'],
  credential: ['credential-renewal', 'accepted-issuer', 'credential-refused'],
  enrollment: ['enrollment-refused'],
  request: ['request-category', 'request-refused'],
};

type OperatorKind = 'any' | 'number' | 'list-of-fact' | 'contains' | 'date' | 'degree';

/** json-rules-engine's operators and the vocabulary's, with what they compare and how they read. */
export const OPERATORS: Record<string, { kind: OperatorKind; reads: string }> = {
  equal: { kind: 'any', reads: 'is' },
  notEqual: { kind: 'any', reads: 'is not' },
  lessThan: { kind: 'number', reads: 'is less than' },
  lessThanInclusive: { kind: 'number', reads: 'is at most' },
  greaterThan: { kind: 'number', reads: 'is more than' },
  greaterThanInclusive: { kind: 'number', reads: 'is at least' },
  in: { kind: 'list-of-fact', reads: 'is one of' },
  notIn: { kind: 'list-of-fact', reads: 'is none of' },
  contains: { kind: 'contains', reads: 'contains' },
  doesNotContain: { kind: 'contains', reads: 'does not contain' },
  dateBefore: { kind: 'date', reads: 'is before' },
  dateOnOrBefore: { kind: 'date', reads: 'is on or before' },
  dateAfter: { kind: 'date', reads: 'is after' },
  dateOnOrAfter: { kind: 'date', reads: 'is on or after' },
  dateAfterEndOfYearOf: { kind: 'date', reads: 'is after December 31 of the year of' },
  degreeAtLeast: { kind: 'degree', reads: 'is at least the degree' },
};

// Every vocabulary operator the engine knows must be described here, and nothing more.
for (const name of OPERATOR_NAMES)
  if (!OPERATORS[name]) throw new Error(`Operator ${name} is missing from the vocabulary`);

/** A field path `$.name` as the field's name; null for anything else. */
export const fieldOf = (path: string | undefined): string | null =>
  path && /^\$\.[A-Za-z_][A-Za-z0-9_]*$/.test(path) ? path.slice(2) : null;

/** Facts of an ordinary case in each scope, for worked cases to vary one fact at a time. */
export const DEFAULT_FACTS: Record<RuleScope, Record<string, Record<string, unknown>>> = {
  training: {
    training: {
      approved: true,
      delivery: 'in_person',
      topic: 'guidance',
      sponsor: 'Child Care Aware of Missouri',
      hours: 3,
      courseHours: 3,
      inPersonHours: null,
      source: 'attendance',
      completedOn: '2026-03-02',
      registeredOn: null,
      cprModel: null,
      trainerHasInstructorCertification: null,
      inRatio: false,
      usedForGroup: false,
    },
    history: { creditedCompletionsOfCourseThisYear: 0, overlapsAnotherCourseInProgress: false },
  },
  employment: {
    organization: {
      licensed: true,
      subsidized: false,
      servesInfants: false,
      contractYearStartMonth: null,
      county: 'Boone',
      programType: 'child_care',
    },
    employment: { role: 'teacher', hireDate: '2026-01-05', endDate: null },
  },
  career: {
    education: { highestDegree: null, credentials: [], collegeCreditHours: 0 },
    training: { lifetimeCreditedHours: 0 },
  },
  credential: {
    credential: {
      kind: 'cpr_first_aid_card',
      issuer: 'American Red Cross',
      issuedOn: '2025-01-10',
      expiresOn: '2027-01-10',
      issuerAccepted: true,
    },
  },
  enrollment: {
    course: { sponsor: 'DESE OOC', delivery: 'online', topic: 'guidance' },
    learner: { onlineCoursesInProgress: 0 },
  },
  request: { request: { category: 'college-coursework', categoryListed: true } },
};

/** Degree levels in order, for values of degree fields. */
export const DEGREES = DEGREE_LEVELS;
