/**
 * The director's weekly digest (issue 20): for each director with approved organizations, the
 * staff who will not have an hours requirement's hours by the end of its period at their pace
 * (services/forecast.ts), overdue deadlines, and CPR/First Aid cards expiring or expired (as the
 * staff report reads them). One email per director per ISO week, through the outbox (dedupe key
 * `director-digest-<userId>-<ISO week>`), so a run repeated in the same week sends nothing more.
 *
 * Nothing is sent to a director with nothing to report: a weekly "all on track" email would teach
 * directors to ignore the digest, and their home page's forecast says so whenever they look.
 *
 * The digest is not optional: the opt-out of issue 20 is a professional's, for their own optional
 * reminders (reminder_preferences, by professional); a director need not be a professional, and
 * what the digest tells is about the staff in their care.
 */
import type { Db } from '../db/connection.js';
import { addDays, yearOf, type LocalDate } from '../rules/dates.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { digestItems, directorDigestEmail, type DirectorDigestFacts } from './mail/directorDigestEmail.js';
import { complianceOfMany } from './compliance.js';
import { paceFactsOf, staffFallingShort } from './forecast.js';
import { staffReport } from './staffReport.js';

/** The ISO 8601 week of a date, e.g. 2026-W50 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(date: LocalDate): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  const thursday = addDays(date, 4 - day);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(yearOf(thursday), 0, 1)) / 604_800_000) + 1;
  return `${yearOf(thursday)}-W${String(week).padStart(2, '0')}`;
}

export const directorDigestKey = (userId: number, asOf: LocalDate) => `director-digest-${userId}-${isoWeekOf(asOf)}`;

/** Up to `limit` directors (users holding the role, enabled, with an approved organization) after a user id, in id order. */
export async function directorsAfter(db: Db, afterUserId: number, limit: number): Promise<number[]> {
  const ids: Array<string | number> = await db('users as u')
    .join('user_roles as r', function onRole() {
      this.on('r.user_id', 'u.id').andOnVal('r.role', 'director');
    })
    .whereNull('u.disabled_at')
    .where('u.id', '>', afterUserId)
    .whereExists((q) =>
      q
        .select(db.raw('1'))
        .from('organization_claims as c')
        .whereRaw('c.director_user_id = u.id')
        .where('c.status', 'approved'),
    )
    .orderBy('u.id')
    .limit(limit)
    .pluck('u.id');
  return ids.map(Number);
}

/** What one director's digest tells as of a date (empty lists when nothing needs them). */
export async function directorDigestFacts(
  db: Db,
  userId: number,
  asOf: LocalDate,
  publicUrl: string,
): Promise<{ email: string; facts: DirectorDigestFacts } | null> {
  const user: { email: string; display_name: string } | undefined = await db('users')
    .where({ id: userId })
    .first('email', 'display_name');
  if (!user) return null;
  const organizationIds: number[] = (
    await db('organization_claims')
      .where({ director_user_id: userId, status: 'approved' })
      .orderBy('organization_id')
      .pluck('organization_id')
  ).map(Number);
  const reports = await Promise.all(organizationIds.map((id) => staffReport(db, id, asOf)));
  const ids = [...new Set(reports.flatMap((r) => r.staff.map((s) => s.professionalId)))];
  const [compliances, paces] = await Promise.all([complianceOfMany(db, ids, asOf), paceFactsOf(db, ids, asOf)]);
  const facts: DirectorDigestFacts = {
    directorName: user.display_name,
    organizations: reports.map((r) => r.organization.name),
    asOf,
    fallingShort: [],
    overdueDeadlines: [],
    cards: [],
    url: `${publicUrl}/`,
  };
  for (const report of reports) {
    const organization = report.organization.name;
    facts.fallingShort.push(
      ...staffFallingShort(
        report.staff.map((s) => ({
          professionalId: s.professionalId,
          name: s.name,
          organizationId: report.organization.id,
          organizationName: organization,
        })),
        compliances,
        paces,
        asOf,
      ).map((f) => ({
        person: f.name,
        organization,
        requirement: f.label,
        stillNeeded: f.stillNeeded,
        periodEnd: f.periodEnd,
        daysLeft: f.daysLeft,
        projectedShortfall: f.projectedShortfall,
        verdict: f.verdict,
        paceBasis: f.paceBasis,
      })),
    );
    for (const person of report.staff) {
      for (const d of person.deadlines)
        if (d.status === 'overdue')
          facts.overdueDeadlines.push({ person: person.name, organization, deadline: d.label, dueOn: d.dueOn });
      const card = person.cprCard;
      if ((card.status === 'expiring' || card.status === 'expired') && card.expiresOn)
        facts.cards.push({ person: person.name, organization, status: card.status, expiresOn: card.expiresOn });
    }
  }
  return { email: user.email, facts };
}

export type DigestOutcome = 'sent' | 'already-sent' | 'nothing-to-report';

/** Writes one director's digest for the week of `asOf` to the outbox, unless there is nothing to tell. */
export async function sendDirectorDigest(
  db: Db,
  input: { userId: number; asOf: LocalDate; publicUrl: string },
): Promise<DigestOutcome> {
  const found = await directorDigestFacts(db, input.userId, input.asOf, input.publicUrl);
  if (!found || digestItems(found.facts) === 0) return 'nothing-to-report';
  const added = await addToOutboxInLanguage(db, {
    dedupeKey: directorDigestKey(input.userId, input.asOf),
    template: 'director-digest',
    to: found.email,
    compose: (language) => directorDigestEmail(language, found.facts),
  });
  return added ? 'sent' : 'already-sent';
}

/**
 * The digests of up to `limit` directors after `afterUserId`; `onProgress` hears the last user id
 * done after each (an activity heartbeats it, so a retry carries on after it). Each director's
 * email is its own outbox row, keyed by the week: a director done twice is still told once.
 */
export async function sendDirectorDigestBatch(
  db: Db,
  input: {
    asOf: LocalDate;
    afterUserId: number;
    limit: number;
    publicUrl: string;
    onProgress?: (lastUserId: number) => void;
  },
): Promise<{ lastUserId: number; told: number; finished: boolean }> {
  const ids = await directorsAfter(db, input.afterUserId, input.limit);
  // Directors with a digest this week, whether this run or an earlier one queued it: a repeated
  // batch answers what the first answered.
  let told = 0;
  for (const userId of ids) {
    if (
      (await sendDirectorDigest(db, { userId, asOf: input.asOf, publicUrl: input.publicUrl })) !== 'nothing-to-report'
    )
      told++;
    input.onProgress?.(userId);
  }
  return { lastUserId: ids.at(-1) ?? input.afterUserId, told, finished: ids.length < input.limit };
}
