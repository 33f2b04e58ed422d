/**
 * Access policies, declared once per route: which roles may call it, and for records, the scope
 * check that says whether this principal may see this record. A failed role check answers 403;
 * a failed scope check answers 404, so guessing ids reveals nothing.
 */
import type { Db } from '../../db/connection.js';
import { approvedOrganizationsOf, assignedFacilitiesOf, employedAtAny, setting } from '../../db/access.js';
import { ROLES, type Role } from '../../rules/domain.js';
import { holds, type Principal } from './principal.js';

export interface ScopeInput {
  db: Db;
  principal: Principal;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

export type ScopeCheck = (input: ScopeInput) => Promise<boolean>;

export interface Policy {
  /** 'public': anyone, signed in or not. Otherwise the roles allowed, or 'any' signed-in person. */
  roles: 'public' | 'any' | readonly Role[];
  scope?: ScopeCheck;
  /** Reachable by someone who still has to set up two-step sign-in (to set it up, or to sign out). */
  duringMfaEnrollment?: boolean;
  /** A sentence for the OpenAPI document and the route table. */
  describe: string;
}

export const ALL_ROLES: readonly Role[] = ROLES;

/**
 * May this principal see this professional's records? Themselves; staff-wide roles; a director
 * of an organization with an approved claim that employs or employed them; an inspector assigned
 * to such a facility, or any facility when the setting says inspectors see all.
 */
export async function canSeeProfessional(db: Db, principal: Principal, professionalId: number): Promise<boolean> {
  if (principal.professionalId === professionalId) return true;
  if (holds(principal, 'admin', 'reviewer', 'policy_staff')) return true;
  if (holds(principal, 'director') && (await employedAtAny(db, professionalId, await approvedOrganizationsOf(db, principal.userId)))) return true;
  if (holds(principal, 'inspector')) {
    if (await setting(db, 'inspectors_see_all_facilities', false)) return true;
    if (await employedAtAny(db, professionalId, await assignedFacilitiesOf(db, principal.userId))) return true;
  }
  return false;
}

/** May this principal act for this organization's staff (hire, end employment)? */
export async function canManageOrganization(db: Db, principal: Principal, organizationId: number): Promise<boolean> {
  if (holds(principal, 'admin')) return true;
  return holds(principal, 'director') && (await approvedOrganizationsOf(db, principal.userId)).includes(organizationId);
}

/** May this principal read this organization's staff report? */
export async function canReportOn(db: Db, principal: Principal, organizationId: number): Promise<boolean> {
  if (holds(principal, 'admin', 'reviewer', 'policy_staff')) return true;
  if (holds(principal, 'director') && (await approvedOrganizationsOf(db, principal.userId)).includes(organizationId)) return true;
  if (holds(principal, 'inspector')) {
    if (await setting(db, 'inspectors_see_all_facilities', false)) return true;
    if ((await assignedFacilitiesOf(db, principal.userId)).includes(organizationId)) return true;
  }
  return false;
}

const idOf = (source: Record<string, unknown>, key: string) => Number(source[key]);

export const policies = {
  public: (describe: string): Policy => ({ roles: 'public', describe }),
  signedIn: (describe: string, extra: Partial<Policy> = {}): Policy => ({ roles: 'any', describe, ...extra }),
  roles: (roles: readonly Role[], describe: string): Policy => ({ roles, describe }),
  admin: (describe: string): Policy => ({ roles: ['admin'], describe }),
  /** A professional's own records, or those of someone in the principal's scope (route param :id). */
  professionalRecord: (describe: string): Policy => ({
    roles: ['professional', 'director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
    scope: ({ db, principal, params }) => canSeeProfessional(db, principal, idOf(params, 'id')),
    describe,
  }),
  /** Changes to a professional's own profile (route param :id): the person themselves, or an admin. */
  ownProfile: (describe: string): Policy => ({
    roles: ALL_ROLES,
    scope: async ({ principal, params }) => principal.professionalId === idOf(params, 'id') || holds(principal, 'admin'),
    describe,
  }),
  /** An organization's staff report (route param :id). */
  organizationReport: (describe: string): Policy => ({
    roles: ['director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
    scope: ({ db, principal, params }) => canReportOn(db, principal, idOf(params, 'id')),
    describe,
  }),
  /** Staff changes at the organization named in the body. */
  organizationStaff: (describe: string): Policy => ({
    roles: ['director', 'admin'],
    scope: ({ db, principal, body }) => canManageOrganization(db, principal, idOf(body as Record<string, unknown>, 'organizationId')),
    describe,
  }),
  /** A registration (route param :id): the registered person, whoever registered them, or an admin. */
  registrationHolder: (describe: string): Policy => ({
    roles: ALL_ROLES,
    scope: async ({ db, principal, params }) => {
      const row = await db('registrations').where({ id: idOf(params, 'id') }).first<{ professional_id: number; registered_by_user_id: number | null } | undefined>('professional_id', 'registered_by_user_id');
      return row !== undefined && (row.professional_id === principal.professionalId || row.registered_by_user_id === principal.userId || holds(principal, 'admin'));
    },
    describe,
  }),
  /** An online-course enrollment (route param :id): the enrolled person, or an admin. */
  enrollmentHolder: (describe: string): Policy => ({
    roles: ALL_ROLES,
    scope: async ({ db, principal, params }) => {
      const row = await db('enrollments').where({ id: idOf(params, 'id') }).first<{ professional_id: number } | undefined>('professional_id');
      return row !== undefined && (row.professional_id === principal.professionalId || holds(principal, 'admin'));
    },
    describe,
  }),
  /** A course's content (route param :id): its author (the course's trainer), or an admin. */
  courseAuthor: (describe: string): Policy => ({
    roles: ['trainer', 'admin'],
    scope: async ({ db, principal, params }) => {
      const row = await db('courses').where({ id: idOf(params, 'id') }).first<{ trainer_user_id: number | null } | undefined>('trainer_user_id');
      return row !== undefined && (row.trainer_user_id === principal.userId || holds(principal, 'admin'));
    },
    describe,
  }),
  /** An event's own trainer (route param :id), or an admin: rosters, attendance. */
  eventTrainer: (describe: string): Policy => ({
    roles: ['trainer', 'admin'],
    scope: async ({ db, principal, params }) => {
      if (holds(principal, 'admin')) return (await db('events').where({ id: idOf(params, 'id') }).first('id')) !== undefined;
      const event = await db('events').where({ id: idOf(params, 'id') }).first<{ trainer_user_id: number | null } | undefined>('trainer_user_id');
      return event !== undefined && Number(event.trainer_user_id) === principal.userId;
    },
    describe,
  }),
};
