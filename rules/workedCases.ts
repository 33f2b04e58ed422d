/**
 * Worked cases: the facts of one case and the outcome policy staff expect, kept with the rule set
 * and run against a version. A version is published only when every case passes. Facts left out
 * are those of an ordinary case in the scope (DEFAULT_FACTS), so a case states what matters.
 */
import { z } from 'zod';
import type { CompiledRuleSet } from './engine.js';
import { canonicalJson } from './canonicalJson.js';
import { DEFAULT_FACTS, SCOPES, type RuleScope } from './vocabulary.js';

const codes = z.array(z.string().regex(/^[a-z0-9-]+$/, 'reason codes are lower-case words joined by -'));
const expectedBy = {
  training: z.object({ creditedHours: z.number().min(0), reasonCodes: codes }).strict(),
  employment: z.object({ requirements: z.array(z.string()), hours: z.record(z.string(), z.number().positive()).optional() }).strict(),
  career: z.object({ level: z.number().int().min(1).nullable() }).strict(),
  credential: z.object({ remindDaysBefore: z.number().int().min(0).nullable() }).strict(),
  enrollment: z.object({ refusalCodes: codes }).strict(),
} satisfies Record<RuleScope, z.ZodType>;

export const workedCase = z
  .object({
    id: z.string().regex(/^[a-z0-9.-]+$/, 'lower-case words joined by . or -').max(120),
    name: z.string().trim().min(5, 'say what the case shows').max(300),
    scope: z.enum(SCOPES),
    facts: z.record(z.string(), z.record(z.string(), z.unknown())),
    expected: z.record(z.string(), z.unknown()),
  })
  .strict()
  .superRefine((c, ctx) => {
    const parsed = expectedBy[c.scope].safeParse(c.expected);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['expected', ...issue.path], message: issue.message });
    for (const fact of Object.keys(c.facts)) {
      if (!(fact in DEFAULT_FACTS[c.scope])) ctx.addIssue({ code: 'custom', path: ['facts', fact], message: `${c.scope} cases have the facts ${Object.keys(DEFAULT_FACTS[c.scope]).join(', ')}` });
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
export function factsOf(c: Pick<WorkedCase, 'scope' | 'facts'>): Record<string, Record<string, unknown>> {
  const facts: Record<string, Record<string, unknown>> = {};
  for (const [name, fields] of Object.entries(DEFAULT_FACTS[c.scope])) facts[name] = { ...fields, ...(c.facts[name] ?? {}) };
  // A training attended in full unless the case says otherwise.
  if (c.scope === 'training' && c.facts.training?.hours !== undefined && c.facts.training?.courseHours === undefined) facts.training!.courseHours = c.facts.training.hours;
  return facts;
}

const sorted = (values: string[]) => [...values].sort();

/** What the version decides for the case, in the shape of the case's `expected`. */
async function outcomeOf(rules: CompiledRuleSet, c: WorkedCase): Promise<Record<string, unknown>> {
  const facts = factsOf(c) as never;
  switch (c.scope) {
    case 'training': {
      const decision = await rules.decideCredit(facts);
      return { creditedHours: decision.creditedHours, reasonCodes: sorted(decision.reasons.map((r) => r.code)) };
    }
    case 'employment': {
      const outcomes = await rules.employmentOutcomes(facts);
      const requirements = sorted(outcomes.map((o) => o.params.requirement));
      const hours = Object.fromEntries(outcomes.filter((o) => o.type === 'hours-requirement').map((o) => [o.params.requirement, (o.params as { hours: number }).hours]));
      return (c.expected as { hours?: unknown }).hours ? { requirements, hours } : { requirements };
    }
    case 'career':
      return { level: (await rules.careerLevel(facts))?.level ?? null };
    case 'credential':
      return { remindDaysBefore: (await rules.credentialRenewal(facts))?.remindDaysBefore ?? null };
    case 'enrollment':
      return { refusalCodes: sorted((await rules.enrollmentRefusals(facts)).map((r) => r.code)) };
  }
}

const normalized = (c: WorkedCase): Record<string, unknown> => {
  const e = { ...c.expected };
  for (const key of ['reasonCodes', 'refusalCodes', 'requirements']) if (Array.isArray(e[key])) e[key] = sorted(e[key] as string[]);
  return e;
};

export async function runWorkedCases(rules: CompiledRuleSet, cases: WorkedCase[]): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const actual = await outcomeOf(rules, c);
    const expected = normalized(c);
    outcomes.push({ id: c.id, name: c.name, passed: canonicalJson(actual) === canonicalJson(expected), expected, actual });
  }
  return outcomes;
}
