import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { createEmployment, endEmployment, findEmployment, findOrganization } from '../../db/employments.js';
import { findProfessional } from '../../db/professionals.js';
import { audit } from '../../db/audit.js';
import { refreshCompliance } from '../../activities/compliance.js';
import { DomainError } from '../../activities/errors.js';
import type { TemporalGateway } from '../temporal.js';
import { canManageOrganization, policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { employmentEnd, idParams, newEmployment } from '../schemas.js';

export function employmentRoutes({ db, temporal, logger }: { db: Db; temporal: TemporalGateway; logger: Logger }): RouteDefinition[] {
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
    route({
      method: 'post',
      path: '/api/employments/:id/end',
      summary: 'End an employment on a date; its open hire-date deadlines are cancelled',
      tags: ['registry'],
      policy: {
        roles: ['director', 'admin'],
        describe: 'A director of the employing organization (approved claim), or an admin',
        scope: async ({ db: scopeDb, principal, params }) => {
          const employment = await findEmployment(scopeDb, Number(params.id));
          return employment !== undefined && (await canManageOrganization(scopeDb, principal, employment.organization_id));
        },
      },
      params: idParams,
      body: employmentEnd,
      handle: async ({ params, body, principal, requestId }) => {
        const ended = await db.transaction(async (trx) => {
          const before = await findEmployment(trx, params.id);
          if (!before) throw new DomainError('NotFound', `No employment with id ${params.id}`, 'id');
          if (before.end_date) throw new DomainError('Conflict', `This employment already ended on ${before.end_date}`, 'endDate');
          if (body.endDate < before.hire_date) throw new DomainError('Invalid', `must not be before the hire date ${before.hire_date}`, 'endDate');
          const after = await endEmployment(trx, params.id, body.endDate);
          await audit(trx, { actorUserId: principal!.userId, action: 'employment.ended', entity: 'employment', entityId: params.id, before: { ...before, organization: undefined }, after, requestId });
          await refreshCompliance(trx, after.professional_id);
          return after;
        });
        // The deadline workflow re-checks the employment before every step; the signal only wakes it now.
        await temporal.notifyEmploymentChanged(ended.id).catch((err: unknown) => logger.warn({ err, employmentId: ended.id }, 'could not signal deadline workflow'));
        return { employment: ended };
      },
    }),
  ];
}
