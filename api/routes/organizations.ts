import type { Db } from '../../db/connection.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';

export function organizationRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/organizations',
      summary: 'Organizations of the registry (public facts: name, license, program type, county)',
      tags: ['registry'],
      policy: policies.signedIn('Any signed-in person'),
      handle: async () => ({
        organizations: await db('organizations')
          .select('id', 'name', 'license_number', 'licensed', 'subsidized', 'serves_infants', 'contract_year_start_month', 'county')
          .orderBy('name'),
      }),
    }),
  ];
}
