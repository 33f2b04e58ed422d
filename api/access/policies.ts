/**
 * Access policies, declared once per route: which roles may call it, and for records, the scope
 * check that says whether this principal may see this record. A failed role check answers 403;
 * a failed scope check answers 404, so guessing ids reveals nothing.
 */
import type { Db } from '../../db/connection.js';
import {
  approvedOrganizationsOf,
  assignedFacilitiesOf,
  authorOfCourse,
  holderOfEnrollment,
  holdsSeatAt,
  partiesOfRegistration,
  staffStandingAt,
  trainerOfEvent,
} from '../../db/access.js';
import { getSetting } from '../../db/settings.js';
import { originOfTrainingRecord } from '../../db/trainingRecords.js';
import { localDateOf } from '../../rules/dates.js';
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

interface PolicyBase {
  scope?: ScopeCheck;
  /** Reachable by someone who still has to set up two-step sign-in (to set it up, or to sign out). */
  duringMfaEnrollment?: boolean;
  /** A sentence for the OpenAPI document and the route table. */
  describe: string;
}

/** Anyone, signed in or not: the handler may get no principal. */
export interface PublicPolicy extends PolicyBase {
  roles: 'public';
}

/** Someone signed in: 'any' signed-in person, or the roles allowed. The handler always gets a principal. */
export interface SignedInPolicy extends PolicyBase {
  roles: 'any' | readonly Role[];
}

export type Policy = PublicPolicy | SignedInPolicy;

export const ALL_ROLES: readonly Role[] = ROLES;

/**
 * How much of a professional's record this principal sees: `{ until: null }` all of it, `{ until:
 * date }` only what is dated on or before that day, null nothing. Themselves and staff-wide roles
 * see all. A director (organizations with an approved claim) or an inspector (assigned facilities,
 * or every facility when the setting says so) sees all while the person works at one of those
 * organizations; after the employment ended, only records dated up to its last day (the staff
 * report as of those days still lists them). An employment comes from an admin, from a director
 * creating a new person, or from the person accepting an invitation: never from a director alone.
 */
export type RecordView = { until: string | null } | null;

export async function recordViewOf(
  db: Db,
  principal: Principal,
  professionalId: number,
  today: string = localDateOf(new Date()),
): Promise<RecordView> {
  if (principal.professionalId === professionalId) return { until: null };
  if (holds(principal, 'admin', 'reviewer', 'policy_staff')) return { until: null };
  if (holds(principal, 'inspector') && (await getSetting(db, 'inspectors_see_all_facilities'))) return { until: null };
  const organizations = new Set<number>();
  if (holds(principal, 'director'))
    for (const id of await approvedOrganizationsOf(db, principal.userId)) organizations.add(id);
  if (holds(principal, 'inspector'))
    for (const id of await assignedFacilitiesOf(db, principal.userId)) organizations.add(id);
  const standing = await staffStandingAt(db, professionalId, [...organizations], today);
  if (standing === null) return null;
  return standing === 'current' ? { until: null } : { until: standing.lastDay };
}

/** May this principal see this professional's whole record now (profile, contact, everything)? */
export async function canSeeProfessional(db: Db, principal: Principal, professionalId: number): Promise<boolean> {
  return (await recordViewOf(db, principal, professionalId))?.until === null;
}

/**
 * May this principal have an event's online link (the meeting to join)? The event's trainer,
 * staff-wide roles, and a person holding a seat at it (registered, not waitlisted or cancelled).
 * The catalog and the event page are public; the link is not: it lets anyone into a paid session.
 * (MOPD records no payment for events: the seat is what a registrant holds.)
 */
export async function canSeeMeetingLink(
  db: Db,
  principal: Principal | undefined,
  event: { id: number; trainerUserId: number | null },
): Promise<boolean> {
  if (!principal) return false;
  if (event.trainerUserId !== null && Number(event.trainerUserId) === principal.userId) return true;
  if (holds(principal, 'admin', 'reviewer', 'policy_staff')) return true;
  if (!principal.professionalId) return false;
  return holdsSeatAt(db, event.id, principal.professionalId);
}

/** May this principal act for this organization's staff (hire, end employment)? */
export async function canManageOrganization(db: Db, principal: Principal, organizationId: number): Promise<boolean> {
  if (holds(principal, 'admin')) return true;
  return holds(principal, 'director') && (await approvedOrganizationsOf(db, principal.userId)).includes(organizationId);
}

/** May this principal read this organization's staff report? */
export async function canReportOn(db: Db, principal: Principal, organizationId: number): Promise<boolean> {
  if (holds(principal, 'admin', 'reviewer', 'policy_staff')) return true;
  if (holds(principal, 'director') && (await approvedOrganizationsOf(db, principal.userId)).includes(organizationId))
    return true;
  if (holds(principal, 'inspector')) {
    if (await getSetting(db, 'inspectors_see_all_facilities')) return true;
    if ((await assignedFacilitiesOf(db, principal.userId)).includes(organizationId)) return true;
  }
  return false;
}

const idOf = (source: Record<string, unknown>, key: string) => Number(source[key]);

export const policies = {
  public: (describe: string): PublicPolicy => ({ roles: 'public', describe }),
  signedIn: (describe: string, extra: Partial<SignedInPolicy> = {}): SignedInPolicy => ({
    roles: 'any',
    describe,
    ...extra,
  }),
  roles: (roles: readonly Role[], describe: string): SignedInPolicy => ({ roles, describe }),
  admin: (describe: string): SignedInPolicy => ({ roles: ['admin'], describe }),
  /** A professional's own records, or those of someone in the principal's scope (route param :id). */
  professionalRecord: (describe: string): SignedInPolicy => ({
    roles: ['professional', 'director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
    scope: ({ db, principal, params }) => canSeeProfessional(db, principal, idOf(params, 'id')),
    describe,
  }),
  /**
   * A professional's dated records (route param :id): as professionalRecord, and also a director or
   * inspector of a former employer, to whom the handler shows only what is dated up to the last day
   * worked (`recordViewOf`).
   */
  professionalHistory: (describe: string): SignedInPolicy => ({
    roles: ['professional', 'director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
    scope: async ({ db, principal, params }) => (await recordViewOf(db, principal, idOf(params, 'id'))) !== null,
    describe,
  }),
  /** Changes to a professional's own profile (route param :id): the person themselves, or an admin. */
  ownProfile: (describe: string): SignedInPolicy => ({
    roles: ALL_ROLES,
    scope: async ({ principal, params }) =>
      principal.professionalId === idOf(params, 'id') || holds(principal, 'admin'),
    describe,
  }),
  /** An organization's staff report (route param :id). */
  organizationReport: (describe: string): SignedInPolicy => ({
    roles: ['director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
    scope: ({ db, principal, params }) => canReportOn(db, principal, idOf(params, 'id')),
    describe,
  }),
  /** A registration (route param :id): the registered person, whoever registered them, or an admin. */
  registrationHolder: (describe: string): SignedInPolicy => ({
    roles: ALL_ROLES,
    scope: async ({ db, principal, params }) => {
      const row = await partiesOfRegistration(db, idOf(params, 'id'));
      return (
        row !== undefined &&
        (row.professional_id === principal.professionalId ||
          row.registered_by_user_id === principal.userId ||
          holds(principal, 'admin'))
      );
    },
    describe,
  }),
  /** An online-course enrollment (route param :id): the enrolled person, or an admin. */
  enrollmentHolder: (describe: string): SignedInPolicy => ({
    roles: ALL_ROLES,
    scope: async ({ db, principal, params }) => {
      const row = await holderOfEnrollment(db, idOf(params, 'id'));
      return row !== undefined && (row.professional_id === principal.professionalId || holds(principal, 'admin'));
    },
    describe,
  }),
  /** A course's content (route param :id): its author (the course's trainer), or an admin. */
  courseAuthor: (describe: string): SignedInPolicy => ({
    roles: ['trainer', 'admin'],
    scope: async ({ db, principal, params }) => {
      const row = await authorOfCourse(db, idOf(params, 'id'));
      return row !== undefined && (row.trainer_user_id === principal.userId || holds(principal, 'admin'));
    },
    describe,
  }),
  /**
   * Corrections and voids of a training record (route param :id): an admin, any record; a reviewer,
   * records that came from individual training requests (the cases they decide).
   */
  trainingRecordCorrector: (describe: string): SignedInPolicy => ({
    roles: ['admin', 'reviewer'],
    scope: async ({ db, principal, params }) => {
      const row = await originOfTrainingRecord(db, idOf(params, 'id'));
      return row !== undefined && (holds(principal, 'admin') || row.source === 'individual_request');
    },
    describe,
  }),
  /** An event's own trainer (route param :id), or an admin: rosters, attendance. */
  eventTrainer: (describe: string): SignedInPolicy => ({
    roles: ['trainer', 'admin'],
    scope: async ({ db, principal, params }) => {
      const event = await trainerOfEvent(db, idOf(params, 'id'));
      return event !== undefined && (holds(principal, 'admin') || Number(event.trainer_user_id) === principal.userId);
    },
    describe,
  }),
};
