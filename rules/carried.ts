/**
 * What a person's employments make them carry, version by version: hour requirements, the
 * prerequisites of the version in effect last, and refreshers. Pure: the caller hands over the
 * versions in effect and the employments; the compliance activity reads them from PostgreSQL and
 * worked cases state them.
 */
import { carriedRequirements, type CarriedPrerequisite, type CarriedRequirement } from './compliance.js';
import type { LocalDate } from './dates.js';
import type { CompiledRuleSet, EmploymentFacts } from './engine.js';
import { carriedRefreshers, type CarriedRefresher } from './refreshers.js';

/** A version and the days it is in effect (the last one until further notice). */
export interface RulesInEffect {
  from: LocalDate;
  /** Last day in effect, inclusive; null while it still is. */
  to: LocalDate | null;
  rules: CompiledRuleSet;
}

/** One employment as the rules see it, and the program it is at. */
export interface EmploymentHeld {
  organizationId: number;
  contractYearStartMonth: number | null;
  facts: EmploymentFacts;
  /**
   * When the employment is judged in pieces (one per set of program settings in effect, see
   * programSettings.ts): the days this piece covers. Absent, the whole employment.
   */
  piece?: { from: LocalDate; to: LocalDate | null };
}

export interface Carried {
  requirements: CarriedRequirement[];
  prerequisites: CarriedPrerequisite[];
  refreshers: CarriedRefresher[];
}

/**
 * Each employment is judged, day by day, by the version in effect on that day: its span is cut
 * where versions change, and each piece carries what its version requires. Prerequisites are
 * what the version in effect last asks.
 */
export async function carriedBy(timeline: RulesInEffect[], employments: EmploymentHeld[]): Promise<Carried> {
  const hours = [];
  const refreshers = [];
  const prerequisites = new Map<string, CarriedPrerequisite>();
  const current = timeline.at(-1)!;
  const severalVersions = timeline.length > 1;
  for (const segment of timeline) {
    for (const employment of employments) {
      const { hireDate, endDate } = employment.piece
        ? { hireDate: employment.piece.from, endDate: employment.piece.to }
        : employment.facts.employment;
      const from = segment.from > hireDate ? segment.from : hireDate;
      const to = segment.to === null ? endDate : endDate === null || segment.to < endDate ? segment.to : endDate;
      if (to !== null && to < from) continue;
      const version = severalVersions ? { ruleSetVersion: segment.rules.version } : {};
      for (const outcome of await segment.rules.employmentOutcomes(employment.facts)) {
        if (outcome.type === 'prerequisite' && segment === current) {
          const carried = prerequisites.get(outcome.params.requirement) ?? {
            ruleId: outcome.ruleId,
            params: outcome.params,
            organizationIds: [],
          };
          if (!carried.organizationIds.includes(employment.organizationId))
            carried.organizationIds.push(employment.organizationId);
          prerequisites.set(outcome.params.requirement, carried);
        } else if (outcome.type === 'refresher') {
          refreshers.push({
            ruleId: outcome.ruleId,
            params: outcome.params,
            span: { from, to, organizationId: employment.organizationId, ...version },
          });
        } else if (outcome.type === 'hours-requirement') {
          hours.push({
            ruleId: outcome.ruleId,
            params: outcome.params,
            contractYearStartMonth: employment.contractYearStartMonth,
            span: { from, to, organizationId: employment.organizationId, hours: outcome.params.hours, ...version },
          });
        }
      }
    }
  }
  return {
    requirements: carriedRequirements(hours),
    prerequisites: [...prerequisites.values()],
    refreshers: carriedRefreshers(refreshers),
  };
}
