/**
 * Activities of the employment-deadlines workflow. Each one is safe to run twice: deadlines are
 * unique per employment and requirement, state changes are guarded by the current status, and
 * emails are keyed by workflow id and step.
 */
import type { Db } from '../db/connection.js';
import { directorsOf, findEmployment } from '../db/employments.js';
import { findDeadline, openDeadline, updateDeadline } from '../db/deadlines.js';
import { findProfessional } from '../db/professionals.js';
import { firstCreditedTrainingOnTopic } from '../db/trainingRecords.js';
import { addToOutbox } from '../db/outbox.js';
import { audit } from '../db/audit.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import type { DeadlineRow } from '../db/rows.js';
import { addDays, localDateAtHour, localDateOf, startOfLocalDay } from '../rules/dates.js';
import type { DeadlineStatus } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { employmentFacts } from './compliance.js';
import { deadlineOverdue, deadlineReminder, staffDeadlineOverdue } from './mail/templates.js';

/** The local hour reminders go out, so nobody is emailed at midnight. */
const REMINDER_HOUR = 9;

export interface PlannedDeadline {
  deadlineId: number;
  requirement: string;
  /** ISO instants the workflow sleeps until. */
  remindAt: string;
  overdueAt: string;
}

export interface DeadlineActivityDeps {
  db: Db;
  publicUrl: string;
  now?: () => Date;
}

const personName = (p: { first_name: string; last_name: string }) => `${p.first_name} ${p.last_name}`;

export function createDeadlineActivities({ db, publicUrl, now = () => new Date() }: DeadlineActivityDeps) {
  const complianceUrl = (professionalId: number) => `${publicUrl}/professionals/${professionalId}/compliance`;

  async function emailFacts(deadline: DeadlineRow) {
    const employment = await findEmployment(db, deadline.employment_id);
    const professional = await findProfessional(db, deadline.professional_id);
    if (!employment || !professional) throw new Error(`Deadline ${deadline.id} refers to a missing employment or person`);
    return { employment, professional };
  }

  return {
    /** Opens the hire-date deadlines the rule set in effect on the hire date gives this employment. */
    async planHireDeadlines(input: { employmentId: number; workflowId: string }): Promise<PlannedDeadline[]> {
      const employment = await findEmployment(db, input.employmentId);
      // The API starts this workflow inside the transaction that creates the employment, so the
      // row may not be visible yet: a plain error is retried until it is. If that transaction
      // rolled back, the retries run out and the workflow ends having written nothing.
      if (!employment) throw new Error(`Employment ${input.employmentId} is not (yet) in the database`);
      const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, employment.hire_date);
      const planned: PlannedDeadline[] = [];
      for (const outcome of await rules.employmentOutcomes(employmentFacts(employment))) {
        if (outcome.type !== 'hire-deadline') continue;
        const p = outcome.params;
        const dueOn = addDays(employment.hire_date, p.withinDays);
        const row = await openDeadline(db, {
          employment_id: employment.id,
          professional_id: employment.professional_id,
          organization_id: employment.organization_id,
          requirement: p.requirement,
          label: p.label,
          satisfied_by_topic: p.satisfiedByTopic,
          starts_on: employment.hire_date,
          due_on: dueOn,
          remind_at: localDateAtHour(addDays(dueOn, -p.remindDaysBefore), REMINDER_HOUR),
          overdue_at: startOfLocalDay(addDays(dueOn, 1)),
          workflow_id: input.workflowId,
          rule_set: rules.ruleSet,
          rule_set_version: rules.version,
        });
        planned.push({
          deadlineId: row.id,
          requirement: row.requirement,
          remindAt: row.remind_at.toISOString(),
          overdueAt: row.overdue_at.toISOString(),
        });
      }
      return planned;
    },

    /**
     * Marks the deadline met if credited training on its topic has been recorded, or cancelled if
     * the employment has ended by `at` (the workflow's time); returns its status.
     */
    async checkDeadline(input: { deadlineId: number; at?: string }): Promise<DeadlineStatus> {
      return db.transaction(async (trx) => {
        const deadline = await findDeadline(trx, input.deadlineId, { forUpdate: true });
        if (!deadline) throw new Error(`No deadline ${input.deadlineId}`);
        if (deadline.status !== 'open' && deadline.status !== 'overdue') return deadline.status;
        const employment = await findEmployment(trx, deadline.employment_id);
        if (employment?.end_date && employment.end_date <= localDateOf(input.at ? new Date(input.at) : now())) {
          // The person left: a hire-date deadline no longer applies to them.
          const after = await updateDeadline(trx, deadline.id, { status: 'cancelled' });
          await audit(trx, { actorUserId: null, action: 'deadline.cancelled', entity: 'deadline', entityId: deadline.id, before: deadline, after });
          return 'cancelled';
        }
        const training = await firstCreditedTrainingOnTopic(trx, deadline.professional_id, deadline.satisfied_by_topic, deadline.starts_on);
        if (!training) return deadline.status;
        const status: DeadlineStatus = training.completed_on <= deadline.due_on ? 'met' : 'met_late';
        const after = await updateDeadline(trx, deadline.id, { status, met_by_training_record_id: training.id, met_at: now() });
        await audit(trx, { actorUserId: null, action: `deadline.${status}`, entity: 'deadline', entityId: deadline.id, before: deadline, after });
        return status;
      });
    },

    async sendDeadlineReminder(input: { deadlineId: number }): Promise<void> {
      await db.transaction(async (trx) => {
        const deadline = await findDeadline(trx, input.deadlineId, { forUpdate: true });
        if (!deadline || deadline.status !== 'open' || deadline.reminded_at) return;
        const { employment, professional } = await emailFacts(deadline);
        const email = deadlineReminder({
          personName: personName(professional),
          deadlineLabel: deadline.label,
          dueOn: deadline.due_on,
          organizationName: employment.organization.name,
          complianceUrl: complianceUrl(professional.id),
        });
        await addToOutbox(trx, { dedupeKey: `${deadline.workflow_id}-${deadline.requirement}-reminder`, template: 'deadline-reminder', to: professional.email, ...email });
        const after = await updateDeadline(trx, deadline.id, { reminded_at: now() });
        await audit(trx, { actorUserId: null, action: 'deadline.reminded', entity: 'deadline', entityId: deadline.id, before: deadline, after });
      });
    },

    /** Marks the deadline overdue and tells the person and their organization's directors. */
    async markDeadlineOverdue(input: { deadlineId: number }): Promise<void> {
      await db.transaction(async (trx) => {
        const deadline = await findDeadline(trx, input.deadlineId, { forUpdate: true });
        if (!deadline || deadline.status !== 'open') return;
        const { employment, professional } = await emailFacts(deadline);
        const facts = {
          personName: personName(professional),
          deadlineLabel: deadline.label,
          dueOn: deadline.due_on,
          organizationName: employment.organization.name,
          complianceUrl: complianceUrl(professional.id),
        };
        const key = `${deadline.workflow_id}-${deadline.requirement}-overdue`;
        await addToOutbox(trx, { dedupeKey: key, template: 'deadline-overdue', to: professional.email, ...deadlineOverdue(facts) });
        for (const director of await directorsOf(trx, deadline.organization_id, localDateOf(now()))) {
          if (director.id === professional.id) continue;
          const email = staffDeadlineOverdue({ ...facts, directorName: personName(director), staffMopdId: professional.mopd_id });
          await addToOutbox(trx, { dedupeKey: `${key}-director-${director.id}`, template: 'staff-deadline-overdue', to: director.email, ...email });
        }
        const after = await updateDeadline(trx, deadline.id, { status: 'overdue', became_overdue_at: now() });
        await audit(trx, { actorUserId: null, action: 'deadline.overdue', entity: 'deadline', entityId: deadline.id, before: deadline, after });
      });
    },
  };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
