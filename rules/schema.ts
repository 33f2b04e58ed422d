/**
 * The rule-set document: json-rules-engine rules plus MOPD's vocabulary. A rule names the scope it
 * is evaluated in (which facts it sees) and its event says what follows, with parameters only.
 * See rules/README.md for the vocabulary.
 */
import { z } from 'zod';
import { isLocalDate } from './dates.js';
import { CREDENTIAL_KINDS } from './domain.js';

const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD');

/** json-rules-engine conditions, checked structurally; the engine checks operators at load. */
const condition: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(condition).min(1) }).strict(),
    z.object({ any: z.array(condition).min(1) }).strict(),
    z.object({ not: condition }).strict(),
    z
      .object({
        fact: z.string().min(1),
        operator: z.string().min(1),
        value: z.unknown(),
        path: z.string().startsWith('$').optional(),
        params: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  ]),
);

const topLevelCondition = z.union([
  z.object({ all: z.array(condition) }).strict(),
  z.object({ any: z.array(condition) }).strict(),
  z.object({ not: condition }).strict(),
]);

const reason = {
  reasonCode: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by -'),
  reason: z.string().min(10, 'a sentence a person understands'),
};

export const creditNoneEvent = z.object({ type: z.literal('credit-none'), params: z.object(reason).strict() });
export const creditInPersonOnlyEvent = z.object({
  type: z.literal('credit-in-person-only'),
  params: z.object(reason).strict(),
});

/** The earliest a period's reminder may go: a year (and a leap day) before its end. */
export const REMINDER_MAX_DAYS = 366;

export const hoursRequirementEvent = z.object({
  type: z.literal('hours-requirement'),
  params: z
    .object({
      requirement: z.string().regex(/^[a-z0-9-]+$/),
      label: z.string().min(3),
      hours: z.number().positive().max(200),
      period: z.enum(['calendar-year', 'contract-year']),
      /** 'earlier-deficits-first': hours go to earlier periods that fell short before their own. */
      backfill: z.enum(['earlier-deficits-first', 'none']),
      /**
       * How far back back-fill reaches: 'since-first-employment' (every earlier period the person
       * carried the requirement in), or a number of years: only periods that start at most that many
       * years before the start of the period the training was completed in. Left out, since the
       * first employment.
       */
      backfillReach: z
        .union([z.literal('since-first-employment'), z.object({ yearsBack: z.number().int().min(1).max(50) }).strict()])
        .optional(),
      /**
       * 'months-employed': the period in which a person first carries the requirement asks only
       * `hours` × (its months from the one they started in) ÷ (its months), to the nearest quarter
       * hour — one hour a month of a 12-hour year. Left out (or 'none'), every period asks `hours`.
       */
      prorateFirstPeriod: z.enum(['months-employed', 'none']).optional(),
      /**
       * Days before the end of a period at which a person still short of `hours` is reminded
       * (e.g. [90, 30, 7]); each point reminds a person at most once per period. Left out, nobody
       * is reminded of this requirement.
       */
      reminderDaysBefore: z
        .array(
          z
            .number()
            .int('a reminder point is a whole number of days')
            .positive('a reminder point is at least 1 day before the end')
            .max(REMINDER_MAX_DAYS, `a reminder point is at most ${REMINDER_MAX_DAYS} days before the end`),
        )
        .min(1, 'name at least one reminder point, or leave the parameter out')
        .max(12, 'at most 12 reminder points')
        .refine((days) => new Set(days).size === days.length, 'each reminder point appears only once')
        .optional(),
    })
    .strict(),
});

/** The longest window a hire-date deadline may give (days after the hire). */
export const HIRE_DEADLINE_MAX_DAYS = 365;

export const hireDeadlineEvent = z.object({
  type: z.literal('hire-deadline'),
  params: z
    .object({
      requirement: z.string().regex(/^[a-z0-9-]+$/),
      label: z.string().min(3),
      withinDays: z.number().int().positive().max(HIRE_DEADLINE_MAX_DAYS),
      remindDaysBefore: z.number().int().min(0).max(365),
      satisfiedByTopic: z.string().min(1),
      /**
       * Training on the topic completed up to this many days before the hire (at a previous job)
       * meets the deadline. Absent means 0: only training on or after the hire date counts, which is
       * what version 1, written without it, means.
       */
      countsCompletedDaysBeforeHire: z.number().int().min(0).max(730).optional(),
    })
    .strict(),
});

export const prerequisiteEvent = z.object({
  type: z.literal('prerequisite'),
  params: z
    .object({
      requirement: z.string().regex(/^[a-z0-9-]+$/),
      label: z.string().min(3),
      /** Credited training on this topic, completed at any time, meets it. */
      satisfiedByTopic: z.string().min(1),
      /** What the person may not do until it is met. */
      before: z.enum(['sole-supervision']),
    })
    .strict(),
});

export const careerLevelEvent = z.object({
  type: z.literal('career-level'),
  params: z
    .object({
      /** Higher is further along; a person is at the highest level whose rule fires. */
      level: z.number().int().min(1).max(20),
      label: z.string().min(3),
      description: z.string().min(10),
    })
    .strict(),
});

export const credentialRenewalEvent = z.object({
  type: z.literal('credential-renewal'),
  params: z
    .object({
      requirement: z.string().regex(/^[a-z0-9-]+$/),
      label: z.string().min(3),
      /** Days before expiry the holder is reminded and reports show the credential as expiring. */
      remindDaysBefore: z.number().int().min(0).max(365),
    })
    .strict(),
});

export const refresherEvent = z.object({
  type: z.literal('refresher'),
  params: z
    .object({
      requirement: z.string().regex(/^[a-z0-9-]+$/),
      label: z.string().min(3),
      /** Credited training on this topic counts, whenever and wherever it was completed. */
      satisfiedByTopic: z.string().min(1),
      /** It is due again this many years after the last one. */
      everyYears: z.number().int().min(1).max(20),
      /** No one is overdue sooner than this many days after they begin to carry the refresher (hire, or the day the rule took effect). */
      graceDays: z.number().int().min(0).max(365),
    })
    .strict(),
});

/** Starting an online course is refused; the reason is shown to the person. */
export const enrollmentRefusedEvent = z.object({
  type: z.literal('enrollment-refused'),
  params: z.object(reason).strict(),
});

/**
 * One accepted issuer of a credential kind (for a CPR/First Aid card: a national model). A card from
 * an issuer no such rule names is refused with the reason of the kind's `credential-refused` rule.
 */
export const acceptedIssuerEvent = z.object({
  type: z.literal('accepted-issuer'),
  params: z
    .object({
      credentialKind: z.enum(CREDENTIAL_KINDS),
      issuer: z.string().trim().min(2).max(120),
    })
    .strict(),
});

/** Adding a credential is refused; the reason is shown to the person. */
export const credentialRefusedEvent = z.object({
  type: z.literal('credential-refused'),
  params: z.object(reason).strict(),
});

/**
 * One exception category that a person may submit as an individual training request instead of
 * attendance issued by a trainer, with its label in each language the request form is shown in.
 */
export const requestCategoryEvent = z.object({
  type: z.literal('request-category'),
  params: z
    .object({
      category: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by -'),
      label: z.string().trim().min(3).max(120),
      labelEs: z.string().trim().min(3).max(120),
    })
    .strict(),
});

/** An individual training request is refused before it is saved; the reason is shown to the person. */
export const requestRefusedEvent = z.object({
  type: z.literal('request-refused'),
  params: z.object(reason).strict(),
});

const ruleBase = {
  id: z.string().regex(/^[a-z0-9.-]+$/, 'lower-case words joined by . or -'),
  description: z.string().min(10),
  /** Where the policy comes from, e.g. a seed document and paragraph. */
  source: z.string().min(3),
  priority: z.number().int().min(1).optional(),
  conditions: topLevelCondition,
};

export const trainingRule = z
  .object({ ...ruleBase, scope: z.literal('training'), event: z.union([creditNoneEvent, creditInPersonOnlyEvent]) })
  .strict();
export const employmentRule = z
  .object({
    ...ruleBase,
    scope: z.literal('employment'),
    event: z.union([hoursRequirementEvent, hireDeadlineEvent, prerequisiteEvent, refresherEvent]),
  })
  .strict();

export const careerRule = z.object({ ...ruleBase, scope: z.literal('career'), event: careerLevelEvent }).strict();
export const credentialRule = z
  .object({
    ...ruleBase,
    scope: z.literal('credential'),
    event: z.union([credentialRenewalEvent, acceptedIssuerEvent, credentialRefusedEvent]),
  })
  .strict();
export const enrollmentRule = z
  .object({ ...ruleBase, scope: z.literal('enrollment'), event: enrollmentRefusedEvent })
  .strict();
export const requestRule = z
  .object({ ...ruleBase, scope: z.literal('request'), event: z.union([requestCategoryEvent, requestRefusedEvent]) })
  .strict();

export const ruleSetDocument = z
  .object({
    ruleSet: z.string().regex(/^[a-z0-9-]+$/),
    version: z.number().int().positive(),
    title: z.string().min(3),
    effectiveFrom: localDate,
    rules: z
      .array(
        z.discriminatedUnion('scope', [
          trainingRule,
          employmentRule,
          careerRule,
          credentialRule,
          enrollmentRule,
          requestRule,
        ]),
      )
      .min(1),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `rule id ${rule.id} is used twice` });
      }
      seen.add(rule.id);
    });
  });

export type RuleSetDocument = z.infer<typeof ruleSetDocument>;
export type TrainingRule = z.infer<typeof trainingRule>;
export type EmploymentRule = z.infer<typeof employmentRule>;
export type HoursRequirementParams = z.infer<typeof hoursRequirementEvent>['params'];
export type HireDeadlineParams = z.infer<typeof hireDeadlineEvent>['params'];
export type CareerRule = z.infer<typeof careerRule>;
export type CredentialRule = z.infer<typeof credentialRule>;
export type EnrollmentRule = z.infer<typeof enrollmentRule>;
export type RequestRule = z.infer<typeof requestRule>;
export type RequestCategoryParams = z.infer<typeof requestCategoryEvent>['params'];
export type CareerLevelParams = z.infer<typeof careerLevelEvent>['params'];
export type CredentialRenewalParams = z.infer<typeof credentialRenewalEvent>['params'];
export type PrerequisiteParams = z.infer<typeof prerequisiteEvent>['params'];
export type RefresherParams = z.infer<typeof refresherEvent>['params'];

export function parseRuleSetDocument(input: unknown): RuleSetDocument {
  return ruleSetDocument.parse(input);
}
