import { describe, expectTypeOf, it } from 'vitest';
import { policies, type SignedInPolicy } from '../../api/access/policies.js';
import type { Principal } from '../../api/access/principal.js';
import { route } from '../../api/access/routes.js';

// Checked by the type checker (tsc -p .): a handler's principal follows its route's policy.
describe('the principal a handler gets', () => {
  it('may be nobody on a public route', () => {
    route({
      method: 'get',
      path: '/open',
      summary: 'Open',
      tags: [],
      policy: policies.public('Anyone'),
      handle: async ({ principal }) => expectTypeOf(principal).toEqualTypeOf<Principal | undefined>(),
    });
  });

  it('is always someone behind sign-in, by role, by scope or by a policy of its own', () => {
    const own: SignedInPolicy = { roles: ['reviewer'], describe: 'Reviewers' };
    for (const policy of [
      policies.signedIn('Anyone signed in'),
      policies.admin('Admins'),
      policies.professionalRecord('The person'),
      own,
    ]) {
      route({
        method: 'get',
        path: '/closed',
        summary: 'Closed',
        tags: [],
        policy,
        handle: async ({ principal }) => expectTypeOf(principal).toEqualTypeOf<Principal>(),
      });
    }
    route({
      method: 'get',
      path: '/inline',
      summary: 'Inline',
      tags: [],
      policy: { roles: 'any', describe: 'Anyone signed in' },
      handle: async ({ principal }) => expectTypeOf(principal).toEqualTypeOf<Principal>(),
    });
  });
});
