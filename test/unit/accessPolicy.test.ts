import { describe, expect, it } from 'vitest';
import { checkRoles } from '../../api/access/routes.js';
import { policies } from '../../api/access/policies.js';
import { requiresMfa, type Principal } from '../../api/access/principal.js';
import type { Role } from '../../rules/domain.js';

const principal = (roles: Role[], mfaEnrollmentRequired = false): Principal => ({
  userId: 1,
  email: 'p@example.org',
  language: 'en',
  displayName: 'P',
  professionalId: null,
  roles,
  mfaEnrollmentRequired,
});

const refusal = (run: () => void) => {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as { type: string }).type;
  }
};

describe('role checks of a declared policy', () => {
  it('lets anyone call a public route', () => {
    expect(refusal(() => checkRoles(policies.public('anyone'), undefined))).toBe('allowed');
  });

  it('asks a visitor to sign in and refuses a role the policy does not name', () => {
    const adminOnly = policies.admin('admins');
    expect(refusal(() => checkRoles(adminOnly, undefined))).toBe('Unauthenticated');
    expect(refusal(() => checkRoles(adminOnly, principal(['reviewer', 'director'])))).toBe('Forbidden');
    expect(refusal(() => checkRoles(adminOnly, principal(['professional', 'admin'])))).toBe('allowed');
  });

  it('holds back someone whose role needs two-step sign-in until it is set up, except where set-up happens', () => {
    const reviewer = principal(['reviewer'], true);
    expect(refusal(() => checkRoles(policies.roles(['reviewer'], 'reviewers'), reviewer))).toBe('Forbidden');
    expect(refusal(() => checkRoles(policies.signedIn('set-up', { duringMfaEnrollment: true }), reviewer))).toBe(
      'allowed',
    );
  });

  it('requires two-step sign-in for reviewers, policy staff, inspectors and admins only', () => {
    expect((['reviewer', 'policy_staff', 'inspector', 'admin'] as Role[]).every((r) => requiresMfa([r]))).toBe(true);
    expect((['professional', 'trainer', 'director'] as Role[]).some((r) => requiresMfa([r]))).toBe(false);
    expect(requiresMfa(['professional', 'inspector'])).toBe(true);
  });
});
