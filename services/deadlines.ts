/**
 * The steps of the deadline workflows (employment deadlines, credential renewal), run as their
 * activities. Each one is safe to run twice: deadlines are
 * unique per employment and requirement, state changes are guarded by the current status, and
 * emails are keyed by workflow id and step.
 */
import type { Db } from '../db/connection.js';
import { directorsOf, findEmployment } from '../db/employments.js';
import { findCredential, renewalOf } from '../db/profile.js';
import { findDeadline, openCredentialDeadline, openDeadline, updateDeadline } from '../db/deadlines.js';
import { findProfessional } from '../db/professionals.js';
import { firstCreditedTrainingOnTopic } from '../db/trainingRecords.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { audit } from '../db/audit.js';
import { ruleSetInEffect, ruleSetVersion } from '../db/ruleSets.js';
import type { DeadlineRow } from '../db/rows.js';
import type { Knex } from 'knex';
import { rowMayStillCommit } from './rowInTransaction.js';
import { DomainError } from './errors.js';
import { addDays, localDateAtHour, localDateOf, startOfLocalDay } from '../rules/dates.js';
import type { DeadlineStatus } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { employmentFactsOnHireDate } from './hireSettings.js';
import {
  credentialExpired,
  credentialRenewalReminder,
  deadlineOverdue,
  deadlineReminder,
  staffCredentialExpired,
  staffDeadlineOverdue,
} from './mail/templates.js';

/** The local hour reminders go out, so nobody is emailed at midnight. */
const REMINDER_HOUR = 9;

export interface PlannedDeadline {
  deadlineId: number;
  requirement: string;
  /** ISO instants the workflow sleeps until. */
  remindAt: string;
  overdueAt: string;
}

export interface DeadlineServiceDeps {
  db: Db;
  publicUrl: string;
  now?: () => Date;
}

const personName = (p: { first_name: string; last_name: string }) => `${p.first_name} ${p.last_name}`;

export function createDeadlineService({ db, publicUrl, now = () => new Date() }: DeadlineServiceDeps) {
  const complianceUrl = (professionalId: number) => `${publicUrl}/professionals/${professionalId}/compliance`;
  const profileUrl = (professionalId: number) => `${publicUrl}/professionals/${professionalId}/profile`;

  /**
   * Read through the caller's transaction: a second connection taken from the pool while the
   * transaction holds one deadlocks once every connection is held by a transaction waiting so
   * (found by the worker-kill fault run, 500 deadline workflows at once).
   */
  async function emailFacts(trx: Knex.Transaction, deadline: DeadlineRow) {
    const employment = deadline.employment_id === null ? undefined : await findEmployment(trx, deadline.employment_id);
    const professional = await findProfessional(trx, deadline.professional_id);
    if (!employment || !professional)
      throw new Error(`Deadline ${deadline.id} refers to a missing employment or person`);
    return { employment, professional };
  }

  /** A credential's renewal is met by a newer card of the same kind: late if issued after expiry. */
  async function checkRenewal(
    trx: Knex.Transaction,
    deadline: DeadlineRow,
    credentialId: number,
  ): Promise<DeadlineStatus> {
    const credential = await findCredential(trx, credentialId);
    if (!credential) throw new Error(`Deadline ${deadline.id} refers to missing credential ${credentialId}`);
    const renewal = await renewalOf(trx, credential);
    if (!renewal) return deadline.status;
    const status: DeadlineStatus = renewal.issued_on <= deadline.due_on ? 'met' : 'met_late';
    const after = await updateDeadline(trx, deadline.id, { status, met_by_credential_id: renewal.id, met_at: now() });
    await audit(trx, {
      actorUserId: null,
      action: `credential.renewed`,
      entity: 'deadline',
      entityId: deadline.id,
      before: deadline,
      after,
    });
    return status;
  }

  async function credentialEmailFacts(trx: Knex.Transaction, deadline: DeadlineRow, credentialId: number) {
    const credential = await findCredential(trx, credentialId);
    const professional = await findProfessional(trx, deadline.professional_id);
    if (!credential || !professional)
      throw new Error(`Deadline ${deadline.id} refers to a missing credential or person`);
    const facts = {
      personName: personName(professional),
      credentialKind: credential.kind,
      issuer: credential.issuer,
      expiresOn: credential.expires_on,
      profileUrl: profileUrl(professional.id),
    };
    return { professional, facts };
  }

  /** Tells the holder, and the directors of every organization employing them today. */
  async function credentialExpiredEmails(
    trx: Knex.Transaction,
    deadline: DeadlineRow,
    credentialId: number,
  ): Promise<void> {
    const { professional, facts } = await credentialEmailFacts(trx, deadline, credentialId);
    const key = `${deadline.workflow_id}-${deadline.requirement}-expired`;
    await addToOutboxInLanguage(trx, {
      dedupeKey: key,
      template: 'credential-expired',
      to: professional.email,
      compose: (language) => credentialExpired(language, facts),
    });
    const today = localDateOf(now());
    const employers: Array<{ organization_id: number; name: string }> = await trx('employments as e')
      .join('organizations as o', 'o.id', 'e.organization_id')
      .where('e.professional_id', professional.id)
      .where('e.hire_date', '<=', today)
      .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', today))
      .distinct('e.organization_id', 'o.name');
    for (const employer of employers) {
      for (const director of await directorsOf(trx, employer.organization_id, today)) {
        if (director.id === professional.id) continue;
        const directorFacts = {
          ...facts,
          directorName: personName(director),
          staffMopdId: professional.mopd_id,
          organizationName: employer.name,
        };
        await addToOutboxInLanguage(trx, {
          dedupeKey: `${key}-director-${director.id}-org-${employer.organization_id}`,
          template: 'staff-credential-expired',
          to: director.email,
          compose: (language) => staffCredentialExpired(language, directorFacts),
        });
      }
    }
  }

  return {
    /** Opens the renewal deadline the rule set in effect on the issue date gives a credential. */
    async planCredentialRenewal(input: { credentialId: number; workflowId: string }): Promise<PlannedDeadline | null> {
      const credential = await findCredential(db, input.credentialId);
      if (!credential) {
        if (rowMayStillCommit()) throw new Error(`Credential ${input.credentialId} is not (yet) in the database`);
        return null;
      }
      const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, credential.issued_on);
      const renewal = await rules.credentialRenewal({
        credential: {
          kind: credential.kind,
          issuer: credential.issuer,
          issuedOn: credential.issued_on,
          expiresOn: credential.expires_on,
        },
      });
      if (!renewal) return null;
      const row = await openCredentialDeadline(db, {
        employment_id: null,
        credential_id: credential.id,
        professional_id: credential.professional_id,
        organization_id: null,
        requirement: renewal.requirement,
        label: renewal.label,
        satisfied_by_topic: credential.kind,
        starts_on: credential.issued_on,
        due_on: credential.expires_on,
        remind_at: localDateAtHour(addDays(credential.expires_on, -renewal.remindDaysBefore), REMINDER_HOUR),
        overdue_at: startOfLocalDay(addDays(credential.expires_on, 1)),
        workflow_id: input.workflowId,
        rule_set: rules.ruleSet,
        rule_set_version: rules.version,
      });
      return {
        deadlineId: row.id,
        requirement: row.requirement,
        remindAt: row.remind_at.toISOString(),
        overdueAt: row.overdue_at.toISOString(),
      };
    },

    /**
     * Opens the hire-date deadlines the rule set in effect on the hire date gives this employment,
     * judged by the program's settings in effect on the hire date.
     */
    async planHireDeadlines(input: { employmentId: number; workflowId: string }): Promise<PlannedDeadline[]> {
      const employment = await findEmployment(db, input.employmentId);
      // The API starts this workflow inside the transaction that creates the employment, so the
      // row may not be visible yet: it is looked for again. If that transaction rolled back, the
      // workflow ends having written nothing; a database that does not answer is waited for.
      if (!employment) {
        if (rowMayStillCommit()) throw new Error(`Employment ${input.employmentId} is not (yet) in the database`);
        return [];
      }
      const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, employment.hire_date);
      const planned: PlannedDeadline[] = [];
      for (const outcome of await rules.employmentOutcomes(await employmentFactsOnHireDate(db, employment))) {
        if (outcome.type !== 'hire-deadline') continue;
        const p = outcome.params;
        const dueOn = addDays(employment.hire_date, p.withinDays);
        const row = await openDeadline(db, {
          employment_id: employment.id,
          credential_id: null,
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
        if (!deadline) throw new DomainError('NotFound', `No deadline ${input.deadlineId}`);
        if (deadline.status !== 'open' && deadline.status !== 'overdue') return deadline.status;
        if (deadline.credential_id !== null) return checkRenewal(trx, deadline, deadline.credential_id);
        const employment = await findEmployment(trx, deadline.employment_id!);
        if (employment?.end_date && employment.end_date <= localDateOf(input.at ? new Date(input.at) : now())) {
          // The person left: a hire-date deadline no longer applies to them.
          const after = await updateDeadline(trx, deadline.id, { status: 'cancelled' });
          await audit(trx, {
            actorUserId: null,
            action: 'deadline.cancelled',
            entity: 'deadline',
            entityId: deadline.id,
            before: deadline,
            after,
          });
          return 'cancelled';
        }
        // How long before the hire training still counts is the pinned version's parameter.
        const rules = await ruleSetVersion(trx, deadline.rule_set, deadline.rule_set_version);
        const countsFrom = rules.hireDeadlineCountsFrom(deadline.requirement, deadline.starts_on);
        const training = await firstCreditedTrainingOnTopic(
          trx,
          deadline.professional_id,
          deadline.satisfied_by_topic,
          countsFrom,
        );
        if (!training) return deadline.status;
        const status: DeadlineStatus = training.completed_on <= deadline.due_on ? 'met' : 'met_late';
        const after = await updateDeadline(trx, deadline.id, {
          status,
          met_by_training_record_id: training.id,
          met_at: now(),
        });
        await audit(trx, {
          actorUserId: null,
          action: `deadline.${status}`,
          entity: 'deadline',
          entityId: deadline.id,
          before: deadline,
          after,
        });
        return status;
      });
    },

    async sendDeadlineReminder(input: { deadlineId: number }): Promise<void> {
      await db.transaction(async (trx) => {
        const deadline = await findDeadline(trx, input.deadlineId, { forUpdate: true });
        if (!deadline || deadline.status !== 'open' || deadline.reminded_at) return;
        if (deadline.credential_id !== null) {
          const { professional, facts } = await credentialEmailFacts(trx, deadline, deadline.credential_id);
          await addToOutboxInLanguage(trx, {
            dedupeKey: `${deadline.workflow_id}-${deadline.requirement}-reminder`,
            template: 'credential-renewal-reminder',
            to: professional.email,
            compose: (language) => credentialRenewalReminder(language, facts),
          });
        } else {
          const { employment, professional } = await emailFacts(trx, deadline);
          if (!employment) throw new Error(`Deadline ${deadline.id} has no employment`);
          const facts = {
            personName: personName(professional),
            deadlineLabel: deadline.label,
            dueOn: deadline.due_on,
            organizationName: employment.organization.name,
            complianceUrl: complianceUrl(professional.id),
          };
          await addToOutboxInLanguage(trx, {
            dedupeKey: `${deadline.workflow_id}-${deadline.requirement}-reminder`,
            template: 'deadline-reminder',
            to: professional.email,
            compose: (language) => deadlineReminder(language, facts),
          });
        }
        const after = await updateDeadline(trx, deadline.id, { reminded_at: now() });
        await audit(trx, {
          actorUserId: null,
          action: 'deadline.reminded',
          entity: 'deadline',
          entityId: deadline.id,
          before: deadline,
          after,
        });
      });
    },

    /** Marks the deadline overdue and tells the person and their organization's directors. */
    async markDeadlineOverdue(input: { deadlineId: number }): Promise<void> {
      await db.transaction(async (trx) => {
        const deadline = await findDeadline(trx, input.deadlineId, { forUpdate: true });
        if (!deadline || deadline.status !== 'open') return;
        if (deadline.credential_id !== null) {
          await credentialExpiredEmails(trx, deadline, deadline.credential_id);
          const after = await updateDeadline(trx, deadline.id, { status: 'overdue', became_overdue_at: now() });
          await audit(trx, {
            actorUserId: null,
            action: 'credential.expired',
            entity: 'deadline',
            entityId: deadline.id,
            before: deadline,
            after,
          });
          return;
        }
        const { employment, professional } = await emailFacts(trx, deadline);
        if (!employment) throw new Error(`Deadline ${deadline.id} has no employment`);
        const facts = {
          personName: personName(professional),
          deadlineLabel: deadline.label,
          dueOn: deadline.due_on,
          organizationName: employment.organization.name,
          complianceUrl: complianceUrl(professional.id),
        };
        const key = `${deadline.workflow_id}-${deadline.requirement}-overdue`;
        await addToOutboxInLanguage(trx, {
          dedupeKey: key,
          template: 'deadline-overdue',
          to: professional.email,
          compose: (language) => deadlineOverdue(language, facts),
        });
        for (const director of await directorsOf(trx, deadline.organization_id!, localDateOf(now()))) {
          if (director.id === professional.id) continue;
          const directorFacts = { ...facts, directorName: personName(director), staffMopdId: professional.mopd_id };
          await addToOutboxInLanguage(trx, {
            dedupeKey: `${key}-director-${director.id}`,
            template: 'staff-deadline-overdue',
            to: director.email,
            compose: (language) => staffDeadlineOverdue(language, directorFacts),
          });
        }
        const after = await updateDeadline(trx, deadline.id, { status: 'overdue', became_overdue_at: now() });
        await audit(trx, {
          actorUserId: null,
          action: 'deadline.overdue',
          entity: 'deadline',
          entityId: deadline.id,
          before: deadline,
          after,
        });
      });
    },
  };
}

export type DeadlineService = ReturnType<typeof createDeadlineService>;
