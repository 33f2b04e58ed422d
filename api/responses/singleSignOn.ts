/** The answers of the single sign-on routes (api/routes/singleSignOn.ts), as the client reads them. */
import { z } from 'zod';
import { ROLES } from '../../rules/domain.js';

/** GET /api/auth/sso */
export const getAuthSso = z.object({
  enabled: z.boolean(),
  /** The provider's name on the button: "Sign in with <label>". */
  label: z.string().nullable(),
  /** Who may still sign in with a MOPD password. */
  localPasswords: z.enum(['all', 'not_staff', 'none']),
  /** Where to send the browser after signing out, to end the provider's session too (this session came from it). */
  endSessionUrl: z.string().nullable(),
});

const groupRole = z.object({ group: z.string(), role: z.enum(ROLES) });

/** GET /api/admin/sso/group-roles */
export const getAdminSsoGroupRoles = z.object({
  enabled: z.boolean(),
  label: z.string().nullable(),
  groupsClaim: z.string().nullable(),
  mappings: z.array(groupRole),
});

/** PUT /api/admin/sso/group-roles */
export const putAdminSsoGroupRoles = z.object({ mappings: z.array(groupRole) });
