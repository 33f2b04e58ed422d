/**
 * Training suggested in a deadline reminder: what would actually count toward one requirement
 * before its period ends. INTERFACE ONLY for now (issue 20): the suggestions helper fills it in.
 */
import type { Db } from '../db/connection.js';
import type { LocalDate } from '../rules/dates.js';

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

export interface SuggestionQuery {
  professionalId: number;
  /** The hours requirement the reminder is about (its code, e.g. 'licensing-annual'). */
  requirement: string;
  /** The last day of the period: suggested training must finish by it. */
  periodEnd: LocalDate;
  /** Today, in the registry's time zone. */
  asOf: LocalDate;
  /** The app's public origin, for links. */
  publicUrl: string;
  /** At most this many of each kind (default 3). */
  limit?: number;
}

export async function suggestTraining(db: Db, query: SuggestionQuery): Promise<SuggestedTraining[]> {
  void db;
  void query;
  return [];
}
