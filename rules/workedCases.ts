/**
 * Worked cases: the facts of one case and the outcome policy staff expect, kept with the rule set
 * and run against a version. A version is published only when every case passes. Facts left out
 * are those of an ordinary case in the scope (DEFAULT_FACTS), so a case states what matters.
 * Besides the rule scopes, a `compliance` case follows a person over time — employments, credited
 * training, an as-of date — through the compliance calculator (rules/complianceCases.ts).
 */
import { z } from 'zod';
import type { CompiledRuleSet } from './engine.js';
import { canonicalJson } from './canonicalJson.js';
import {
  complianceExpected,
  complianceFacts,
  complianceOutcome,
  organizationFieldProblems,
} from './complianceCases.js';
import { DEFAULT_FACTS, SCOPES } from './vocabulary.js';

/** The scopes a worked case may have: each rule scope, and a person's compliance over time. */
export const CASE_SCOPES = [...SCOPES, 'compliance'] as const;
export type CaseScope = (typeof CASE_SCOPES)[number];

const codes = z.array(z.string().regex(/^[a-z0-9-]+$/, 'reason codes are lower-case words joined by -'));
const expectedBy = {
  training: z.object({ creditedHours: z.number().min(0), reasonCodes: codes }).strict(),
  employment: z
    .object({ requirements: z.array(z.string()), hours: z.record(z.string(), z.number().positive()).optional() })
    .strict(),
  career: z.object({ level: z.number().int().min(1).nullable() }).strict(),
  credential: z.object({ remindDaysBefore: z.number().int().min(0).nullable() }).strict(),
  enrollment: z.object({ refusalCodes: codes }).strict(),
  request: z.object({ refusalCodes: codes }).strict(),
  compliance: complianceExpected,
} satisfies Record<CaseScope, z.ZodType>;

export const workedCase = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'lower-case words joined by . or -')
      .max(120),
    name: z.string().trim().min(5, 'say what the case shows').max(300),
    scope: z.enum(CASE_SCOPES),
    /** Rule scopes: fact → fields over the ordinary case's. Compliance: employments, trainings, asOf. */
    facts: z.record(z.string(), z.unknown()),
    expected: z.record(z.string(), z.unknown()),
  })
  .strict()
  .superRefine((c, ctx) => {
    const parsed = expectedBy[c.scope].safeParse(c.expected);
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: ['expected', ...issue.path], message: issue.message });
    if (c.scope === 'compliance') {
      const facts = complianceFacts.safeParse(c.facts);
      if (!facts.success)
        for (const issue of facts.error.issues)
          ctx.addIssue({ code: 'custom', path: ['facts', ...issue.path], message: issue.message });
      else
        for (const problem of organizationFieldProblems(facts.data))
          ctx.addIssue({ code: 'custom', path: ['facts', ...problem.path], message: problem.message });
      return;
    }
    for (const [fact, fields] of Object.entries(c.facts)) {
      if (!(fact in DEFAULT_FACTS[c.scope]))
        ctx.addIssue({
          code: 'custom',
          path: ['facts', fact],
          message: `${c.scope} cases have the facts ${Object.keys(DEFAULT_FACTS[c.scope]).join(', ')}`,
        });
      else if (!fields || typeof fields !== 'object' || Array.isArray(fields))
        ctx.addIssue({ code: 'custom', path: ['facts', fact], message: `${fact} is its fields, e.g. { "hours": 3 }` });
    }
  });

export type WorkedCase = z.infer<typeof workedCase>;

export interface CaseOutcome {
  id: string;
  name: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
}

/** The case's facts: each fact of the scope's ordinary case, with the case's own fields over it. */
export function factsOf(c: {
  scope: CaseScope;
  facts: Record<string, unknown>;
}): Record<string, Record<string, unknown>> {
  // A compliance case has no ordinary case to vary: it states a person's employments and training.
  if (c.scope === 'compliance') throw new TypeError('compliance cases state their facts in full');
  const facts: Record<string, Record<string, unknown>> = {};
  const own = c.facts as Record<string, Record<string, unknown> | undefined>;
  for (const [name, fields] of Object.entries(DEFAULT_FACTS[c.scope]))
    facts[name] = { ...fields, ...(own[name] ?? {}) };
  // A training attended in full unless the case says otherwise.
  if (c.scope === 'training' && own.training?.hours !== undefined && own.training?.courseHours === undefined)
    facts.training!.courseHours = own.training.hours;
  return facts;
}

const sorted = (values: string[]) => [...values].sort();

/** What the version decides for the case, in the shape of the case's `expected`. */
async function outcomeOf(rules: CompiledRuleSet, c: WorkedCase): Promise<Record<string, unknown>> {
  if (c.scope === 'compliance')
    return complianceOutcome(rules, complianceFacts.parse(c.facts), complianceExpected.parse(c.expected));
  const facts = factsOf({ scope: c.scope, facts: c.facts }) as never;
  switch (c.scope) {
    case 'training': {
      const decision = await rules.decideCredit(facts);
      return { creditedHours: decision.creditedHours, reasonCodes: sorted(decision.reasons.map((r) => r.code)) };
    }
    case 'employment': {
      const outcomes = await rules.employmentOutcomes(facts);
      const requirements = sorted(outcomes.map((o) => o.params.requirement));
      const hours = Object.fromEntries(
        outcomes
          .filter((o) => o.type === 'hours-requirement')
          .map((o) => [o.params.requirement, (o.params as { hours: number }).hours]),
      );
      return (c.expected as { hours?: unknown }).hours ? { requirements, hours } : { requirements };
    }
    case 'career':
      return { level: (await rules.careerLevel(facts))?.level ?? null };
    case 'credential':
      return { remindDaysBefore: (await rules.credentialRenewal(facts))?.remindDaysBefore ?? null };
    case 'enrollment':
      return { refusalCodes: sorted((await rules.enrollmentRefusals(facts)).map((r) => r.code)) };
    case 'request':
      return { refusalCodes: sorted((await rules.requestRefusals(facts)).map((r) => r.code)) };
  }
}

const normalized = (c: WorkedCase): Record<string, unknown> => {
  const e = { ...c.expected };
  for (const key of ['reasonCodes', 'refusalCodes', 'requirements'])
    if (Array.isArray(e[key])) e[key] = sorted(e[key] as string[]);
  return e;
};

export async function runWorkedCases(rules: CompiledRuleSet, cases: WorkedCase[]): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const actual = await outcomeOf(rules, c);
    const expected = normalized(c);
    outcomes.push({
      id: c.id,
      name: c.name,
      passed: canonicalJson(actual) === canonicalJson(expected),
      expected,
      actual,
    });
  }
  return outcomes;
}
