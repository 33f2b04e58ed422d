import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { findEmployment, professionalByMopdId, staffOn } from '../../db/employments.js';
import { invitationsOfOrganization, inviteeOf, pendingInvitationsOf } from '../../db/staffInvitations.js';
import {
  acceptInvitation,
  addNewPersonWithDeadlines,
  declineInvitation,
  addProfessional,
  endStaffEmployment,
  hireObligations,
  hireWithDeadlines,
  inviteToStaff,
  presentInvitation,
} from '../../services/staff.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { canManageOrganization, policies, type SignedInPolicy } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import {
  email,
  employmentEnd,
  idParams,
  localDate,
  newEmployment,
  newStaffPerson,
  staffInvitation,
} from '../schemas.js';
import { DomainError } from '../../services/errors.js';
import { localDateOf } from '../../rules/dates.js';
import * as responses from '../responses/employments.js';

const name = (max: number) =>
  z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/** An employment ends on a date, and may say why (moved away, ...); the reason is kept with it. */
const employmentEndWithReason = employmentEnd.extend({
  reason: z.string().trim().max(300, 'must be at most 300 characters').optional(),
});
/** An admin records the hire of someone who has an MOPD ID (a director invites them instead). */
const hireByMopdId = staffInvitation;
const newProfessional = z
  .object({ firstName: name(100), lastName: name(100), email, county: name(60).optional() })
  .strict();
const staffQuery = z.object({ asOf: localDate.optional() }).strict();

/** A director of the organization in the path (approved claim), or an admin. */
const organizationInPath = (describe: string): SignedInPolicy => ({
  roles: ['director', 'admin'],
  describe,
  scope: ({ db, principal, params }) => canManageOrganization(db, principal, Number(params.id)),
});

/** The person an invitation was sent to, and only them: nobody accepts a hire for someone else. */
const invitedPerson: SignedInPolicy = {
  roles: 'any',
  describe: 'The invited person, signed in',
  scope: async ({ db, principal, params }) => {
    const row = await inviteeOf(db, Number(params.id));
    return row !== undefined && principal.professionalId !== null && row.professional_id === principal.professionalId;
  },
};

export function employmentRoutes({
  db,
  temporal,
  logger,
  publicUrl,
}: {
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
  publicUrl: string;
}): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/api/employments',
      summary:
        'Record a hire of anyone (admins); starts the hire-date deadlines the rule set gives it and emails the person',
      tags: ['registry'],
      policy: policies.admin('Admins; a director adds a new person, or invites an existing one, who accepts'),
      body: newEmployment,
      status: 201,
      response: responses.postEmployments,
      handle: async ({ body, principal, requestId }) => {
        const hired = await hireWithDeadlines(db, temporal, body, {
          actorUserId: principal.userId,
          requestId,
          publicUrl,
        });
        return { ...hired, deadlines: await hireObligations(db, body) };
      },
    }),
    route({
      method: 'post',
      path: '/api/organizations/:id/hires',
      summary:
        'Record the hire of someone who has an MOPD ID, by that ID (admins); answers the hire-date deadlines it starts',
      tags: ['registry'],
      policy: policies.admin('Admins; a director invites someone who has an MOPD ID, who accepts'),
      params: idParams,
      body: hireByMopdId,
      status: 201,
      response: responses.postOrganizationsByIdHires,
      handle: async ({ params, body, principal, requestId }) => {
        const person = await professionalByMopdId(db, body.mopdId);
        if (!person) throw new DomainError('NotFound', `No professional has MOPD ID ${body.mopdId}`, 'mopdId');
        const input = {
          professionalId: person.id,
          organizationId: params.id,
          role: body.role,
          hireDate: body.hireDate,
        };
        const { employment, deadlinesWorkflowId } = await hireWithDeadlines(db, temporal, input, {
          actorUserId: principal.userId,
          requestId,
          publicUrl,
        });
        return {
          professional: { id: person.id, mopdId: person.mopd_id, name: `${person.first_name} ${person.last_name}` },
          employment,
          deadlinesWorkflowId,
          deadlines: await hireObligations(db, input),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/organizations/:id/employments',
      summary: 'The people an organization employs on a date (today by default), with their employments, by name',
      tags: ['registry'],
      policy: organizationInPath('A director of the organization (approved claim), or an admin'),
      params: idParams,
      query: staffQuery,
      response: responses.getOrganizationsByIdEmployments,
      handle: async ({ params, query }) => {
        const asOf = query.asOf ?? localDateOf(new Date());
        return { asOf, staff: await staffOn(db, params.id, asOf) };
      },
    }),
    route({
      method: 'post',
      path: '/api/admin/professionals',
      summary: 'Add a professional MOPD has no record of (admins): a new MOPD ID for the name and email',
      tags: ['registry'],
      policy: policies.admin('Admins'),
      body: newProfessional,
      status: 201,
      response: responses.postAdminProfessionals,
      handle: async ({ body, principal, requestId }) => {
        const p = await addProfessional(db, body, { actorUserId: principal.userId, requestId });
        return {
          professional: { id: p.id, mopdId: p.mopd_id, name: `${p.first_name} ${p.last_name}`, email: p.email },
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/organizations/:id/staff',
      summary:
        'Add a new person to the staff (someone MOPD has no record of): a new MOPD ID, the employment with its deadlines, an email to them',
      tags: ['registry'],
      policy: organizationInPath('A director of the organization (approved claim), or an admin'),
      params: idParams,
      body: newStaffPerson,
      status: 201,
      response: responses.postOrganizationsByIdStaff,
      handle: async ({ params, body, principal, requestId }) => {
        const { professional, employment, deadlinesWorkflowId } = await addNewPersonWithDeadlines(
          db,
          temporal,
          { ...body, organizationId: params.id },
          { actorUserId: principal.userId, requestId, publicUrl },
        );
        return {
          professional: { id: professional.id, mopdId: professional.mopd_id },
          employment,
          deadlinesWorkflowId,
          deadlines: await hireObligations(db, { ...body, organizationId: params.id }),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/organizations/:id/staff-invitations',
      summary:
        'Ask an existing person, by MOPD ID, to join the staff; emails them; the hire is recorded when they accept',
      tags: ['registry'],
      policy: organizationInPath('A director of the organization (approved claim), or an admin'),
      params: idParams,
      body: staffInvitation,
      status: 201,
      response: responses.postOrganizationsByIdStaffInvitations,
      handle: async ({ params, body, principal, requestId }) => ({
        invitation: await inviteToStaff(
          db,
          { ...body, organizationId: params.id },
          { actorUserId: principal.userId, requestId, publicUrl },
        ),
        deadlines: await hireObligations(db, { ...body, organizationId: params.id }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/organizations/:id/staff-invitations',
      summary:
        "The organization's staff invitations, newest first: the MOPD ID, role, hire date and whether it was answered",
      tags: ['registry'],
      policy: organizationInPath('A director of the organization (approved claim), or an admin'),
      params: idParams,
      response: responses.getOrganizationsByIdStaffInvitations,
      handle: async ({ params }) => ({
        invitations: (await invitationsOfOrganization(db, params.id)).map(presentInvitation),
      }),
    }),
    route({
      method: 'get',
      path: '/api/my/staff-invitations',
      summary: 'Invitations to join a staff waiting for your answer',
      tags: ['registry'],
      policy: policies.signedIn('Any signed-in person, for themselves'),
      response: responses.getMyStaffInvitations,
      handle: async ({ principal }) => ({
        invitations: principal.professionalId ? await pendingInvitationsOf(db, principal.professionalId) : [],
      }),
    }),
    route({
      method: 'post',
      path: '/api/staff-invitations/:id/accept',
      summary: 'Accept an invitation to join a staff: the employment is recorded and its deadlines start',
      tags: ['registry'],
      policy: invitedPerson,
      params: idParams,
      response: responses.postStaffInvitationsByIdAccept,
      handle: async ({ params, principal, requestId }) => {
        const { invitation, employment, deadlinesWorkflowId } = await acceptInvitation(
          db,
          temporal,
          { invitationId: params.id, professionalId: principal.professionalId! },
          { actorUserId: principal.userId, requestId, publicUrl },
        );
        return { invitation: { id: invitation.id, status: invitation.status }, employment, deadlinesWorkflowId };
      },
    }),
    route({
      method: 'post',
      path: '/api/staff-invitations/:id/decline',
      summary: 'Decline an invitation to join a staff',
      tags: ['registry'],
      policy: invitedPerson,
      params: idParams,
      response: responses.postStaffInvitationsByIdDecline,
      handle: async ({ params, principal, requestId }) => {
        const invitation = await declineInvitation(
          db,
          { invitationId: params.id, professionalId: principal.professionalId! },
          { actorUserId: principal.userId, requestId, publicUrl },
        );
        return { invitation: { id: invitation.id, status: invitation.status } };
      },
    }),
    route({
      method: 'post',
      path: '/api/employments/:id/end',
      summary: 'End an employment on a date, with why if said; its open hire-date deadlines are cancelled',
      tags: ['registry'],
      policy: {
        roles: ['director', 'admin'],
        describe: 'A director of the employing organization (approved claim), or an admin',
        scope: async ({ db: scopeDb, principal, params }) => {
          const employment = await findEmployment(scopeDb, Number(params.id));
          return (
            employment !== undefined && (await canManageOrganization(scopeDb, principal, employment.organization_id))
          );
        },
      },
      params: idParams,
      body: employmentEndWithReason,
      response: responses.postEmploymentsByIdEnd,
      handle: async ({ params, body, principal, requestId }) => {
        const ended = await endStaffEmployment(
          db,
          { employmentId: params.id, endDate: body.endDate, reason: body.reason || null },
          { actorUserId: principal.userId, requestId },
        );
        // The deadline workflow re-checks the employment before every step; the signal only wakes it now.
        await temporal
          .notifyEmploymentChanged(ended.id)
          .catch((err: unknown) => logger.warn({ err, employmentId: ended.id }, 'could not signal deadline workflow'));
        return { employment: ended };
      },
    }),
  ];
}
