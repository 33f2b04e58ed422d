/**
 * Worked cases of a person's compliance over time, for policy that only shows across periods
 * (a pro-rated first year, a refresher due every few years). The facts are employments, credited
 * training and an as-of date; the version is taken to be in effect on every date of the case; the
 * outcome is what the calculator says, narrowed to what the case expects.
 */
import { z } from 'zod';
import { carriedBy, type EmploymentHeld } from './carried.js';
import { computeCompliance, summarize, type ComplianceResult } from './compliance.js';
import { compareDates, isLocalDate } from './dates.js';
import { EMPLOYMENT_ROLES, PERIOD_STATUSES } from './domain.js';
import type { CompiledRuleSet, EmploymentFacts } from './engine.js';
import { DEFAULT_FACTS, FACTS } from './vocabulary.js';

const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD');

export const complianceFacts = z
  .object({
    /** Each at a program of its own; the program's fields are laid over the ordinary one's (DEFAULT_FACTS). */
    employments: z
      .array(
        z
          .object({
            organization: z.record(z.string(), z.unknown()).optional(),
            role: z.enum(EMPLOYMENT_ROLES).optional(),
            hireDate: localDate,
            endDate: localDate.nullable().optional(),
          })
          .strict(),
      )
      .min(1, 'a compliance case needs at least one employment'),
    /** Credited training: hours already decided by the credit rules. */
    trainings: z.array(
      z
        .object({
          title: z.string().min(1).optional(),
          topic: z.string().min(1).optional(),
          completedOn: localDate,
          creditedHours: z.number().min(0),
        })
        .strict(),
    ),
    asOf: localDate,
  })
  .strict();
export type ComplianceFacts = z.infer<typeof complianceFacts>;

const periodExpectation = z
  .object({ required: z.number().min(0), applied: z.number().min(0), status: z.enum(PERIOD_STATUSES) })
  .partial()
  .strict();

/**
 * What a case expects of one requirement, named by its `requirement`: of an hour requirement its
 * current period (`period`, `required`, `applied`, `status`, `deficitsCarried`) and any period by
 * label (`periods`); of a refresher its `status`, `dueOn` and `lastCompletedOn`; of a
 * prerequisite whether it is `met`. Null: the person does not carry it.
 */
const requirementExpectation = z
  .object({
    period: z.string(),
    required: z.number().min(0),
    applied: z.number().min(0),
    status: z.enum([...PERIOD_STATUSES, 'open', 'overdue']),
    deficitsCarried: z.number().min(0),
    periods: z.record(z.string(), periodExpectation.nullable()),
    dueOn: localDate,
    lastCompletedOn: localDate.nullable(),
    met: z.boolean(),
  })
  .partial()
  .strict();

export const complianceExpected = z
  .object({ compliant: z.boolean(), requirements: z.record(z.string(), requirementExpectation.nullable()).optional() })
  .strict();
export type ComplianceExpected = z.infer<typeof complianceExpected>;

/** Program fields the employment rules do not know, each with where it is. */
export function organizationFieldProblems(
  facts: ComplianceFacts,
): Array<{ path: Array<string | number>; message: string }> {
  const known = FACTS.employment.organization!;
  return facts.employments.flatMap((e, i) =>
    Object.keys(e.organization ?? {})
      .filter((field) => !(field in known))
      .map((field) => ({
        path: ['employments', i, 'organization', field],
        message: `a program has the fields ${Object.keys(known).join(', ')}`,
      })),
  );
}

function employmentsOf(facts: ComplianceFacts): EmploymentHeld[] {
  const ordinary = DEFAULT_FACTS.employment as unknown as EmploymentFacts;
  return facts.employments.map((e, i) => {
    const organization = { ...ordinary.organization, ...e.organization } as EmploymentFacts['organization'];
    return {
      organizationId: i + 1,
      contractYearStartMonth: organization.contractYearStartMonth,
      facts: {
        organization,
        employment: { role: e.role ?? ordinary.employment.role, hireDate: e.hireDate, endDate: e.endDate ?? null },
      },
    };
  });
}

/** The calculator's result for the case: the version judges every day of it. */
export async function complianceOf(rules: CompiledRuleSet, facts: ComplianceFacts): Promise<ComplianceResult> {
  const employments = employmentsOf(facts);
  const from = employments.map((e) => e.facts.employment.hireDate).sort(compareDates)[0]!;
  const carried = await carriedBy([{ from, to: null, rules }], employments);
  const trainings = facts.trainings.map((t, i) => ({
    id: i + 1,
    title: t.title ?? `Training ${i + 1}`,
    topic: t.topic,
    completedOn: t.completedOn,
    creditedHours: t.creditedHours,
  }));
  return computeCompliance(carried.requirements, trainings, facts.asOf, carried.prerequisites, carried.refreshers);
}

const pick = (from: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, from[k] ?? null]));

/** What the version decides for the case, in the shape of what it expects (so a failure shows what came out instead). */
export async function complianceOutcome(
  rules: CompiledRuleSet,
  facts: ComplianceFacts,
  expected: ComplianceExpected,
): Promise<Record<string, unknown>> {
  const result = await complianceOf(rules, facts);
  if (!expected.requirements) return { compliant: result.compliant };
  const summary = summarize(result);
  const requirements: Record<string, unknown> = {};
  for (const [name, wanted] of Object.entries(expected.requirements)) {
    const hours = result.requirements.find((r) => r.requirement === name);
    const refresher = summary.refreshers.find((r) => r.requirement === name);
    const prerequisite = result.prerequisites.find((p) => p.requirement === name);
    let found: Record<string, unknown> | null = null;
    if (hours) {
      const { period, required, applied, status, deficitsCarried } =
        summary.requirements[result.requirements.indexOf(hours)]!;
      const periods = Object.fromEntries(
        hours.periods.map((p) => [p.label, { required: p.required, applied: p.applied, status: p.status }]),
      );
      found = { period, required, applied, status, deficitsCarried, periods };
    } else if (refresher)
      found = { status: refresher.status, dueOn: refresher.dueOn, lastCompletedOn: refresher.lastCompletedOn };
    else if (prerequisite) found = { met: prerequisite.met };
    if (!found || !wanted) {
      requirements[name] = found && { ...found, periods: undefined };
      continue;
    }
    const narrowed = pick(
      found,
      Object.keys(wanted).filter((k) => k !== 'periods'),
    );
    if (wanted.periods) {
      const periods = (found.periods ?? {}) as Record<string, Record<string, unknown>>;
      narrowed.periods = Object.fromEntries(
        Object.entries(wanted.periods).map(([label, p]) => [
          label,
          periods[label] ? (p ? pick(periods[label], Object.keys(p)) : periods[label]) : null,
        ]),
      );
    }
    requirements[name] = narrowed;
  }
  return { compliant: result.compliant, requirements };
}
