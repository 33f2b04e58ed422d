/**
 * Adding people to an organization's staff. A hire opens the person's record to the
 * organization's directors, so it must never be a way in (issue 16):
 * - an admin records a hire of anyone;
 * - a director adds a new person (no record yet: they get an MOPD ID) directly;
 * - a director adds an existing person by MOPD ID as an invitation, and only the person, signed
 *   in, turns it into an employment by accepting it.
 * The person is told by email (outbox, same transaction) when they are added or invited.
 * Starting the hire-date deadline workflow is the caller's (the API's) part, in the same transaction.
 */
import { findRegistryEntry } from '../db/organizations.js';
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import {
  createEmployment,
  endEmployment,
  findEmployment,
  findOrganization,
  type NewEmployment,
} from '../db/employments.js';
import { createProfessional } from '../db/professionals.js';
import type { EmploymentRow, ProfessionalRow } from '../db/rows.js';
import {
  answerStaffInvitation,
  createStaffInvitation,
  lockStaffInvitation,
  type StaffInvitationRow,
} from '../db/staffInvitations.js';
import type { EmploymentRole } from '../rules/domain.js';
import { addDays, localDateOf, type LocalDate } from '../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import { refreshCompliance } from './compliance.js';
import { employmentFactsOnHireDate } from './hireSettings.js';
import { DomainError } from './errors.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import type { TemporalGateway } from './workflowClient.js';
import { staffNotice } from './mail/templates.js';

export interface StaffContext {
  actorUserId: number;
  requestId: string;
  publicUrl: string;
}

async function organizationOrFail(db: Db, organizationId: number) {
  const organization = await findOrganization(db, organizationId);
  if (!organization) throw new DomainError('NotFound', `No organization with id ${organizationId}`, 'organizationId');
  return organization;
}

async function tell(
  db: Db,
  kind: 'added' | 'invitation',
  key: string,
  person: ProfessionalRow,
  organizationName: string,
  hireDate: string,
  publicUrl: string,
) {
  await addToOutboxInLanguage(db, {
    dedupeKey: key,
    template: kind === 'added' ? 'staff-added' : 'staff-invitation',
    to: person.email,
    compose: (language) =>
      staffNotice(language, kind, {
        name: `${person.first_name} ${person.last_name}`,
        organizationName,
        hireDate,
        url: `${publicUrl}/professionals/${person.id}/profile`,
      }),
  });
}

/** A role is registry data (issue 18): one the registry does not hold, or no longer offers, is refused by name. */
async function roleOrFail(trx: Db, role: string): Promise<void> {
  const entry = await findRegistryEntry(trx, 'professional_roles', role);
  if (!entry || !entry.active)
    throw new DomainError('Invalid', `"${role}" is not a professional role the registry offers`, 'role');
}

/**
 * Records an employment with its audit entry and refreshes the person's compliance; `notify`
 * emails the person that they were added (not when they accepted it themselves).
 */
export async function recordEmployment(
  trx: Db,
  input: NewEmployment,
  ctx: StaffContext & { notify: boolean },
): Promise<{ employment: EmploymentRow; compliant: boolean }> {
  const person: ProfessionalRow | undefined = await trx('professionals').where({ id: input.professionalId }).first();
  if (!person) throw new DomainError('NotFound', `No professional with id ${input.professionalId}`, 'professionalId');
  const organization = await organizationOrFail(trx, input.organizationId);
  await roleOrFail(trx, input.role);
  const employment = await createEmployment(trx, input);
  await audit(trx, {
    actorUserId: ctx.actorUserId,
    action: 'employment.created',
    entity: 'employment',
    entityId: employment.id,
    after: employment,
    requestId: ctx.requestId,
  });
  if (ctx.notify)
    await tell(
      trx,
      'added',
      `employment-${employment.id}-added`,
      person,
      organization.name,
      employment.hire_date,
      ctx.publicUrl,
    );
  const compliance = await refreshCompliance(trx, employment.professional_id);
  return { employment, compliant: compliance.compliant };
}

/** What a hire obliges the person to do by a date (or before working alone), as the confirmation shows it. */
export interface HireObligation {
  requirement: string;
  label: string;
  /** The date it is due; null for training needed before sole supervision, which has no date. */
  dueOn: LocalDate | null;
  kind: 'deadline' | 'before-sole-supervision';
}

/**
 * The hire-date deadlines and prerequisites the rule set in effect on the hire date gives a hire
 * at this organization in this role: the same outcomes the deadline workflow opens (its
 * `planHireDeadlines`), read at once so the person recording the hire sees them on the
 * confirmation, and so a director sees what an invitation will bring before it is accepted.
 * Judged by the program's settings in effect on the hire date, as the workflow judges it.
 */
export async function hireObligations(
  db: Db,
  input: { organizationId: number; role: EmploymentRole; hireDate: LocalDate },
): Promise<HireObligation[]> {
  const organization = await organizationOrFail(db, input.organizationId);
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, input.hireDate);
  const outcomes = await rules.employmentOutcomes(
    await employmentFactsOnHireDate(db, {
      id: 0,
      professional_id: 0,
      organization_id: organization.id,
      role: input.role,
      hire_date: input.hireDate,
      end_date: null,
      organization,
    }),
  );
  const obligations: HireObligation[] = [];
  for (const outcome of outcomes) {
    if (outcome.type === 'hire-deadline')
      obligations.push({
        requirement: outcome.params.requirement,
        label: outcome.params.label,
        dueOn: addDays(input.hireDate, outcome.params.withinDays),
        kind: 'deadline',
      });
    else if (outcome.type === 'prerequisite')
      obligations.push({
        requirement: outcome.params.requirement,
        label: outcome.params.label,
        dueOn: null,
        kind: 'before-sole-supervision',
      });
  }
  return obligations;
}

/** An admin adds a professional MOPD has no record of: a new MOPD ID, nothing else. */
export async function addProfessional(
  db: Db,
  input: { firstName: string; lastName: string; email: string; county?: string | null },
  ctx: { actorUserId: number; requestId: string },
): Promise<ProfessionalRow> {
  return db.transaction(async (trx) => {
    if (await trx('professionals').whereRaw('lower(email) = lower(?)', [input.email]).first('id'))
      throw new DomainError('Conflict', 'Someone with this email already has an MOPD ID', 'email');
    const professional = await createProfessional(trx, input);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'professional.created-by-admin',
      entity: 'professional',
      entityId: professional.id,
      after: professional,
      requestId: ctx.requestId,
    });
    return professional;
  });
}

export interface NewStaffPerson {
  organizationId: number;
  firstName: string;
  lastName: string;
  email: string;
  role: EmploymentRole;
  hireDate: string;
}

/**
 * A director adds someone MOPD has no record of: a new professional (new MOPD ID) and their
 * employment. An email already on record belongs to an existing person, who is added by MOPD ID
 * and accepts.
 */
export async function addNewPerson(
  trx: Db,
  input: NewStaffPerson,
  ctx: StaffContext,
): Promise<{ professional: ProfessionalRow; employment: EmploymentRow; compliant: boolean }> {
  await organizationOrFail(trx, input.organizationId);
  if (await trx('professionals').whereRaw('lower(email) = lower(?)', [input.email]).first('id')) {
    throw new DomainError(
      'Conflict',
      'Someone with this email already has an MOPD ID: add them by their MOPD ID, and they accept',
      'email',
    );
  }
  const professional = await createProfessional(trx, {
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
  });
  await audit(trx, {
    actorUserId: ctx.actorUserId,
    action: 'professional.created-as-staff',
    entity: 'professional',
    entityId: professional.id,
    after: professional,
    requestId: ctx.requestId,
  });
  const hired = await recordEmployment(
    trx,
    {
      professionalId: professional.id,
      organizationId: input.organizationId,
      role: input.role,
      hireDate: input.hireDate,
    },
    { ...ctx, notify: true },
  );
  return { professional, ...hired };
}

/** What a director is shown of an invitation: the MOPD ID they typed, never the name behind it. */
export const presentInvitation = (row: StaffInvitationRow & { mopd_id: string }) => ({
  id: row.id,
  mopdId: row.mopd_id,
  organizationId: row.organization_id,
  role: row.role,
  hireDate: row.hire_date,
  status: row.status,
  createdAt: row.created_at,
  answeredAt: row.answered_at,
});

export type PresentedInvitation = ReturnType<typeof presentInvitation>;

/**
 * A director asks an existing person (by MOPD ID) to join the staff. Nothing opens until the
 * person accepts; the director sees only the MOPD ID they typed and the invitation's status.
 */
export async function inviteStaff(
  trx: Db,
  input: { organizationId: number; mopdId: string; role: EmploymentRole; hireDate: string },
  ctx: StaffContext,
) {
  const organization = await organizationOrFail(trx, input.organizationId);
  const person: ProfessionalRow | undefined = await trx('professionals')
    .where({ mopd_id: input.mopdId.toUpperCase() })
    .first();
  if (!person) throw new DomainError('NotFound', `No professional has MOPD ID ${input.mopdId}`, 'mopdId');
  const today = localDateOf(new Date());
  const employed = await trx('employments')
    .where({ professional_id: person.id, organization_id: input.organizationId })
    .where((w) => w.whereNull('end_date').orWhere('end_date', '>=', today))
    .first('id');
  if (employed) throw new DomainError('Conflict', 'This person is already on your staff', 'mopdId');
  if (
    await trx('staff_invitations')
      .where({ professional_id: person.id, organization_id: input.organizationId, status: 'pending' })
      .first('id')
  ) {
    throw new DomainError(
      'Conflict',
      'This person already has an invitation from this organization waiting for their answer',
      'mopdId',
    );
  }
  const invitation = await createStaffInvitation(trx, {
    professionalId: person.id,
    organizationId: input.organizationId,
    role: input.role,
    hireDate: input.hireDate,
    invitedByUserId: ctx.actorUserId,
  });
  await audit(trx, {
    actorUserId: ctx.actorUserId,
    action: 'staff-invitation.created',
    entity: 'staff_invitation',
    entityId: invitation.id,
    after: invitation,
    requestId: ctx.requestId,
  });
  await tell(
    trx,
    'invitation',
    `staff-invitation-${invitation.id}`,
    person,
    organization.name,
    invitation.hire_date,
    ctx.publicUrl,
  );
  return presentInvitation({ ...invitation, mopd_id: person.mopd_id });
}

/**
 * The invited person answers. Accepting records the employment (the caller starts its deadline
 * workflow in the same transaction); declining closes the invitation. Only the person may answer.
 */
export async function answerInvitation(
  trx: Db,
  input: { invitationId: number; professionalId: number; accept: boolean },
  ctx: StaffContext,
): Promise<{ invitation: StaffInvitationRow; employment: EmploymentRow | null; compliant: boolean | null }> {
  const before = await lockStaffInvitation(trx, input.invitationId);
  if (!before || before.professional_id !== input.professionalId)
    throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');
  if (before.status !== 'pending')
    throw new DomainError('Conflict', `This invitation was already ${before.status}`, 'id');
  let hired: { employment: EmploymentRow; compliant: boolean } | null = null;
  if (input.accept) {
    hired = await recordEmployment(
      trx,
      {
        professionalId: before.professional_id,
        organizationId: before.organization_id,
        role: before.role,
        hireDate: before.hire_date,
      },
      { ...ctx, notify: false },
    );
  }
  const invitation = await answerStaffInvitation(
    trx,
    before.id,
    input.accept ? 'accepted' : 'declined',
    hired?.employment.id ?? null,
  );
  await audit(trx, {
    actorUserId: ctx.actorUserId,
    action: `staff-invitation.${invitation.status}`,
    entity: 'staff_invitation',
    entityId: invitation.id,
    before,
    after: invitation,
    requestId: ctx.requestId,
  });
  return { invitation, employment: hired?.employment ?? null, compliant: hired?.compliant ?? null };
}

/**
 * Ends an employment on a date (not before the hire date, and only once), with its audit entry,
 * and recomputes the person's compliance, in one transaction. Answers the employment as ended.
 */
export async function endStaffEmployment(
  db: Db,
  input: { employmentId: number; endDate: string; reason?: string | null },
  ctx: { actorUserId: number; requestId?: string },
): Promise<EmploymentRow> {
  return db.transaction(async (trx) => {
    const before = await findEmployment(trx, input.employmentId);
    if (!before) throw new DomainError('NotFound', `No employment with id ${input.employmentId}`, 'id');
    if (before.end_date)
      throw new DomainError('Conflict', `This employment already ended on ${before.end_date}`, 'endDate');
    if (input.endDate < before.hire_date)
      throw new DomainError('Invalid', `must not be before the hire date ${before.hire_date}`, 'endDate');
    const after = await endEmployment(trx, input.employmentId, input.endDate, input.reason ?? null);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'employment.ended',
      entity: 'employment',
      entityId: input.employmentId,
      before: { ...before, organization: undefined },
      after,
      requestId: ctx.requestId,
    });
    await refreshCompliance(trx, after.professional_id);
    return after;
  });
}

/**
 * Hires with their deadlines: the deadline workflow starts inside the transaction that records the
 * employment, so if Temporal cannot be reached the employment is not saved either, and the caller
 * is told to try again.
 */
type DeadlineStarter = Pick<TemporalGateway, 'startEmploymentDeadlines'>;

async function startDeadlines(temporal: DeadlineStarter, employmentId: number): Promise<string> {
  try {
    return await temporal.startEmploymentDeadlines(employmentId);
  } catch (error) {
    throw new DomainError(
      'Unavailable',
      `Deadline tracking could not be started, so the hire was not saved: ${(error as Error).message}`,
    );
  }
}

/** Records a hire (an admin's), notifying the person, with its deadline workflow started. */
export async function hireWithDeadlines(
  db: Db,
  temporal: DeadlineStarter,
  input: NewEmployment,
  ctx: StaffContext,
): Promise<{ employment: EmploymentRow; deadlinesWorkflowId: string; compliant: boolean }> {
  return db.transaction(async (trx) => {
    const { employment, compliant } = await recordEmployment(trx, input, { ...ctx, notify: true });
    return { employment, deadlinesWorkflowId: await startDeadlines(temporal, employment.id), compliant };
  });
}

/** Adds a new person to a staff (a new MOPD ID and the employment), with the deadline workflow started. */
export async function addNewPersonWithDeadlines(
  db: Db,
  temporal: DeadlineStarter,
  input: NewStaffPerson,
  ctx: StaffContext,
): Promise<{ professional: ProfessionalRow; employment: EmploymentRow; deadlinesWorkflowId: string }> {
  return db.transaction(async (trx) => {
    const { professional, employment } = await addNewPerson(trx, input, ctx);
    return { professional, employment, deadlinesWorkflowId: await startDeadlines(temporal, employment.id) };
  });
}

/** Invites an existing person to a staff, in one transaction. */
export function inviteToStaff(
  db: Db,
  input: Parameters<typeof inviteStaff>[1],
  ctx: StaffContext,
): ReturnType<typeof inviteStaff> {
  return db.transaction((trx) => inviteStaff(trx, input, ctx));
}

/** The invited person accepts: the employment is recorded and its deadline workflow started. */
export async function acceptInvitation(
  db: Db,
  temporal: DeadlineStarter,
  input: { invitationId: number; professionalId: number },
  ctx: StaffContext,
): Promise<{ invitation: StaffInvitationRow; employment: EmploymentRow; deadlinesWorkflowId: string }> {
  return db.transaction(async (trx) => {
    const { invitation, employment } = await answerInvitation(trx, { ...input, accept: true }, ctx);
    return { invitation, employment: employment!, deadlinesWorkflowId: await startDeadlines(temporal, employment!.id) };
  });
}

/** The invited person declines. */
export async function declineInvitation(
  db: Db,
  input: { invitationId: number; professionalId: number },
  ctx: StaffContext,
): Promise<StaffInvitationRow> {
  return db.transaction(async (trx) => (await answerInvitation(trx, { ...input, accept: false }, ctx)).invitation);
}
