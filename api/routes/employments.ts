import { Router } from 'express';
import type { Db } from '../../db/connection.js';
import { createEmployment, findOrganization } from '../../db/employments.js';
import { findProfessional } from '../../db/professionals.js';
import { refreshCompliance } from '../../activities/compliance.js';
import { DomainError } from '../../activities/errors.js';
import type { TemporalGateway } from '../temporal.js';
import { newEmployment } from '../schemas.js';

export function employmentsRouter({ db, temporal }: { db: Db; temporal: TemporalGateway }): Router {
  const router = Router();

  /**
   * Records a hire. The deadline workflow starts inside the transaction: if Temporal cannot be
   * reached the employment is not saved either, and the caller is told to try again.
   */
  router.post('/', async (req, res) => {
    const input = newEmployment.parse(req.body);
    const result = await db.transaction(async (trx) => {
      if (!(await findProfessional(trx, input.professionalId))) {
        throw new DomainError('NotFound', `No professional with id ${input.professionalId}`, 'professionalId');
      }
      if (!(await findOrganization(trx, input.organizationId))) {
        throw new DomainError('NotFound', `No organization with id ${input.organizationId}`, 'organizationId');
      }
      const employment = await createEmployment(trx, input);
      const compliance = await refreshCompliance(trx, employment.professional_id);
      let deadlinesWorkflowId: string;
      try {
        deadlinesWorkflowId = await temporal.startEmploymentDeadlines(employment.id);
      } catch (error) {
        throw new DomainError('Unavailable', `Deadline tracking could not be started, so the hire was not saved: ${(error as Error).message}`);
      }
      return { employment, deadlinesWorkflowId, compliant: compliance.compliant };
    });
    res.status(201).json(result);
  });

  return router;
}
