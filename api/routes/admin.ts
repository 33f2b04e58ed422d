import type { Db } from '../../db/connection.js';
import { findUser, listUsers, rolesOf, summarize } from '../../db/users.js';
import { readAuditLog } from '../../db/audit.js';
import { assignedFacilitiesOf, organizationClaimsOf } from '../../db/access.js';
import { getSetting, settingRows, type SettingKey } from '../../db/settings.js';
import {
  approveOrganizationClaim,
  assignInspectorFacilities,
  changeRoles,
  createStaffUser,
  saveReviewerProfile,
  saveSetting,
} from '../../services/admin.js';
import { DomainError } from '../../services/errors.js';
import type { Accounts } from '../auth/accounts.js';
import { hashPassword, newOneTimeToken } from '../auth/crypto.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import {
  auditQuery,
  booleanSetting,
  caseSettings,
  reviewerProfile,
  claimApproval,
  idParams,
  newStaffUser,
  organizationIds,
  roleList,
  searchQuery,
} from '../schemas.js';
import * as responses from '../responses/admin.js';

/** The settings behind approval cases, by the API's name for each. */
const CASE_SETTING_KEYS = {
  serviceLevels: 'case_service_levels',
  businessCalendar: 'business_calendar',
  informationWindow: 'case_information_window',
  trainerApprovalTerm: 'trainer_approval_term',
  automaticAssignment: 'automatic_case_assignment',
} as const satisfies Record<string, SettingKey>;

export function adminRoutes({ db, accounts }: { db: Db; accounts: Accounts }): RouteDefinition[] {
  const userOr404 = async (id: number) => {
    const user = await findUser(db, id);
    if (!user) throw new DomainError('NotFound', `No user with id ${id}`, 'id');
    return user;
  };
  const scopesOf = async (userId: number) => ({
    inspectorFacilities: await assignedFacilitiesOf(db, userId),
    organizationClaims: await organizationClaimsOf(db, userId),
  });

  return [
    route({
      method: 'get',
      path: '/api/admin/users',
      summary: 'Users with their roles',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      query: searchQuery,
      response: responses.getAdminUsers,
      handle: async ({ query }) => ({ users: await listUsers(db, query) }),
    }),
    route({
      method: 'post',
      path: '/api/admin/users',
      summary:
        'Create a staff account (reviewer, inspector, policy staff...); the person sets a password through an emailed link',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      body: newStaffUser,
      status: 201,
      response: responses.postAdminUsers,
      handle: async ({ body, principal, requestId }) => {
        // Nobody knows this password: the person chooses their own through the reset link.
        const user = await createStaffUser(
          db,
          {
            email: body.email,
            passwordHash: await hashPassword(newOneTimeToken().token),
            displayName: body.displayName,
            roles: body.roles,
          },
          { actorUserId: principal.userId, requestId },
        );
        await accounts.requestPasswordReset(user.email);
        return { user: summarize(user, body.roles) };
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/users/:id',
      summary: 'A user with roles and scopes (facilities inspected, organizations claimed)',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      response: responses.getAdminUsersById,
      handle: async ({ params }) => {
        const user = await userOr404(params.id);
        return { user: summarize(user, await rolesOf(db, user.id)), ...(await scopesOf(user.id)) };
      },
    }),
    route({
      method: 'put',
      path: '/api/admin/users/:id/roles',
      summary: 'Set a user’s roles',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      body: roleList,
      response: responses.putAdminUsersByIdRoles,
      handle: async ({ params, body, principal, requestId }) => {
        const user = await userOr404(params.id);
        if (user.id === principal.userId && !body.roles.includes('admin')) {
          throw new DomainError('Conflict', 'You cannot remove your own admin role; ask another admin', 'roles');
        }
        await changeRoles(db, user.id, body.roles, { actorUserId: principal.userId, requestId });
        return { user: summarize(user, [...body.roles].sort()) };
      },
    }),
    route({
      method: 'put',
      path: '/api/admin/users/:id/inspector-facilities',
      summary: 'Set the facilities an inspector is assigned to',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      body: organizationIds,
      response: responses.putAdminUsersByIdInspectorFacilities,
      handle: async ({ params, body, principal, requestId }) => {
        const user = await userOr404(params.id);
        await assignInspectorFacilities(db, user.id, body.organizationIds, {
          actorUserId: principal.userId,
          requestId,
        });
        return scopesOf(user.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/admin/users/:id/organization-claims',
      summary: 'Record an approved claim of a director on an organization (until claims run as reviewed cases)',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      body: claimApproval,
      status: 201,
      response: responses.postAdminUsersByIdOrganizationClaims,
      handle: async ({ params, body, principal, requestId }) => {
        const user = await userOr404(params.id);
        await approveOrganizationClaim(db, user.id, body.organizationId, { actorUserId: principal.userId, requestId });
        return scopesOf(user.id);
      },
    }),
    route({
      method: 'put',
      path: '/api/admin/settings/inspectors-see-all-facilities',
      summary: 'Whether every inspector sees every facility (otherwise only those assigned)',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      body: booleanSetting,
      response: responses.putAdminSettingsInspectorsSeeAllFacilities,
      handle: async ({ body, principal, requestId }) => ({
        value: await saveSetting(db, 'inspectors_see_all_facilities', body.value, {
          actorUserId: principal.userId,
          requestId,
        }),
      }),
    }),
    route({
      method: 'put',
      path: '/api/admin/users/:id/reviewer-profile',
      summary: 'What a reviewer takes: lead or not, regions and case types (empty means all), automatic assignment',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      body: reviewerProfile,
      response: responses.putAdminUsersByIdReviewerProfile,
      handle: async ({ params, body, principal, requestId }) => {
        await saveReviewerProfile(
          db,
          {
            user_id: params.id,
            is_lead: body.isLead,
            regions: body.regions,
            case_types: body.caseTypes,
            accepts_automatic_assignment: body.acceptsAutomaticAssignment,
          },
          { actorUserId: principal.userId, requestId },
        );
        return { reviewerProfile: body };
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/case-settings',
      summary:
        'How approval cases are run: service levels per case type, the business calendar, the information window, the trainer approval term, automatic assignment',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      response: responses.getAdminCaseSettings,
      handle: async () => {
        const rows = await settingRows(db, Object.values(CASE_SETTING_KEYS));
        return Object.fromEntries(
          Object.entries(CASE_SETTING_KEYS).map(([name, key]) => [
            name,
            rows.find((r) => r.key === key)?.value ?? null,
          ]),
        );
      },
    }),
    route({
      method: 'put',
      path: '/api/admin/case-settings',
      summary: 'Change how approval cases are run; cases already in a stage keep the timers they were given',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      body: caseSettings,
      response: responses.putAdminCaseSettings,
      handle: async ({ body, principal, requestId }) => {
        for (const [name, value] of Object.entries(body)) {
          if (value === undefined) continue;
          const key = CASE_SETTING_KEYS[name as keyof typeof CASE_SETTING_KEYS];
          // Service levels are per case type: the types not named keep theirs.
          const merged =
            name === 'serviceLevels'
              ? { ...(await getSetting(db, 'case_service_levels')), ...(value as object) }
              : value;
          await saveSetting(db, key, merged, { actorUserId: principal.userId, requestId });
        }
        return { saved: Object.keys(body) };
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/audit-log',
      summary: 'The audit log, newest first: who changed what, when, before and after',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      query: auditQuery,
      response: responses.getAdminAuditLog,
      handle: async ({ query }) => ({ entries: await readAuditLog(db, query) }),
    }),
  ];
}
