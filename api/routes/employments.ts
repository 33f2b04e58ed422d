import type { Db } from '../../db/connection.js';
import { createEmployment, findOrganization } from '../../db/employments.js';
import { findProfessional } from '../../db/professionals.js';
import { audit } from '../../db/audit.js';
import { refreshCompliance } from '../../activities/compliance.js';
import { DomainError } from '../../activities/errors.js';
import type { TemporalGateway } from '../temporal.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { newEmployment } from '../schemas.js';

export function employmentRoutes({ db, temporal }: { db: Db; temporal: TemporalGateway }): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/api/employments',
      summary: 'Record a hire; starts the hire-date deadlines the rule set gives it',
      tags: ['registry'],
      policy: policies.organizationStaff('A director of the organization (approved claim), or an admin'),
      body: newEmployment,
      status: 201,
      /**
       * The deadline workflow starts inside the transaction: if Temporal cannot be reached the
       * employment is not saved either, and the caller is told to try again.
       */
      handle: async ({ body, principal, requestId }) =>
        db.transaction(async (trx) => {
          if (!(await findProfessional(trx, body.professionalId))) {
            throw new DomainError('NotFound', `No professional with id ${body.professionalId}`, 'professionalId');
          }
          if (!(await findOrganization(trx, body.organizationId))) {
            throw new DomainError('NotFound', `No organization with id ${body.organizationId}`, 'organizationId');
          }
          const employment = await createEmployment(trx, body);
          await audit(trx, { actorUserId: principal!.userId, action: 'employment.created', entity: 'employment', entityId: employment.id, after: employment, requestId });
          const compliance = await refreshCompliance(trx, employment.professional_id);
          let deadlinesWorkflowId: string;
          try {
            deadlinesWorkflowId = await temporal.startEmploymentDeadlines(employment.id);
          } catch (error) {
            throw new DomainError('Unavailable', `Deadline tracking could not be started, so the hire was not saved: ${(error as Error).message}`);
          }
          return { employment, deadlinesWorkflowId, compliant: compliance.compliant };
        }),
    }),
  ];
}
