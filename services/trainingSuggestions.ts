/**
 * Training suggested in a deadline reminder: what would actually count toward one hours
 * requirement before its period ends. Upcoming events with seats left whose every session falls
 * before the deadline, nearest to the person's ZIP code first (soonest without one), and approved
 * online courses open for enrollment that the enrollment rules let them start now. The rule set in
 * effect decides what each would credit this person, as the recommendations page asks it
 * (services/candidateCredit.ts); training crediting nothing, or that they took this year or are
 * signed up for, is left out.
 *
 * Cost, for a reminder run over thousands: a batch of people is served by about nine indexed
 * queries in three rounds whatever its size (the people's ZIP codes, what they took or signed up
 * for, their online courses in progress, the rule-set version in effect, the open online courses;
 * the courses and trainers of the events found; their earlier credit of those courses), plus one
 * catalog search per distinct ZIP code and deadline, itself kept per ZIP code and date range
 * (db/catalog.ts) while no event changes. Each credit and enrollment decision is made in memory by
 * the compiled rule set, once per distinct situation for the whole run (services/candidateCredit.ts).
 */
import type { Db } from '../db/connection.js';
import { searchCatalog, UnknownZip, type CatalogQuery, type CatalogResult } from '../db/catalog.js';
import {
  coursesForCredit,
  coursesOfEvents,
  creditedCompletions,
  onlineCoursesInProgress,
  openOnlineCourses,
  takenOrSignedUp,
} from '../db/recommendations.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import {
  addDays,
  compareDates,
  dateOf,
  isLocalDate,
  localDateOf,
  startOfLocalDay,
  yearOf,
  type LocalDate,
} from '../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { creditAsker, enrollmentRefused, trainerCertifiedForEvent } from './candidateCredit.js';
import { DomainError } from './errors.js';

export interface SuggestedTraining {
  kind: 'event' | 'online-course';
  id: number;
  title: string;
  /** Hours it would credit this person under the rules in effect. */
  hours: number;
  /** Events: the first session's date, the city, miles from the person's ZIP (null without one), seats left. */
  startsOn?: LocalDate;
  city?: string;
  distanceMiles?: number | null;
  seatsLeft?: number;
  /** Absolute link to the event or course page. */
  url: string;
}

export interface SuggestionQuery extends SuggestionRun, SuggestionFor {}

/** What one person's suggestions are about. */
export interface SuggestionFor {
  professionalId: number;
  /** The hours requirement the reminder is about (its code, e.g. 'licensing-annual-hours'). */
  requirement: string;
  /** The last day of the period: suggested training must finish by it. */
  periodEnd: LocalDate;
}

/** What every person's suggestions of one run share. */
export interface SuggestionRun {
  /** Today, in the registry's time zone. */
  asOf: LocalDate;
  /** The app's public origin, for links. */
  publicUrl: string;
  /** At most this many of each kind (default 3). */
  limit?: number;
  /** The instant registration deadlines and "upcoming" are judged at (default: now). */
  now?: Date;
}

export const SUGGESTIONS_PER_KIND = 3;
/**
 * Events read from the catalog, nearest (or soonest) first, before those the person took, is signed
 * up for, that end after the deadline or credit nothing are left out.
 */
const EVENTS_READ = 60;

export async function suggestTraining(db: Db, query: SuggestionQuery): Promise<SuggestedTraining[]> {
  const { professionalId, requirement, periodEnd, ...run } = query;
  const [suggested] = await suggestTrainingToMany(db, run, [{ professionalId, requirement, periodEnd }]);
  return suggested!;
}

/**
 * The suggestions of many people at once (a reminder run's batch), in the order asked: each read
 * is made once for all of them (what they took, their courses in progress, their earlier credit;
 * the catalog once per ZIP code and deadline), then each person's choice is made in memory.
 */
export async function suggestTrainingToMany(
  db: Db,
  run: SuggestionRun,
  people: SuggestionFor[],
): Promise<SuggestedTraining[][]> {
  const { asOf } = run;
  if (!isLocalDate(asOf)) throw new DomainError('Invalid', 'must be a date (YYYY-MM-DD)', 'asOf');
  for (const p of people)
    if (!isLocalDate(p.periodEnd)) throw new DomainError('Invalid', 'must be a date (YYYY-MM-DD)', 'periodEnd');
  const limit = run.limit ?? SUGGESTIONS_PER_KIND;
  if (!Number.isInteger(limit) || limit < 0)
    throw new DomainError('Invalid', 'must be a whole number, 0 or more', 'limit');
  if (people.length === 0) return [];
  const now = run.now ?? new Date();
  const origin = run.publicUrl.replace(/\/+$/, '');
  const yearStart = dateOf(yearOf(asOf), 1, 1);
  const ids = [...new Set(people.map((p) => p.professionalId))];

  const [zips, rules, excluded, inProgress, online] = await Promise.all([
    db('professionals')
      .whereIn('id', ids)
      .select<Array<{ id: number; zip: string | null }>>('id', 'zip')
      .then((rows) => new Map(rows.map((r) => [Number(r.id), r.zip]))),
    ruleSetInEffect(db, COMPLIANCE_RULE_SET, asOf),
    takenOrSignedUp(db, ids, yearStart),
    onlineCoursesInProgress(db, ids),
    openOnlineCourses(db),
  ]);
  const carriedRequirements = new Set(
    rules.document.rules.flatMap((r) => (r.event.type === 'hours-requirement' ? [r.event.params.requirement] : [])),
  );
  for (const p of people) {
    if (!zips.has(p.professionalId))
      throw new DomainError('NotFound', 'is not a professional in the registry', 'professionalId');
    if (!carriedRequirements.has(p.requirement))
      throw new DomainError('Invalid', `is not an hours requirement of the rules in effect on ${asOf}`, 'requirement');
  }
  const asked = people.filter((p) => limit > 0 && compareDates(p.periodEnd, asOf) >= 0);

  // The catalog once per ZIP code and deadline: people nearby with the same deadline see the same events.
  const searches = new Map<string, Promise<CatalogResult[]>>();
  const eventsNear = (zip: string | null, periodEnd: LocalDate) => {
    const key = `${zip ?? ''}|${periodEnd}`;
    let found = searches.get(key);
    if (!found) searches.set(key, (found = upcomingEvents(db, { zip, asOf, periodEnd, now })));
    return found;
  };
  const eventsOf = await Promise.all(asked.map((p) => eventsNear(zips.get(p.professionalId) ?? null, p.periodEnd)));

  const courseIds = new Set(online.map((c) => c.id));
  const eventIds = new Set<number>();
  for (const found of eventsOf)
    for (const e of found) {
      eventIds.add(e.id);
      courseIds.add(e.courseId);
    }
  const [eventCourses, forCredit, credited] = await Promise.all([
    coursesOfEvents(db, [...eventIds]),
    coursesForCredit(db, [...courseIds]),
    creditedCompletions(db, ids, [...courseIds], yearStart),
  ]);

  const suggestions = new Map<SuggestionFor, SuggestedTraining[]>();
  for (const [i, p] of asked.entries()) {
    const taken = excluded.get(p.professionalId)!;
    const excludedCourses = new Set(taken.courseIds);
    const excludedEvents = new Set(taken.eventIds);
    const creditOf = creditAsker(rules, credited.get(p.professionalId)!);

    const suggestedEvents: SuggestedTraining[] = [];
    const coursesOffered = new Set<number>();
    for (const e of eventsOf[i]!) {
      if (suggestedEvents.length >= limit) break;
      if (excludedEvents.has(e.id) || excludedCourses.has(e.courseId)) continue;
      const ofEvent = eventCourses.get(e.id);
      const course = ofEvent && forCredit.get(ofEvent.courseId);
      // One event per course: the person needs the training once, at the nearest (or soonest) place.
      if (!ofEvent || !course || coursesOffered.has(course.id)) continue;
      const completedOn = localDateOf(new Date(e.lastSessionAt));
      const credit = await creditOf(course, {
        completedOn,
        hours: Number(e.clockHours),
        source: 'attendance',
        registeredOn: asOf,
        trainerHasInstructorCertification: trainerCertifiedForEvent(course, ofEvent, completedOn),
      });
      if (credit.none || credit.hours <= 0) continue;
      coursesOffered.add(course.id);
      suggestedEvents.push({
        kind: 'event',
        id: e.id,
        title: e.title,
        hours: credit.hours,
        startsOn: localDateOf(new Date(e.firstSessionAt)),
        ...(e.city !== null && { city: e.city }),
        distanceMiles: e.miles,
        seatsLeft: e.seatsLeft,
        url: `${origin}/events/${e.id}`,
      });
    }

    const suggestedCourses: SuggestedTraining[] = [];
    for (const c of online) {
      const course = forCredit.get(c.id);
      if (!course || excludedCourses.has(c.id)) continue;
      // The enrollment rules decide whether they may start it now (DESE courses one at a time, say).
      const refused = await enrollmentRefused(rules, {
        course: { sponsor: course.sponsor, delivery: course.delivery, topic: course.topic },
        learner: { onlineCoursesInProgress: inProgress.get(p.professionalId) ?? 0 },
      });
      if (refused) continue;
      // Registered and finished today: the soonest it can be done, and so before the deadline.
      const credit = await creditOf(course, {
        completedOn: asOf,
        hours: c.clockHours,
        source: 'online_course',
        registeredOn: asOf,
      });
      if (credit.none || credit.hours <= 0) continue;
      suggestedCourses.push({
        kind: 'online-course',
        id: c.id,
        title: c.title,
        hours: credit.hours,
        url: `${origin}/learn/${c.id}`,
      });
    }
    // The most hours toward what is still needed first, then by title.
    suggestedCourses.sort((a, b) => b.hours - a.hours || a.title.localeCompare(b.title) || a.id - b.id);
    suggestions.set(p, [...suggestedEvents, ...suggestedCourses.slice(0, limit)]);
  }
  return people.map((p) => suggestions.get(p) ?? []);
}

/**
 * Events open for registration with seats left, starting after `asOf` with their last session on
 * or before `periodEnd`, nearest to the ZIP code first (a ZIP code the registry does not know
 * counts as none), soonest first without one.
 */
async function upcomingEvents(
  db: Db,
  input: { zip: string | null; asOf: LocalDate; periodEnd: LocalDate; now: Date },
): Promise<CatalogResult[]> {
  const search = (zip: string | null) => {
    const query: CatalogQuery = {
      seatsLeft: true,
      from: startOfLocalDay(addDays(input.asOf, 1)).toISOString(),
      // The catalog reads `to` as a day of the database's time zone; a day more, then exactly below.
      to: addDays(input.periodEnd, 1),
      sort: zip ? 'distance' : 'date',
      page: 1,
      pageSize: EVENTS_READ,
      now: input.now,
      ...(zip && { zip }),
    };
    return searchCatalog(db, query);
  };
  let found: CatalogResult[];
  try {
    found = (await search(input.zip)).results;
  } catch (error) {
    if (!(error instanceof UnknownZip)) throw error;
    found = (await search(null)).results;
  }
  return found.filter(
    (e) =>
      compareDates(localDateOf(new Date(e.firstSessionAt)), input.asOf) > 0 &&
      compareDates(localDateOf(new Date(e.lastSessionAt)), input.periodEnd) <= 0 &&
      (!e.registrationDeadline || new Date(e.registrationDeadline) >= input.now),
  );
}
