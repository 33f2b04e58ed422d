/** Who is asking: the signed-in user with their roles, loaded from the session on each request. */
import type { Language, Role } from '../../rules/domain.js';

export interface Principal {
  userId: number;
  email: string;
  displayName: string;
  professionalId: number | null;
  roles: Role[];
  /** The language they use MOPD in; the UI switches to it after sign-in. */
  language: Language;
  /** Holds a role that requires two-step sign-in but has not set it up yet. */
  mfaEnrollmentRequired: boolean;
}

/** Roles whose holders must sign in with a second factor (the state system this replaces requires it). */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['reviewer', 'policy_staff', 'inspector', 'admin'];

export const requiresMfa = (roles: readonly Role[]) => roles.some((role) => MFA_REQUIRED_ROLES.includes(role));

export const holds = (principal: Principal, ...roles: Role[]) => roles.some((role) => principal.roles.includes(role));
