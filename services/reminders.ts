/**
 * Deadline reminders (issue 20): people still short of an hours requirement's hours are reminded
 * as the end of its period comes near. When is policy: the requirement's `reminderDaysBefore` in
 * the rule set in effect on the run date (e.g. 90, 30 and 7 days before). Each point reminds a
 * person at most once per requirement and period (the outbox and notification dedupe keys say so),
 * so a run done again, or carried on after a killed worker, sends nothing twice. Reminders are
 * optional: a person who unsubscribed gets none. Required notices (a status that turned) are not
 * sent from here and ignore the opt-out.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { addNotifications } from '../db/notifications.js';
import { ruleSetTimeline } from '../db/ruleSets.js';
import { carriedBy } from '../rules/carried.js';
import type { PeriodResult } from '../rules/compliance.js';
import { compareDates, daysBetween, type LocalDate } from '../rules/dates.js';
import type { Language } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { complianceOfMany, employmentsHeld, historiesFor } from './compliance.js';
import { addManyToOutboxInLanguage, type EmailInLanguage } from './mail/outboxInLanguage.js';
import { hoursDeadlineReminder } from './mail/reminderEmail.js';
import { suggestTrainingToMany } from './trainingSuggestions.js';
import type { EmploymentWithOrganization } from '../db/employments.js';

/**
 * The reminder point a person is due on a day: the smallest point the days left have reached
 * (25 days before the end of [90, 30, 7] is the 30-day one: the 90-day one is past and would
 * say less). None while the days left are more than every point.
 */
export function reminderPointDue(points: readonly number[], daysLeft: number): number | null {
  const reached = points.filter((p) => daysLeft <= p);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** The outbox and notification key of one reminder: one per person, requirement, period and point. */
export const reminderKey = (professionalId: number, requirement: string, periodStart: LocalDate, point: number) =>
  `reminder-${professionalId}-${requirement}-${periodStart}-${point}`;

/** One reminder due: who, which requirement and period, at which point. */
export interface DueReminder {
  professionalId: number;
  requirement: string;
  label: string;
  period: Pick<PeriodResult, 'start' | 'end' | 'required' | 'applied'>;
  point: number;
  daysLeft: number;
  hoursNeeded: number;
  employers: string[];
}

const round = (hours: number) => Math.round(hours * 100) / 100;

/**
 * The reminders due on `asOf` to the given people: for each hours requirement they carry today
 * (at an employment that goes on), the period containing `asOf` when they are short of it and a
 * reminder point has been reached. Standing is computed as of `asOf`, so hours completed
 * yesterday count and someone who met the requirement is never reminded.
 */
export async function remindersDue(db: Db, professionalIds: number[], asOf: LocalDate): Promise<DueReminder[]> {
  if (professionalIds.length === 0) return [];
  const timeline = await ruleSetTimeline(db, COMPLIANCE_RULE_SET, asOf);
  // The points are those of the version in effect on the run date: policy staff change them like any rule.
  const pointsOf = new Map<string, number[]>();
  for (const rule of timeline.at(-1)!.rules.document.rules)
    if (rule.event.type === 'hours-requirement' && rule.event.params.reminderDaysBefore)
      pointsOf.set(rule.event.params.requirement, rule.event.params.reminderDaysBefore);
  if (pointsOf.size === 0) return [];

  const reports = await complianceOfMany(db, professionalIds, asOf);
  const candidates: Array<Omit<DueReminder, 'employers'> & { ruleId: string }> = [];
  for (const [professionalId, report] of reports) {
    for (const r of report.requirements) {
      const points = pointsOf.get(r.requirement);
      if (!points) continue;
      const period = r.periods.find((p) => compareDates(p.start, asOf) <= 0 && compareDates(asOf, p.end) <= 0);
      if (!period || period.applied >= period.required) continue;
      const daysLeft = daysBetween(asOf, period.end);
      const point = reminderPointDue(points, daysLeft);
      if (point === null) continue;
      candidates.push({
        professionalId,
        requirement: r.requirement,
        ruleId: r.ruleId,
        label: r.label,
        period: { start: period.start, end: period.end, required: period.required, applied: period.applied },
        point,
        daysLeft,
        hoursNeeded: round(period.required - period.applied),
      });
    }
  }
  if (candidates.length === 0) return [];

  // Which employers make each candidate carry the requirement today: an employment that ended
  // before the run date reminds nobody (the period is still judged, but no program asks for it now).
  const people = [...new Set(candidates.map((c) => c.professionalId))];
  const employments: EmploymentWithOrganization[] = (
    await db('employments as e')
      .join('organizations as o', 'o.id', 'e.organization_id')
      .whereIn('e.professional_id', people)
      .orderBy('e.hire_date')
      .select('e.*', db.raw('to_jsonb(o.*) AS organization'))
  ).map((e: EmploymentWithOrganization) => ({ ...e, professional_id: Number(e.professional_id) }));
  const histories = await historiesFor(db, employments);
  const due: DueReminder[] = [];
  for (const professionalId of people) {
    const own = employments.filter((e) => e.professional_id === professionalId);
    const carried = await carriedBy(timeline, employmentsHeld(own, histories));
    const names = new Map(own.map((e) => [e.organization_id, e.organization.name]));
    for (const c of candidates.filter((x) => x.professionalId === professionalId)) {
      const requirement = carried.requirements.find((r) => r.params.requirement === c.requirement);
      const current = (requirement?.spans ?? []).filter(
        (s) => compareDates(s.from, asOf) <= 0 && (s.to === null || compareDates(asOf, s.to) <= 0),
      );
      if (current.length === 0) continue;
      const employers = [...new Set(current.map((s) => names.get(s.organizationId) ?? ''))].filter(Boolean).sort();
      const { ruleId: _ruleId, ...reminder } = c;
      void _ruleId;
      due.push({ ...reminder, employers });
    }
  }
  return due;
}

/** The person's unsubscribe token (made on first need) and whether they turned reminders off. */
export async function reminderPreference(
  db: Db,
  professionalId: number,
): Promise<{ unsubscribeToken: string; optedOut: boolean }> {
  return (await reminderPreferences(db, [professionalId])).get(professionalId)!;
}

/** Each person's unsubscribe token (made on first need) and whether they turned reminders off: two statements for any number. */
export async function reminderPreferences(
  db: Db,
  professionalIds: number[],
): Promise<Map<number, { unsubscribeToken: string; optedOut: boolean }>> {
  if (professionalIds.length === 0) return new Map();
  await db('reminder_preferences')
    .insert(professionalIds.map((id) => ({ professional_id: id })))
    .onConflict('professional_id')
    .ignore();
  const rows: Array<{ professional_id: number; unsubscribe_token: string; opted_out_at: Date | null }> = await db(
    'reminder_preferences',
  )
    .whereIn('professional_id', professionalIds)
    .select('professional_id', 'unsubscribe_token', 'opted_out_at');
  return new Map(
    rows.map((r) => [
      Number(r.professional_id),
      { unsubscribeToken: r.unsubscribe_token, optedOut: r.opted_out_at !== null },
    ]),
  );
}

/**
 * Turns optional reminders off for the person whose unsubscribe token this is (an email's
 * one-click link). Unknown tokens change nothing; doing it twice keeps the first time.
 */
export async function unsubscribeByToken(db: Db, token: string): Promise<boolean> {
  // A token that is no uuid is no one's: answer as for an unknown one, without asking PostgreSQL to cast it.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) return false;
  const updated = await db('reminder_preferences')
    .where({ unsubscribe_token: token })
    .update({ opted_out_at: db.raw('coalesce(opted_out_at, now())'), updated_at: db.fn.now() });
  return updated > 0;
}

/** Turns a person's optional reminders on or off (their profile's checkbox). */
export async function setRemindersWanted(db: Db, professionalId: number, wanted: boolean): Promise<void> {
  await db('reminder_preferences')
    .insert({ professional_id: professionalId, opted_out_at: wanted ? null : db.fn.now() })
    .onConflict('professional_id')
    .merge({
      opted_out_at: wanted ? null : db.raw('coalesce(reminder_preferences.opted_out_at, now())'),
      updated_at: db.fn.now(),
    });
}

export async function remindersWanted(db: Db, professionalId: number): Promise<boolean> {
  const row = await db('reminder_preferences').where({ professional_id: professionalId }).first('opted_out_at');
  return !row || row.opted_out_at === null;
}

/**
 * Sends the reminders due to one batch of people: suggestions are read first, then every
 * reminder of the batch is written (outbox email and in-app notification) in one transaction.
 * Returns how many reminders were due (each is in the outbox once, written now or by an earlier
 * attempt), so an attempt done again answers what the first did.
 */
export async function sendReminders(
  db: Db,
  options: { professionalIds: number[]; asOf: LocalDate; publicUrl: string },
): Promise<number> {
  const { asOf, publicUrl } = options;
  const due = await remindersDue(db, options.professionalIds, asOf);
  if (due.length === 0) return 0;
  const people = new Map(
    (
      await db('professionals')
        .whereIn('id', [...new Set(due.map((d) => d.professionalId))])
        .select('id', 'email', 'first_name', 'last_name')
    ).map((p: { id: number; email: string; first_name: string; last_name: string }) => [Number(p.id), p]),
  );
  const optedOut = new Set(
    (
      await db('reminder_preferences')
        .whereIn('professional_id', [...people.keys()])
        .whereNotNull('opted_out_at')
        .pluck('professional_id')
    ).map(Number),
  );
  const sendable = due.filter((d) => people.has(d.professionalId) && !optedOut.has(d.professionalId));
  const suggested = await suggestTrainingToMany(
    db,
    { asOf, publicUrl },
    sendable.map((d) => ({ professionalId: d.professionalId, requirement: d.requirement, periodEnd: d.period.end })),
  );
  return db.transaction(async (trx) => {
    const preferences = await reminderPreferences(trx, [...new Set(sendable.map((d) => d.professionalId))]);
    const emails: EmailInLanguage[] = [];
    const notices: PersonNotice[] = [];
    for (const [i, d] of sendable.entries()) {
      const person = people.get(d.professionalId)!;
      const { unsubscribeToken, optedOut: nowOptedOut } = preferences.get(d.professionalId)!;
      // Turned off while the suggestions were read: respect it.
      if (nowOptedOut) continue;
      const key = reminderKey(d.professionalId, d.requirement, d.period.start, d.point);
      const link = `/professionals/${d.professionalId}/compliance`;
      const facts = {
        name: `${person.first_name} ${person.last_name}`,
        requirementLabel: d.label,
        employers: d.employers,
        hoursNeeded: d.hoursNeeded,
        periodEnd: d.period.end,
        daysLeft: d.daysLeft,
        suggestions: suggested[i] ?? [],
        complianceUrl: `${publicUrl}${link}`,
        unsubscribeUrl: `${publicUrl}/unsubscribe/${unsubscribeToken}`,
      };
      // RFC 8058: a mail client's one-click unsubscribe POSTs "List-Unsubscribe=One-Click" to the https link.
      const headers = {
        'List-Unsubscribe': `<${publicUrl}/api/unsubscribe/${unsubscribeToken}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      };
      if (person.email)
        emails.push({
          dedupeKey: key,
          template: 'deadline-reminder',
          to: person.email,
          compose: (language) => ({ ...hoursDeadlineReminder(language, facts), headers }),
        });
      // In the app, the sentence that says what is needed by when; the page it links to has the rest.
      notices.push({
        professionalId: d.professionalId,
        key,
        link,
        compose: (language) => hoursDeadlineReminder(language, facts),
        paragraphs: 1,
      });
    }
    await addManyToOutboxInLanguage(trx, emails);
    await notifyPeople(trx, notices);
    return emails.length;
  });
}

/** An in-app notice to every account of a person: see `notifyPeople`. */
export interface PersonNotice {
  professionalId: number;
  key: string;
  link: string;
  compose: (language: Language) => { subject: string; text: string };
  paragraphs?: number;
}

/**
 * The in-app notification of an email, for each account of the person, in its own language:
 * the subject as the title, the paragraphs between the greeting and the link line (or the first
 * `paragraphs` of them) as the body.
 */
export async function notifyUsers(
  trx: Knex.Transaction | Db,
  professionalId: number,
  key: string,
  link: string,
  compose: (language: Language) => { subject: string; text: string },
  paragraphs?: number,
): Promise<void> {
  await notifyPeople(trx, [{ professionalId, key, link, compose, ...(paragraphs !== undefined && { paragraphs }) }]);
}

/** `notifyUsers` for many people: one read of their accounts, one write of the notifications. */
export async function notifyPeople(trx: Knex.Transaction | Db, notices: PersonNotice[]): Promise<void> {
  if (notices.length === 0) return;
  const accounts: Array<{ id: number; professional_id: number; language: Language | null }> = await trx('users')
    .whereIn('professional_id', [...new Set(notices.map((n) => n.professionalId))])
    .select('id', 'professional_id', 'language');
  const accountsOf = new Map<number, typeof accounts>();
  for (const a of accounts) {
    const own = accountsOf.get(Number(a.professional_id)) ?? [];
    own.push(a);
    accountsOf.set(Number(a.professional_id), own);
  }
  await addNotifications(
    trx,
    notices.flatMap((n) => {
      const users = accountsOf.get(n.professionalId) ?? [];
      return users.map((user) => {
        const email = n.compose(user.language ?? 'en');
        const said = email.text.split('\n\n').slice(1, -2).slice(0, n.paragraphs);
        return {
          userId: Number(user.id),
          title: email.subject,
          body: (said.join(' ') || email.subject).slice(0, 2000),
          link: n.link,
          // One account per person is the rule; the suffix keeps a second one's notice its own.
          dedupeKey: users.length === 1 ? n.key : `${n.key}-user-${user.id}`,
        };
      });
    }),
  );
}

/**
 * Reminds, in sub-batches of `batchSize`, at most `limit` people after `afterId` (keyset by id);
 * `onProgress` hears the last id done after each sub-batch, with the people and reminders so far
 * (an activity heartbeats them, so a retry carries on from there and still counts the whole
 * batch). `finished` says nobody is left.
 */
export async function remindEveryone(
  db: Db,
  options: {
    asOf: LocalDate;
    afterId: number;
    limit: number;
    batchSize?: number;
    publicUrl: string;
    onProgress?: (lastId: number, done: number, reminded: number) => void;
  },
): Promise<{ lastId: number; done: number; reminded: number; finished: boolean }> {
  const ids: number[] = (
    await db('professionals').where('id', '>', options.afterId).orderBy('id').limit(options.limit).pluck('id')
  ).map(Number);
  const batchSize = options.batchSize ?? 500;
  let reminded = 0;
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    reminded += await sendReminders(db, { professionalIds: batch, asOf: options.asOf, publicUrl: options.publicUrl });
    options.onProgress?.(batch.at(-1)!, i + batch.length, reminded);
  }
  return {
    lastId: ids.at(-1) ?? options.afterId,
    done: ids.length,
    reminded,
    finished: ids.length < options.limit,
  };
}
