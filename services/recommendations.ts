/**
 * Training recommended to one person: gathers their facts (self-assessment growth areas, open
 * deadlines, hour gaps in current periods, years of experience, where they are, how they want to
 * learn, what they took or signed up for) and the candidates (upcoming events with seats in the
 * next RECOMMENDATION_DAYS, approved online courses open for enrollment, with their quality
 * signals), asks the rule set in effect today what each candidate would credit this person, then
 * ranks them with the pure `rankRecommendations` (rules/recommendations.ts).
 */
import type { Db } from '../db/connection.js';
import { searchCatalog, UnknownZip, type CatalogQuery, type CatalogResult } from '../db/catalog.js';
import { deadlinesOf } from '../db/deadlines.js';
import { employmentsOf } from '../db/employments.js';
import { findProfessional } from '../db/professionals.js';
import {
  coursesForCredit,
  coursesOfEvents,
  creditedCompletions,
  openOnlineCourses,
  qualityOfCourses,
  takenOrSignedUp,
} from '../db/recommendations.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { addDays, compareDates, dateOf, localDateOf, yearOf, type LocalDate } from '../rules/dates.js';
import type { ComplianceResult } from '../rules/compliance.js';
import type { CourseLevel, DeliveryMode } from '../rules/domain.js';
import {
  rankRecommendations,
  stageOf,
  type Candidate,
  type DeadlineFact,
  type HourGapFact,
  type LearnerFacts,
  type Recommendation,
} from '../rules/recommendations.js';
import { creditAsker, trainerCertifiedForEvent } from './candidateCredit.js';
import { currentCompliance } from './compliance.js';
import { latestProfile } from './selfAssessments.js';
import { DomainError } from './errors.js';

/** How far ahead events are considered. */
export const RECOMMENDATION_DAYS = 90;
/** Events read from the catalog: the nearest (or soonest) overall, and per topic the person needs. */
const GENERAL_EVENTS = 100;
const EVENTS_PER_TOPIC = 25;

export interface RecommendationAnswer {
  recommendations: Recommendation[];
  /** The facts the ranking used, so the page can say what it is based on. */
  basis: {
    selfAssessedOn: LocalDate | null;
    growthAreas: LearnerFacts['growthAreas'];
    deadlines: DeadlineFact[];
    hourGaps: HourGapFact[];
    experienceYears: number | null;
    experienceStage: ReturnType<typeof stageOf>;
    zip: string | null;
    delivery: DeliveryMode | null;
  };
}

/** Hour requirements whose current period still needs hours. */
export function hourGapsOf(compliance: ComplianceResult, today: LocalDate): HourGapFact[] {
  return compliance.requirements.flatMap((requirement) =>
    requirement.periods
      .filter((p) => compareDates(p.start, today) <= 0 && compareDates(today, p.end) <= 0 && p.applied < p.required)
      .map((p) => ({
        label: requirement.label,
        periodLabel: p.label,
        periodEnd: p.end,
        hoursShort: Math.round((p.required - p.applied) * 100) / 100,
      })),
  );
}

/** Years between two local dates, to one decimal. */
const yearsBetween = (from: LocalDate, to: LocalDate) =>
  Math.round(((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (365.25 * 86_400_000)) * 10) / 10;

export async function recommendationsFor(
  db: Db,
  professionalId: number,
  options: { zip?: string; delivery?: DeliveryMode; now?: Date } = {},
): Promise<RecommendationAnswer> {
  const now = options.now ?? new Date();
  const today = localDateOf(now);
  const professional = await findProfessional(db, professionalId);
  if (!professional) throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');

  const [assessment, deadlines, compliance, employments, excluded, rules] = await Promise.all([
    latestProfile(db, professionalId),
    deadlinesOf(db, professionalId),
    currentCompliance(db, professionalId, now),
    employmentsOf(db, professionalId),
    takenOrSignedUp(db, [professionalId], dateOf(yearOf(today), 1, 1)).then((taken) => taken.get(professionalId)!),
    ruleSetInEffect(db, COMPLIANCE_RULE_SET, today),
  ]);

  // Hire-date and renewal deadlines from their table; prerequisites and refreshers as the rules judge them today.
  const prerequisiteTopics = new Map(
    rules.document.rules.flatMap((r) =>
      r.event.type === 'prerequisite' ? [[r.id, r.event.params.satisfiedByTopic] as const] : [],
    ),
  );
  const deadlineFacts: DeadlineFact[] = [
    ...deadlines
      .filter((d) => d.status === 'open' || d.status === 'overdue')
      .map((d) => ({ topic: d.satisfied_by_topic, label: d.label, dueOn: d.due_on })),
    ...compliance.refreshers
      .filter((r) => r.status !== 'met')
      .map((r) => ({ topic: r.satisfiedByTopic, label: r.label, dueOn: r.dueOn })),
    ...compliance.prerequisites.flatMap((p) => {
      const topic = prerequisiteTopics.get(p.ruleId);
      return !p.met && topic ? [{ topic, label: p.label, dueOn: null }] : [];
    }),
  ];
  const hireDates = employments.map((e) => e.hire_date).sort(compareDates);
  const experienceYears = hireDates[0] ? Math.max(0, yearsBetween(hireDates[0], today)) : null;

  const facts: LearnerFacts = {
    today,
    growthAreas: assessment?.profile.growthAreas ?? [],
    deadlines: deadlineFacts,
    hourGaps: hourGapsOf(compliance, today),
    experienceYears,
    delivery: options.delivery ?? null,
    excluded,
  };

  const { events, zip } = await candidateEvents(db, {
    now,
    today,
    zip: options.zip ?? professional.zip ?? undefined,
    zipAsked: options.zip !== undefined,
    topics: [...new Set([...facts.deadlines.map((d) => d.topic), ...facts.growthAreas])],
    delivery: options.delivery,
  });
  const [eventCourses, online] = await Promise.all([
    coursesOfEvents(
      db,
      events.map((e) => e.id),
    ),
    openOnlineCourses(db),
  ]);
  const courseIds = [...new Set([...[...eventCourses.values()].map((e) => e.courseId), ...online.map((c) => c.id)])];
  const [quality, courses, credited] = await Promise.all([
    qualityOfCourses(db, courseIds),
    coursesForCredit(db, courseIds),
    creditedCompletions(db, [professionalId], courseIds, dateOf(yearOf(today), 1, 1)).then((completions) =>
      completions.get(professionalId)!,
    ),
  ]);
  const creditOf = creditAsker(rules, credited);
  const candidates: Candidate[] = [];
  for (const e of events) {
    const forCredit = eventCourses.get(e.id);
    const course = forCredit && courses.get(forCredit.courseId);
    if (!forCredit || !course) continue;
    const completedOn = localDateOf(new Date(e.lastSessionAt));
    const trainerHasInstructorCertification = trainerCertifiedForEvent(course, forCredit, completedOn);
    candidates.push({
      kind: 'event',
      id: e.id,
      courseId: course.id,
      title: e.title,
      topic: e.topic,
      level: e.level as CourseLevel | null,
      delivery: e.delivery as DeliveryMode,
      clockHours: Number(e.clockHours),
      startsOn: localDateOf(new Date(e.firstSessionAt)),
      miles: e.miles,
      feeCents: e.feeCents,
      ratings: quality.get(course.id)!.ratings,
      enrollments: null,
      credit: await creditOf(course, {
        completedOn,
        hours: Number(e.clockHours),
        source: 'attendance',
        registeredOn: today,
        trainerHasInstructorCertification,
      }),
    });
  }
  for (const c of online) {
    const course = courses.get(c.id);
    if (!course) continue;
    const q = quality.get(c.id)!;
    // Registered and finished today: the soonest it can be done.
    const credit = await creditOf(course, {
      completedOn: today,
      hours: c.clockHours,
      source: 'online_course',
      registeredOn: today,
    });
    candidates.push({
      kind: 'online_course',
      id: c.id,
      courseId: c.id,
      title: c.title,
      topic: c.topic,
      level: c.level,
      delivery: c.delivery,
      clockHours: c.clockHours,
      startsOn: null,
      miles: null,
      feeCents: c.feeCents,
      ratings: q.ratings,
      enrollments: q.enrollments,
      credit,
    });
  }

  return {
    recommendations: rankRecommendations(candidates, facts),
    basis: {
      selfAssessedOn: assessment?.takenOn ?? null,
      growthAreas: facts.growthAreas,
      deadlines: facts.deadlines,
      hourGaps: facts.hourGaps,
      experienceYears,
      experienceStage: stageOf(experienceYears),
      zip,
      delivery: facts.delivery,
    },
  };
}

/**
 * Upcoming events with seats, starting within RECOMMENDATION_DAYS, open for registration: the
 * nearest (soonest without a ZIP code) overall, and the same for each topic the person needs and
 * their preferred delivery, so a statewide catalog still offers what matters most. A ZIP code the
 * person asked for must be known; one from their profile that is not is left out.
 */
async function candidateEvents(
  db: Db,
  input: {
    now: Date;
    today: LocalDate;
    zip: string | undefined;
    zipAsked: boolean;
    topics: string[];
    delivery: DeliveryMode | undefined;
  },
): Promise<{ events: CatalogResult[]; zip: string | null }> {
  const search = async (zip: string | undefined) => {
    const base: CatalogQuery = {
      seatsLeft: true,
      from: input.today,
      to: addDays(input.today, RECOMMENDATION_DAYS),
      sort: zip ? 'distance' : 'date',
      page: 1,
      pageSize: GENERAL_EVENTS,
      now: input.now,
      ...(zip && { zip }),
    };
    const answers = await Promise.all([
      searchCatalog(db, base),
      ...input.topics.map((topic) => searchCatalog(db, { ...base, topic, pageSize: EVENTS_PER_TOPIC })),
      ...(input.delivery ? [searchCatalog(db, { ...base, delivery: input.delivery, pageSize: EVENTS_PER_TOPIC })] : []),
    ]);
    return answers.flatMap((a) => a.results);
  };
  let zip = input.zip ?? null;
  let found: CatalogResult[];
  try {
    found = await search(zip ?? undefined);
  } catch (error) {
    if (!(error instanceof UnknownZip)) throw error;
    if (input.zipAsked) throw new DomainError('Invalid', 'is not a Missouri ZIP code we know', 'zip');
    zip = null;
    found = await search(undefined);
  }
  const open = found.filter((e) => !e.registrationDeadline || new Date(e.registrationDeadline) >= input.now);
  return { events: [...new Map(open.map((e) => [e.id, e])).values()], zip };
}
