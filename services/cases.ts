/**
 * The approval cases' steps, which the workflows run as activities and the API calls. Each
 * records one step of one case in PostgreSQL, in one transaction with the timeline event, the
 * in-app notifications and the outbox emails it causes. Every step carries a key from the
 * workflow; the event's unique key makes a retried activity a no-op, so nothing is recorded or
 * sent twice. The one Temporal notion here is `CaseNeverSaved`, the non-retryable failure a step
 * returns once its row will never commit.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { DEFAULT_SERVICE_LEVEL, getSetting } from '../db/settings.js';
import { audit } from '../db/audit.js';
import { addToOutbox } from '../db/outbox.js';
import { ruleSetInEffect, ruleSetVersion } from '../db/ruleSets.js';
import { findCase, leadReviewers, pickReviewerByWorkload, recordCaseEvent, type CaseRow } from '../db/cases.js';
import {
  addWorkingDays,
  addWorkingMinutes,
  workingMinutesBetween,
  workingMinutesPerDay,
  type BusinessCalendar,
} from '../rules/businessCalendar.js';
import { addDays, localDateAtHour, localDateOf, startOfLocalDay } from '../rules/dates.js';
import type { CaseEventKind, CaseStatus, CaseType, Language } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { rowMayStillCommit } from './rowInTransaction.js';
import { FAILURE } from '../rules/failures.js';
import { caseNotice } from './mail/templates.js';
import { emailMessages, fill, longDate, type EmailMessages } from './mail/messages.js';
import { automaticChecks, grant, type CheckResult } from './caseKinds/index.js';
import { DomainError } from './errors.js';
import type { CaseResumption } from '../workflows/approvalCase/definitions.js';

// What a check records, and the passes MOPD words itself, live with the case kinds that run them.
export { PASSED_CHECK_WORDINGS, type CheckResult, type CheckWords } from './caseKinds/index.js';

export interface CheckOutcome {
  outcome: 'pass' | 'refuse' | 'needs_information';
  summary: string;
  results: CheckResult[];
}

export interface CaseServiceDeps {
  db: Db;
  publicUrl: string;
  now?: () => Date;
}

/** What a case notice needs to word itself in one language (services/mail/messages/<language>.json `caseNotice`). */
interface NoticeWords {
  m: EmailMessages['caseNotice'];
  /** The case type in words: "trainer application", "solicitud de capacitador/a". */
  type: string;
  /** "Your trainer application “Jordan Lee”", "su solicitud de capacitador/a «Jordan Lee»". */
  yours: string;
  /** A calendar date (YYYY-MM-DD) as the language writes it. */
  date: (day: string) => string;
}
/** A notice's subject and paragraphs, composed once the recipient's language is known. */
type Notice = (words: NoticeWords) => { subject: string; paragraphs: string[] };

interface ServiceLevel {
  decideWithinWorkingDays: number;
  escalateAfterWorkingDays: number;
}

export function createCaseService({ db, publicUrl, now = () => new Date() }: CaseServiceDeps) {
  const caseUrl = (caseId: number) => `${publicUrl}/cases/${caseId}`;

  async function mustFind(trx: Knex | Knex.Transaction, caseId: number, forUpdate = false): Promise<CaseRow> {
    const found = await findCase(trx, caseId, { forUpdate });
    if (!found) throw new DomainError('NotFound', `No case ${caseId}`);
    return found;
  }

  /**
   * Tells a person about a case: an in-app notification and an email through the outbox, both
   * keyed so a retry writes neither twice, and both worded in the person's language (users.language)
   * at the moment they are written; the applicant's own words and reviewers' reasons go in as written.
   */
  async function notify(trx: Knex.Transaction, userId: number, c: CaseRow, key: string, notice: Notice): Promise<void> {
    const user = await trx('users')
      .where({ id: userId })
      .first<{ email: string; display_name: string; language: Language } | undefined>(
        'email',
        'display_name',
        'language',
      );
    if (!user) return;
    const m = emailMessages[user.language].caseNotice;
    const type = m.types[c.type];
    const { subject: title, paragraphs } = notice({
      m,
      type,
      yours: fill(m.yours, { type, title: c.title }),
      date: (day) => longDate(user.language, day),
    });
    await trx('notifications')
      .insert({
        user_id: userId,
        case_id: c.id,
        title,
        body: paragraphs.join(' '),
        link: `/cases/${c.id}`,
        dedupe_key: `${key}-user-${userId}`,
      })
      .onConflict('dedupe_key')
      .ignore();
    const email = caseNotice(user.language, {
      name: user.display_name,
      subject: title,
      paragraphs,
      caseUrl: caseUrl(c.id),
    });
    await addToOutbox(trx, { dedupeKey: `${key}-email-${userId}`, template: 'case-notice', to: user.email, ...email });
  }

  /**
   * Runs one step: records its event (once per key) and, only the first time, its changes and
   * notices. Returns false when the step had already been recorded.
   */
  async function step(
    input: { caseId: number; key: string },
    event: { kind: CaseEventKind; actorUserId: number | null; note?: string; detail?: Record<string, unknown> },
    apply: (trx: Knex.Transaction, c: CaseRow) => Promise<void>,
  ): Promise<boolean> {
    return db.transaction(async (trx) => {
      const c = await mustFind(trx, input.caseId, true);
      const recorded = await recordCaseEvent(trx, {
        caseId: c.id,
        key: input.key,
        kind: event.kind,
        actorUserId: event.actorUserId,
        note: event.note ?? '',
        detail: event.detail ?? {},
      });
      if (!recorded) return false;
      await apply(trx, c);
      await trx('cases').where({ id: c.id }).update({ updated_at: now() });
      return true;
    });
  }

  async function calendar(): Promise<BusinessCalendar> {
    return getSetting(db, 'business_calendar');
  }

  async function serviceLevelOf(type: CaseType): Promise<ServiceLevel> {
    const levels = await getSetting(db, 'case_service_levels');
    return levels[type] ?? DEFAULT_SERVICE_LEVEL;
  }

  return {
    /** Reads what the workflow needs to know of its case, and acknowledges it to the applicant. */
    async openCase(input: { caseId: number; workflowId: string }): Promise<{ applicantUserId: number }> {
      const c = await findCase(db, input.caseId);
      if (!c) throw caseNotSaved(input.caseId);
      await db.transaction(async (trx) => {
        await notify(trx, c.applicant_user_id, c, `${input.workflowId}-received`, ({ m, yours, date }) => ({
          subject: fill(m.received.subject, { yours }),
          paragraphs: m.received.body.map((p) => fill(p, { yours, date: date(localDateOf(c.submitted_at)) })),
        }));
      });
      return { applicantUserId: c.applicant_user_id };
    },

    /**
     * Where the case stands, for a workflow started again for it (reconcile, after a database
     * restore): its status and holder, the clock of its review round or of its question to the
     * applicant as the row has them, and the last step number recorded under this workflow id, so
     * the steps that follow get keys of their own. Minutes used before this round are what the
     * round's due time leaves out of the service level.
     */
    async resumeCase(input: { caseId: number; workflowId: string }): Promise<CaseResumption> {
      const c = await mustFind(db, input.caseId);
      const events: Array<{ dedupe_key: string; kind: string; detail: { stage?: string } | null; created_at: Date }> =
        await db('case_events')
          .where({ case_id: c.id })
          .orderBy('id')
          .select('dedupe_key', 'kind', 'detail', 'at as created_at');
      const ours = `${input.workflowId}#`;
      let lastStep = 0;
      for (const e of events)
        if (e.dedupe_key.startsWith(ours))
          lastStep = Math.max(lastStep, Number(/^(\d+)-/.exec(e.dedupe_key.slice(ours.length))?.[1] ?? 0));
      const latest = (kinds: string[]) => events.filter((e) => kinds.includes(e.kind)).at(-1);
      const resumption: CaseResumption = {
        status: c.status,
        assigneeUserId: c.assignee_user_id,
        lastStep,
        usedMinutes: 0,
        reviewStartedAt: '',
        review: null,
        information: null,
      };
      if (c.status === 'in_review' && c.due_at) {
        const cal = await calendar();
        const level = await serviceLevelOf(c.type);
        const started = latest(['review_started', 'assigned'])?.created_at ?? c.submitted_at;
        const target = level.decideWithinWorkingDays * workingMinutesPerDay(cal);
        resumption.reviewStartedAt = new Date(started).toISOString();
        resumption.usedMinutes = Math.max(0, target - workingMinutesBetween(new Date(started), c.due_at, cal));
        resumption.review = {
          remindAt: c.due_at.toISOString(),
          escalateAt: addWorkingDays(c.due_at, level.escalateAfterWorkingDays, cal).toISOString(),
          reminded: c.reminded_at !== null,
          escalated: c.escalated_at !== null,
        };
      }
      if (c.status === 'information_requested' && c.information_due_at) {
        const window = await getSetting(db, 'case_information_window');
        const lastDay = localDateOf(new Date(c.information_due_at.getTime() - 1));
        const asked = events.findLastIndex((e) => e.kind === 'information_requested');
        resumption.information = {
          remindAt: localDateAtHour(addDays(lastDay, -window.remindDaysBefore), 9).toISOString(),
          lapseAt: c.information_due_at.toISOString(),
          reminded: events.slice(asked + 1).some((e) => e.kind === 'reminded' && e.detail?.stage === 'information'),
        };
      }
      return resumption;
    },

    /** Runs the case type's automatic checks under the pinned rule-set version (or the current one, on a re-check). */
    async runAutomaticChecks(input: {
      caseId: number;
      underCurrentRules: boolean;
      actorUserId: number | null;
      at: string;
      key: string;
    }): Promise<CheckOutcome> {
      const c = await mustFind(db, input.caseId);
      const today = localDateOf(new Date(input.at));
      const rules = input.underCurrentRules
        ? await ruleSetInEffect(db, COMPLIANCE_RULE_SET, today)
        : await ruleSetVersion(db, c.rule_set, c.rule_set_version);
      const results = await automaticChecks({ db, c, rules, today });
      const failed = results.filter((r) => !r.passed);
      const outcome: CheckOutcome['outcome'] = failed.some((r) => r.onFailure === 'refuse')
        ? 'refuse'
        : failed.length
          ? 'needs_information'
          : 'pass';
      const summary = failed.length ? failed.map((r) => r.message).join(' ') : 'All automatic checks passed.';
      await step(
        input,
        {
          kind: input.underCurrentRules ? 'rechecked' : 'checked',
          actorUserId: input.actorUserId,
          note: summary,
          detail: { outcome, ruleSetVersion: rules.version },
        },
        async (trx) => {
          await trx('cases')
            .where({ id: c.id })
            .update({
              check_results: JSON.stringify(results),
              ...(input.underCurrentRules && { rule_set: rules.ruleSet, rule_set_version: rules.version }),
            });
        },
      );
      return { outcome, summary, results };
    },

    /**
     * Puts the case in review: assigns it by workload when automatic assignment is on and nobody
     * holds it, and sets its service level on the business calendar.
     */
    async enterReview(input: {
      caseId: number;
      usedMinutes: number;
      at: string;
      key: string;
    }): Promise<{ assigneeUserId: number | null; startedAt: string; remindAt: string; escalateAt: string }> {
      const c = await mustFind(db, input.caseId);
      const cal = await calendar();
      const level = await serviceLevelOf(c.type);
      const startedAt = new Date(input.at);
      const remaining = Math.max(0, level.decideWithinWorkingDays * workingMinutesPerDay(cal) - input.usedMinutes);
      const remindAt = addWorkingMinutes(startedAt, remaining, cal);
      const escalateAt = addWorkingDays(remindAt, level.escalateAfterWorkingDays, cal);
      let assignee = c.assignee_user_id;
      if (assignee === null && (await getSetting(db, 'automatic_case_assignment')))
        assignee = await pickReviewerByWorkload(db, c);
      await step(
        input,
        {
          kind: assignee !== null && assignee !== c.assignee_user_id ? 'assigned' : 'review_started',
          actorUserId: null,
          note:
            assignee !== null && assignee !== c.assignee_user_id ? 'In review; assigned by workload.' : 'In review.',
          detail: { dueAt: remindAt.toISOString(), assigneeUserId: assignee },
        },
        async (trx, locked) => {
          await trx('cases')
            .where({ id: locked.id })
            .update({
              status: 'in_review',
              assignee_user_id: assignee,
              assigned_at: assignee !== locked.assignee_user_id ? startedAt : locked.assigned_at,
              due_at: remindAt,
              information_due_at: null,
              reminded_at: null,
              escalated_at: null,
            });
          if (assignee !== null && assignee !== locked.assignee_user_id) {
            await notify(trx, assignee, locked, `${input.key}-assigned`, ({ m, type, date }) => ({
              subject: fill(m.assigned.subject, { title: locked.title }),
              paragraphs: m.assigned.body.map((p) => fill(p, { type, date: date(localDateOf(remindAt)) })),
            }));
          }
        },
      );
      return {
        assigneeUserId: assignee,
        startedAt: startedAt.toISOString(),
        remindAt: remindAt.toISOString(),
        escalateAt: escalateAt.toISOString(),
      };
    },

    /** Claim, release or reassign: who holds the case. */
    async assignCase(input: {
      caseId: number;
      toUserId: number | null;
      byUserId: number;
      how: 'claimed' | 'released' | 'reassigned';
      key: string;
    }): Promise<void> {
      await step(
        input,
        { kind: input.how, actorUserId: input.byUserId, detail: { toUserId: input.toUserId } },
        async (trx, c) => {
          await trx('cases')
            .where({ id: c.id })
            .update({ assignee_user_id: input.toUserId, assigned_at: input.toUserId === null ? null : now() });
          if (input.how === 'reassigned' && input.toUserId !== null) {
            await notify(trx, input.toUserId, c, input.key, ({ m, type }) => ({
              subject: fill(m.reassigned.subject, { title: c.title }),
              paragraphs: m.reassigned.body.map((p) => fill(p, { type })),
            }));
          }
        },
      );
    },

    /** Asks the applicant for information (a reviewer, or the automatic checks when something is missing). */
    async requestInformation(input: {
      caseId: number;
      reviewerUserId: number | null;
      message: string;
      reviewStartedAt: string;
      usedMinutes: number;
      at: string;
      key: string;
    }): Promise<{ usedMinutes: number; remindAt: string; lapseAt: string }> {
      const cal = await calendar();
      const window = await getSetting(db, 'case_information_window');
      const at = new Date(input.at);
      const today = localDateOf(at);
      const lapseOn = addDays(today, window.answerWithinDays);
      const lapseAt = startOfLocalDay(addDays(lapseOn, 1));
      const remindAt = localDateAtHour(addDays(lapseOn, -window.remindDaysBefore), 9);
      const usedMinutes =
        input.usedMinutes +
        (input.reviewStartedAt ? workingMinutesBetween(new Date(input.reviewStartedAt), at, cal) : 0);
      await step(
        input,
        {
          kind: 'information_requested',
          actorUserId: input.reviewerUserId,
          note: input.message,
          detail: { answerBy: lapseOn },
        },
        async (trx, c) => {
          await trx('cases')
            .where({ id: c.id })
            .update({ status: 'information_requested', information_due_at: lapseAt, due_at: null });
          if (input.reviewerUserId !== null)
            await trx('case_messages')
              .insert({
                case_id: c.id,
                author_user_id: input.reviewerUserId,
                body: input.message,
                dedupe_key: input.key,
              })
              .onConflict('dedupe_key')
              .ignore();
          await notify(trx, c.applicant_user_id, c, input.key, ({ m, yours, date }) => ({
            subject: fill(m.informationRequested.subject, { title: c.title }),
            paragraphs: [
              fill(m.informationRequested.intro, { yours }),
              checkFindings(c, input.message, m, date),
              fill(m.informationRequested.answerBy, { date: date(lapseOn) }),
            ],
          }));
        },
      );
      return { usedMinutes, remindAt: remindAt.toISOString(), lapseAt: lapseAt.toISOString() };
    },

    async answerInformation(input: {
      caseId: number;
      applicantUserId: number;
      message: string;
      uploadIds: string[];
      key: string;
    }): Promise<void> {
      await step(
        input,
        {
          kind: 'information_given',
          actorUserId: input.applicantUserId,
          note: input.message,
          detail: { documents: input.uploadIds.length },
        },
        async (trx, c) => {
          await trx('case_messages')
            .insert({
              case_id: c.id,
              author_user_id: input.applicantUserId,
              body: input.message,
              dedupe_key: input.key,
            })
            .onConflict('dedupe_key')
            .ignore();
          for (const uploadId of input.uploadIds)
            await trx('case_documents')
              .insert({ case_id: c.id, upload_id: uploadId, label: 'Sent with an answer' })
              .onConflict(['case_id', 'upload_id'])
              .ignore();
          if (c.assignee_user_id !== null)
            await notify(trx, c.assignee_user_id, c, input.key, ({ m }) => ({
              subject: fill(m.answered.subject, { title: c.title }),
              paragraphs: m.answered.body,
            }));
        },
      );
    },

    /** A service-level reminder: to the reviewer holding the case (or the leads when nobody does), or to the applicant. */
    async remindCase(input: { caseId: number; stage: 'decision' | 'information'; key: string }): Promise<void> {
      await step(input, { kind: 'reminded', actorUserId: null, detail: { stage: input.stage } }, async (trx, c) => {
        if (input.stage === 'information') {
          // The case lapses at the start of the day after the last day to answer.
          const lastDay = c.information_due_at ? localDateOf(new Date(c.information_due_at.getTime() - 1)) : null;
          await notify(trx, c.applicant_user_id, c, input.key, ({ m, yours, date }) => ({
            subject: fill(m.informationReminder.subject, { title: c.title }),
            paragraphs: [
              fill(m.informationReminder.waiting, { yours }),
              lastDay
                ? fill(m.informationReminder.answerBy, { date: date(lastDay) })
                : m.informationReminder.answerByGivenDate,
            ],
          }));
          return;
        }
        await trx('cases').where({ id: c.id }).update({ reminded_at: now() });
        const to = c.assignee_user_id !== null ? [c.assignee_user_id] : await leadReviewers(trx);
        for (const userId of to)
          await notify(trx, userId, c, input.key, ({ m, type }) => ({
            subject: fill(m.dueNow.subject, { title: c.title }),
            paragraphs: m.dueNow.body.map((p) => fill(p, { type })),
          }));
      });
    },

    /** Past the target and the grace after the reminder: every lead reviewer is told. */
    async escalateCase(input: { caseId: number; key: string }): Promise<void> {
      await step(input, { kind: 'escalated', actorUserId: null }, async (trx, c) => {
        await trx('cases').where({ id: c.id }).update({ escalated_at: now() });
        for (const userId of await leadReviewers(trx)) {
          await notify(trx, userId, c, input.key, ({ m, type }) => ({
            subject: fill(m.escalated.subject, { title: c.title }),
            paragraphs: m.escalated.body.map((p) => fill(p, { type })),
          }));
        }
      });
    },

    /** Records the decision and, on approval, what it grants. */
    async decideCase(input: {
      caseId: number;
      reviewerUserId: number;
      decision: 'approved' | 'denied';
      reasons: string[];
      at: string;
      key: string;
    }): Promise<void> {
      const reasons = input.reasons.map((r) => r.trim()).filter(Boolean);
      await step(
        input,
        { kind: input.decision, actorUserId: input.reviewerUserId, note: reasons.join(' ') },
        async (trx, c) => {
          await trx('cases')
            .where({ id: c.id })
            .update({
              status: input.decision,
              decision_reasons: JSON.stringify(reasons),
              decided_by_user_id: input.reviewerUserId,
              decided_at: now(),
              due_at: null,
            });
          const award =
            input.decision === 'approved'
              ? await grant({ trx, c, today: localDateOf(new Date(input.at)), now, publicUrl })
              : null;
          await audit(trx, {
            actorUserId: input.reviewerUserId,
            action: `case.${input.decision}`,
            entity: 'case',
            entityId: c.id,
            before: { status: c.status },
            after: { status: input.decision, reasons },
          });
          await notify(trx, c.applicant_user_id, c, input.key, ({ m, yours, date }) => {
            const words = m[input.decision];
            const awarded = award
              ? [
                  award.expiresOn
                    ? fill(m.microCredentialAwarded.validUntil, { date: date(award.expiresOn) })
                    : m.microCredentialAwarded.noExpiry,
                  fill(m.microCredentialAwarded.verification, { url: award.verificationUrl }),
                ]
              : [];
            return {
              subject: fill(words.subject, { title: c.title }),
              paragraphs: [fill(words.intro, { yours }), ...reasons, ...awarded],
            };
          });
        },
      ).catch((error: unknown) => {
        // The database keeps one decision per case (migration 025): a second one, under another key, is refused whole.
        if (
          (error as { code?: string; constraint?: string }).code === '23505' &&
          (error as { constraint?: string }).constraint === 'case_events_one_decision'
        ) {
          throw new DomainError(
            'Conflict',
            `Case ${input.caseId} is already decided; a second decision is not recorded`,
          );
        }
        throw error;
      });
    },

    /** Ends a case without a reviewer's decision: refused by the checks, withdrawn, or lapsed. */
    async closeCase(input: {
      caseId: number;
      status: Extract<CaseStatus, 'refused' | 'withdrawn' | 'lapsed'>;
      actorUserId: number | null;
      note: string;
      key: string;
    }): Promise<void> {
      await step(input, { kind: input.status, actorUserId: input.actorUserId, note: input.note }, async (trx, c) => {
        await trx('cases')
          .where({ id: c.id })
          .update({ status: input.status, due_at: null, information_due_at: null, decided_at: now() });
        // A refusal carries the automatic checks' findings as they were recorded on the case.
        await notify(trx, c.applicant_user_id, c, input.key, ({ m, yours, date }) => ({
          subject: fill(m[input.status].subject, { title: c.title }),
          paragraphs:
            input.status === 'refused'
              ? [fill(m.refused.intro, { yours }), checkFindings(c, input.note, m, date)]
              : m[input.status].body.map((p) => fill(p, { yours })),
        }));
        if (input.status === 'withdrawn' && c.assignee_user_id !== null) {
          await notify(trx, c.assignee_user_id, c, `${input.key}-reviewer`, ({ m }) => ({
            subject: fill(m.withdrawn.subject, { title: c.title }),
            paragraphs: m.withdrawn.toReviewer,
          }));
        }
      });
    },

    /**
     * A message between the applicant and the reviewers; it changes nothing about where the case
     * stands, so the API records it directly. The other side is told.
     */
    async postMessage(input: { caseId: number; authorUserId: number; body: string; key: string }): Promise<void> {
      await step(input, { kind: 'message', actorUserId: input.authorUserId }, async (trx, c) => {
        await trx('case_messages')
          .insert({ case_id: c.id, author_user_id: input.authorUserId, body: input.body, dedupe_key: input.key })
          .onConflict('dedupe_key')
          .ignore();
        const fromApplicant = input.authorUserId === c.applicant_user_id;
        const to = fromApplicant
          ? c.assignee_user_id !== null
            ? [c.assignee_user_id]
            : await leadReviewers(trx)
          : [c.applicant_user_id];
        for (const userId of to) {
          await notify(trx, userId, c, input.key, ({ m }) => ({
            subject: fill(m.message.subject, { title: c.title }),
            paragraphs: [fromApplicant ? m.message.fromApplicant : m.message.fromReviewer, input.body],
          }));
        }
      });
    },

    /** When an approved trainer's term should be reminded of and ends. */
    async trainerApprovalTerm(input: { caseId: number }): Promise<{ remindAt: string; expireAt: string } | null> {
      const c = await mustFind(db, input.caseId);
      if (!c.approval_expires_on) return null;
      const term = await getSetting(db, 'trainer_approval_term');
      return {
        remindAt: localDateAtHour(addDays(c.approval_expires_on, -term.remindDaysBefore), 9).toISOString(),
        expireAt: startOfLocalDay(addDays(c.approval_expires_on, 1)).toISOString(),
      };
    },

    async remindTrainerRenewal(input: { caseId: number; key: string }): Promise<void> {
      await step(input, { kind: 'approval_expiring', actorUserId: null }, async (trx, c) => {
        const trainer = await trx('trainers')
          .where({ user_id: c.applicant_user_id })
          .first<{ approved_until: string } | undefined>('approved_until');
        if (!trainer || trainer.approved_until !== c.approval_expires_on) return; // renewed meanwhile
        await notify(trx, c.applicant_user_id, c, input.key, ({ m, date }) => ({
          subject: m.trainerRenewal.subject,
          paragraphs: m.trainerRenewal.body.map((p) => fill(p, { date: date(trainer.approved_until) })),
        }));
      });
    },

    async expireTrainerApproval(input: { caseId: number; key: string }): Promise<void> {
      await step(input, { kind: 'approval_expired', actorUserId: null }, async (trx, c) => {
        const trainer = await trx('trainers')
          .where({ user_id: c.applicant_user_id })
          .first<{ approved_until: string } | undefined>('approved_until');
        if (!trainer || trainer.approved_until !== c.approval_expires_on) return; // renewed meanwhile
        await trx('user_roles').where({ user_id: c.applicant_user_id, role: 'trainer' }).delete();
        await notify(trx, c.applicant_user_id, c, input.key, ({ m, date }) => ({
          subject: m.trainerExpired.subject,
          paragraphs: m.trainerExpired.body.map((p) => fill(p, { date: date(trainer.approved_until) })),
        }));
      });
    },
  };
}

/** A case's row missing at `openCase`: wait while it may still commit; after that the workflow fails, naming it. */
function caseNotSaved(caseId: number): Error {
  if (rowMayStillCommit()) return new Error(`No case ${caseId} yet (its transaction may not have committed)`);
  return ApplicationFailure.nonRetryable(
    `Case ${caseId} was never saved: the request that started this workflow was rolled back, so there is nothing to run`,
    FAILURE.CaseNeverSaved,
  );
}

/**
 * What the automatic checks found, for the applicant's notice in their language. `written` is the
 * note the workflow passed (the checks' summary, in English); it is reworded only when it is exactly
 * the summary of the failures recorded on the case, so a reviewer's own words always go as written.
 * Values named `…On` are calendar dates.
 */
function checkFindings(
  c: CaseRow,
  written: string,
  m: EmailMessages['caseNotice'],
  date: (day: string) => string,
): string {
  const failed = (c.check_results as CheckResult[]).filter((r) => !r.passed);
  if (failed.length === 0 || failed.map((r) => r.message).join(' ') !== written) return written;
  return failed
    .map((r) => {
      if (!r.failedWords) return r.message;
      const values = Object.fromEntries(
        Object.entries(r.failedWords.values).map(([name, value]) => [name, /On$/.test(name) ? date(value) : value]),
      );
      return fill(m.checks[r.failedWords.key], values);
    })
    .join(' ');
}

export type CaseService = ReturnType<typeof createCaseService>;
