/**
 * Recommended training: a score for each candidate (an upcoming event, an online course) from a
 * person's facts, with the reasons that make it up, written for the person. Pure: the facts and
 * candidates are gathered in services/recommendations.ts; the clock arrives as `today`.
 *
 * Personalised professional learning (seed 002): suggestions follow each person's growth areas,
 * what the rules require of them and by when, and their experience ("the rookies and also the
 * experts"), and help them be savvy consumers by showing how past participants rated and finished it.
 *
 * What a training counts for is the rule set's to say, not this module's: each candidate arrives with
 * the credit the rules would give it (`Candidate.credit`), and only credited hours earn points toward
 * hours and deadlines.
 */
import { TOPICS, type CourseLevel, type DeliveryMode, type Topic } from './domain.js';
import { compareDates, daysBetween, type LocalDate } from './dates.js';

/**
 * Every weight of the ranking, in points, in one place. A suggestion's score is the sum of the
 * points of each fact it meets; its reasons are the facts that added points.
 */
export const WEIGHTS = {
  /** Training the rules would credit, on the topic of an open deadline (hire-date training, a refresher, a prerequisite): what the rules require comes first. */
  deadline: 100,
  /** More for a deadline already overdue or due within URGENT_DAYS. */
  urgentDeadline: 30,
  /** Half the deadline's points (rounded down) when the training takes place after the deadline. */
  lateForDeadlineFactor: 0.5,
  /** Training in a growth area of the latest self-assessment. */
  growthArea: 40,
  /** Any credited training while a current hours period is short: a base, and per hour it would count (up to the hours still to go). */
  hourGap: 10,
  hourGapPerHour: 3,
  /** A course whose level suits the person's experience (see LEVEL_FIT); negative when it does not. */
  levelFit: 25,
  levelMismatch: -20,
  /** Up to this many points for training in person close by, falling to 0 at NEARBY_MILES. */
  nearby: 20,
  /** In person farther than FAR_MILES. */
  far: -15,
  /** Delivered the way the person asked (in person, online, blended). */
  deliveryPreferred: 15,
  /** Per star of average rating above (or below) 3 of 5, once MIN_RATINGS have rated. */
  perStarAboveThree: 8,
  /** Completion rate of an online course, once MIN_STARTED have started: up to ± this, 0 at 50%. */
  completion: 10,
} as const;

export const URGENT_DAYS = 30;
export const NEARBY_MILES = 60;
export const FAR_MILES = 120;
/** Quality signals count only once enough people give them, so no one person's view decides. */
export const MIN_RATINGS = 3;
export const MIN_STARTED = 3;
/** A newcomer has less than this many years of experience; a veteran at least VETERAN_YEARS. */
export const NEWCOMER_YEARS = 2;
export const VETERAN_YEARS = 10;
export const TOP = 10;

export type ExperienceStage = 'newcomer' | 'experienced' | 'veteran';

/** Which course levels suit each stage, and which do not. */
const LEVEL_FIT: Record<ExperienceStage, { suits: CourseLevel[]; not: CourseLevel[] }> = {
  newcomer: { suits: ['introductory'], not: ['advanced'] },
  experienced: { suits: ['intermediate'], not: [] },
  veteran: { suits: ['advanced'], not: ['introductory'] },
};

export function stageOf(years: number | null): ExperienceStage | null {
  if (years === null) return null;
  if (years < NEWCOMER_YEARS) return 'newcomer';
  return years >= VETERAN_YEARS ? 'veteran' : 'experienced';
}

export interface Candidate {
  kind: 'event' | 'online_course';
  /** The event's id, or the online course's. */
  id: number;
  courseId: number;
  title: string;
  topic: string;
  level: CourseLevel | null;
  delivery: DeliveryMode;
  clockHours: number;
  /** Events: the first session's local date. Online courses: null (any time). */
  startsOn: LocalDate | null;
  /** Miles from the person, for events with a place, when a ZIP code is known. */
  miles: number | null;
  feeCents: number;
  ratings: { count: number; average: number | null };
  enrollments: { started: number; completed: number } | null;
  /** What the rule set would credit this person for it (services/recommendations.ts asks). */
  credit: CandidateCredit;
}

/** A credit decision of the rule set, as the ranking needs it. */
export interface CandidateCredit {
  /** Clock hours the rules would credit: fewer than `clockHours` when a rule limits them. */
  hours: number;
  /** A rule that grants no hours at all fired. */
  none: boolean;
  /** The reason text of each rule that fired, in the rule set's words. */
  reasons: string[];
}

export interface DeadlineFact {
  topic: string;
  label: string;
  /** The last day it can be met in time (for a prerequisite with no date: null, it is due now). */
  dueOn: LocalDate | null;
}

export interface HourGapFact {
  label: string;
  periodLabel: string;
  periodEnd: LocalDate;
  hoursShort: number;
}

export interface LearnerFacts {
  today: LocalDate;
  growthAreas: Topic[];
  deadlines: DeadlineFact[];
  hourGaps: HourGapFact[];
  /** Years since the first hire across employments; null when the registry knows none. */
  experienceYears: number | null;
  delivery: DeliveryMode | null;
  /** Courses the person completed this calendar year, and events and courses they are already signed up for. */
  excluded: { courseIds: number[]; eventIds: number[] };
}

export type ReasonSource =
  'deadline' | 'growth-area' | 'hour-gap' | 'experience' | 'distance' | 'delivery' | 'rating' | 'completion';

/**
 * Every sentence a reason or a credit note can be said in, for the UI to say in the reader's
 * language (`recommendations.reasons.<key>`, ui/src/locales/<language>/recommendations.json).
 */
export const REASON_WORDINGS = [
  'deadlineNow',
  'deadlineOverdue',
  'deadlineDue',
  'deadlineDueLate',
  'growthArea',
  'hourGap',
  'hourGapPartly',
  'levelSuitsFirstYears',
  'levelSuitsYears',
  'levelLessSuitedFirstYears',
  'levelLessSuitedYears',
  'nearby',
  'far',
  'deliveryPreferred',
  'rating',
  'completion',
  'creditNone',
  'creditNoneBecause',
  'creditPartly',
  'creditPartlyBecause',
] as const;
export type ReasonWording = (typeof REASON_WORDINGS)[number];

/**
 * Which sentence says a reason, and the values it names. By name: `…On` are ISO calendar days,
 * `…Hours` are clock hours (said with their unit), `topic`, `level` and `delivery` are codes
 * (rules/domain.ts) the UI names in its own words, `count` picks the plural form; other numbers are
 * numbers. `label`, `periodLabel` and `reasons` come from the rule set and the registry as written.
 */
export interface ReasonWords {
  key: ReasonWording;
  values: Record<string, string | number>;
}

export interface Reason {
  source: ReasonSource;
  /** The reason in English, as logs and every other consumer have always read it. */
  text: string;
  words: ReasonWords;
  points: number;
}

export interface Recommendation {
  kind: Candidate['kind'];
  id: number;
  courseId: number;
  title: string;
  topic: string;
  topicLabel: string;
  level: CourseLevel | null;
  delivery: DeliveryMode;
  clockHours: number;
  /** The clock hours the rules would credit. */
  creditedHours: number;
  /** When fewer than its clock hours count: how many do, and the rules' reasons; null when all count. */
  creditNote: string | null;
  /** The credit note's sentence and values, for the reader's language; null with the note. */
  creditWords: ReasonWords | null;
  startsOn: LocalDate | null;
  miles: number | null;
  feeCents: number;
  score: number;
  /** Why it is suggested, most weight first; never empty. */
  reasons: Reason[];
  /** Facts that took points away (e.g. far away), for anyone asking why it ranks lower. */
  drawbacks: Reason[];
}

const topicLabel = (topic: string) => (TOPICS as Record<string, string>)[topic] ?? topic;
const number = (n: number) => Math.round(n * 100) / 100;
const hours = (n: number) => `${number(n)} hour${n === 1 ? '' : 's'}`;
/** Nothing of it would be credited. */
const earnsNothing = (candidate: Candidate) => candidate.credit.none || candidate.credit.hours <= 0;

const DELIVERY_WORDS: Record<DeliveryMode, string> = { in_person: 'In person', online: 'Online', blended: 'Blended' };
const LEVEL_WORDS: Record<CourseLevel, string> = {
  introductory: 'Introductory',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
};

/** How much of the candidate the rules would credit, with their reasons; null when all of it counts. */
export function creditNoteOf(candidate: Candidate): string | null {
  return creditNote(candidate)?.text ?? null;
}

function creditNote(candidate: Candidate): { text: string; words: ReasonWords } | null {
  // The rules' reasons are the rule set's policy text: they travel as written, in its language.
  const because = candidate.credit.reasons.length > 0;
  const reasons = candidate.credit.reasons.join(' ');
  const why = because ? `: ${reasons}` : '';
  if (earnsNothing(candidate))
    return {
      text: `Earns no clock hours${why}`,
      words: { key: because ? 'creditNoneBecause' : 'creditNone', values: because ? { reasons } : {} },
    };
  if (candidate.credit.hours < candidate.clockHours) {
    const values = { credited: number(candidate.credit.hours), clockHours: candidate.clockHours };
    return {
      text: `Counts for ${number(candidate.credit.hours)} of its ${hours(candidate.clockHours)}${why}`,
      words: {
        key: because ? 'creditPartlyBecause' : 'creditPartly',
        values: because ? { ...values, reasons } : values,
      },
    };
  }
  return null;
}

/** Every fact the candidate meets, with its points and words. */
export function reasonsFor(candidate: Candidate, facts: LearnerFacts): Reason[] {
  const reasons: Reason[] = [];
  const finishes = candidate.startsOn ?? facts.today;
  // Deadlines are met, and hours added, only by what the rules would credit.
  const credited = earnsNothing(candidate) ? 0 : candidate.credit.hours;

  for (const deadline of facts.deadlines.filter((d) => credited > 0 && d.topic === candidate.topic)) {
    const urgent = deadline.dueOn === null || daysBetween(facts.today, deadline.dueOn) <= URGENT_DAYS;
    const late =
      deadline.dueOn !== null &&
      compareDates(finishes, deadline.dueOn) > 0 &&
      compareDates(facts.today, deadline.dueOn) <= 0;
    let points = WEIGHTS.deadline + (urgent ? WEIGHTS.urgentDeadline : 0);
    if (late) points = Math.floor(points * WEIGHTS.lateForDeadlineFactor);
    const when =
      deadline.dueOn === null
        ? 'Required now'
        : compareDates(deadline.dueOn, facts.today) < 0
          ? `Overdue since ${deadline.dueOn}`
          : `Due by ${deadline.dueOn}`;
    // The deadline's label is the rule set's (or the registry's) name for it, passed on as written.
    const words: ReasonWords =
      deadline.dueOn === null
        ? { key: 'deadlineNow', values: { label: deadline.label } }
        : {
            key:
              compareDates(deadline.dueOn, facts.today) < 0
                ? 'deadlineOverdue'
                : late
                  ? 'deadlineDueLate'
                  : 'deadlineDue',
            values: { label: deadline.label, dueOn: deadline.dueOn },
          };
    reasons.push({
      source: 'deadline',
      points,
      text: `${when}: ${deadline.label}${late ? ' (this date is after it is due)' : ''}`,
      words,
    });
  }

  if ((facts.growthAreas as string[]).includes(candidate.topic)) {
    reasons.push({
      source: 'growth-area',
      points: WEIGHTS.growthArea,
      text: `A growth area in your self-assessment: ${topicLabel(candidate.topic)}`,
      words: { key: 'growthArea', values: { topic: candidate.topic } },
    });
  }

  if (credited > 0) {
    const amount =
      credited < candidate.clockHours ? `${number(credited)} of its ${hours(candidate.clockHours)}` : hours(credited);
    for (const gap of facts.hourGaps) {
      if (compareDates(finishes, gap.periodEnd) > 0) continue;
      const counted = Math.min(credited, gap.hoursShort);
      reasons.push({
        source: 'hour-gap',
        points: Math.round(WEIGHTS.hourGap + WEIGHTS.hourGapPerHour * counted),
        text: `${amount} toward ${gap.label} for ${gap.periodLabel}: ${hours(gap.hoursShort)} still to go by ${gap.periodEnd}`,
        // The requirement's and the period's labels are the rule set's, passed on as written.
        words: {
          key: credited < candidate.clockHours ? 'hourGapPartly' : 'hourGap',
          values: {
            ...(credited < candidate.clockHours
              ? { credited: number(credited), clockHours: candidate.clockHours }
              : { creditedHours: number(credited) }),
            label: gap.label,
            periodLabel: gap.periodLabel,
            shortHours: number(gap.hoursShort),
            periodEndOn: gap.periodEnd,
          },
        },
      });
    }
  }

  const stage = stageOf(facts.experienceYears);
  if (stage && candidate.level) {
    const fit = LEVEL_FIT[stage];
    const years = facts.experienceYears!;
    const experience = stage === 'newcomer' ? 'your first years' : `your ${Math.floor(years)} years of experience`;
    const said = (suits: boolean): ReasonWords =>
      stage === 'newcomer'
        ? { key: suits ? 'levelSuitsFirstYears' : 'levelLessSuitedFirstYears', values: { level: candidate.level! } }
        : {
            key: suits ? 'levelSuitsYears' : 'levelLessSuitedYears',
            values: { level: candidate.level!, count: Math.floor(years) },
          };
    if (fit.suits.includes(candidate.level))
      reasons.push({
        source: 'experience',
        points: WEIGHTS.levelFit,
        text: `${LEVEL_WORDS[candidate.level]} — suited to ${experience}`,
        words: said(true),
      });
    else if (fit.not.includes(candidate.level))
      reasons.push({
        source: 'experience',
        points: WEIGHTS.levelMismatch,
        text: `${LEVEL_WORDS[candidate.level]} — less suited to ${experience}`,
        words: said(false),
      });
  }

  if (candidate.miles !== null && candidate.delivery !== 'online') {
    const miles = Math.round(candidate.miles);
    if (candidate.miles < NEARBY_MILES)
      reasons.push({
        source: 'distance',
        points: Math.round(WEIGHTS.nearby * (1 - candidate.miles / NEARBY_MILES)) || 1,
        text: `${miles} mile${miles === 1 ? '' : 's'} from you`,
        words: { key: 'nearby', values: { count: miles } },
      });
    else if (candidate.miles > FAR_MILES)
      reasons.push({
        source: 'distance',
        points: WEIGHTS.far,
        text: `${miles} miles away`,
        words: { key: 'far', values: { count: miles } },
      });
  }

  if (facts.delivery && candidate.delivery === facts.delivery) {
    reasons.push({
      source: 'delivery',
      points: WEIGHTS.deliveryPreferred,
      text: `${DELIVERY_WORDS[candidate.delivery]}, as you prefer`,
      words: { key: 'deliveryPreferred', values: { delivery: candidate.delivery } },
    });
  }

  const { count, average } = candidate.ratings;
  if (count >= MIN_RATINGS && average !== null && average !== 3) {
    reasons.push({
      source: 'rating',
      points: Math.round(WEIGHTS.perStarAboveThree * (average - 3)),
      text: `Rated ${average} of 5 by ${count} participants`,
      words: { key: 'rating', values: { average, count } },
    });
  }

  const enrolled = candidate.enrollments;
  if (enrolled && enrolled.started >= MIN_STARTED) {
    const rate = enrolled.completed / enrolled.started;
    const points = Math.round(WEIGHTS.completion * (rate - 0.5) * 2);
    if (points !== 0) {
      reasons.push({
        source: 'completion',
        points,
        text: `Finished by ${enrolled.completed} of ${enrolled.started} who started it (${Math.round(rate * 100)}%)`,
        words: {
          key: 'completion',
          values: { completed: enrolled.completed, count: enrolled.started, percent: Math.round(rate * 100) },
        },
      });
    }
  }
  return reasons;
}

/**
 * The best TOP suggestions: candidates not excluded, scored, each course once (its best event),
 * highest score first, then the sooner, then by title. A candidate with no reason in its favor is
 * not suggested: every suggestion says why. One that would earn no clock hours is suggested only
 * for a growth area, and its credit note says so and why.
 */
export function rankRecommendations(candidates: Candidate[], facts: LearnerFacts, top = TOP): Recommendation[] {
  const excludedCourses = new Set(facts.excluded.courseIds);
  const excludedEvents = new Set(facts.excluded.eventIds);
  const best = new Map<number, Recommendation>();
  for (const candidate of candidates) {
    if (excludedCourses.has(candidate.courseId)) continue;
    if (candidate.kind === 'event' && excludedEvents.has(candidate.id)) continue;
    const all = reasonsFor(candidate, facts);
    const reasons = all.filter((r) => r.points > 0).sort((a, b) => b.points - a.points);
    if (reasons.length === 0) continue;
    if (earnsNothing(candidate) && !reasons.some((r) => r.source === 'growth-area')) continue;
    const note = creditNote(candidate);
    const recommendation: Recommendation = {
      kind: candidate.kind,
      id: candidate.id,
      courseId: candidate.courseId,
      title: candidate.title,
      topic: candidate.topic,
      topicLabel: topicLabel(candidate.topic),
      level: candidate.level,
      delivery: candidate.delivery,
      clockHours: candidate.clockHours,
      creditedHours: earnsNothing(candidate) ? 0 : candidate.credit.hours,
      creditNote: note?.text ?? null,
      creditWords: note?.words ?? null,
      startsOn: candidate.startsOn,
      miles: candidate.miles,
      feeCents: candidate.feeCents,
      score: all.reduce((sum, r) => sum + r.points, 0),
      reasons,
      drawbacks: all.filter((r) => r.points < 0),
    };
    const kept = best.get(candidate.courseId);
    if (!kept || ordering(recommendation, kept) < 0) best.set(candidate.courseId, recommendation);
  }
  return [...best.values()].sort(ordering).slice(0, top);
}

function ordering(a: Recommendation, b: Recommendation): number {
  return (
    b.score - a.score ||
    compareDates(a.startsOn ?? '0000-01-01', b.startsOn ?? '0000-01-01') ||
    a.title.localeCompare(b.title) ||
    a.id - b.id
  );
}
