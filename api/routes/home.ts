/**
 * The home page's one call: a section for each role the signed-in person holds (services/home.ts),
 * so the first page after sign-in says what needs them today.
 */
import type { Db } from '../../db/connection.js';
import { homeOf } from '../../services/home.js';
import { MFA_REQUIRED_ROLES } from '../access/principal.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { checkDependencies, type HealthDeps } from './health.js';
import * as responses from '../responses/home.js';

export function homeRoutes({
  db,
  health,
  now = () => new Date(),
}: {
  db: Db;
  health: HealthDeps;
  now?: () => Date;
}): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/home',
      summary:
        'The first page after sign-in: one section per role held (professional, director, trainer, reviewer, inspector, policy staff, admin), and whether two-step sign-in is on',
      tags: ['home'],
      policy: policies.signedIn('Any signed-in person; each section shows only what their role may see'),
      response: responses.getHome,
      handle: async ({ principal }) =>
        homeOf(db, {
          userId: principal.userId,
          professionalId: principal.professionalId,
          roles: principal.roles,
          now: now(),
          mfaRoles: MFA_REQUIRED_ROLES,
          // Only an admin's section shows dependency health; nobody else pays for the probes.
          health: principal.roles.includes('admin') ? () => checkDependencies(health) : undefined,
        }),
    }),
  ];
}
