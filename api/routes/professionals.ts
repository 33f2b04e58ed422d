import { Router } from 'express';
import type { Db } from '../../db/connection.js';
import { findProfessional, listProfessionals } from '../../db/professionals.js';
import { employmentsOf } from '../../db/employments.js';
import { deadlinesOf } from '../../db/deadlines.js';
import { trainingRecordsOf } from '../../db/trainingRecords.js';
import { complianceAsOf, currentCompliance } from '../../activities/compliance.js';
import { DomainError } from '../../activities/errors.js';
import { complianceQuery, idParams, professionalSearch } from '../schemas.js';

export function professionalsRouter({ db }: { db: Db }): Router {
  const router = Router();

  const professionalOr404 = async (raw: unknown) => {
    const { id } = idParams.parse(raw);
    const professional = await findProfessional(db, id);
    if (!professional) throw new DomainError('NotFound', `No professional with id ${id}`, 'id');
    return professional;
  };

  router.get('/', async (req, res) => {
    const query = professionalSearch.parse(req.query);
    res.json({ professionals: await listProfessionals(db, query) });
  });

  router.get('/:id', async (req, res) => {
    const professional = await professionalOr404(req.params);
    res.json({ professional, employments: await employmentsOf(db, professional.id) });
  });

  router.get('/:id/compliance', async (req, res) => {
    const professional = await professionalOr404(req.params);
    const { asOf } = complianceQuery.parse(req.query);
    const compliance = asOf ? await complianceAsOf(db, professional.id, asOf) : await currentCompliance(db, professional.id);
    res.json({ professional, compliance });
  });

  router.get('/:id/deadlines', async (req, res) => {
    const professional = await professionalOr404(req.params);
    res.json({ deadlines: await deadlinesOf(db, professional.id) });
  });

  router.get('/:id/training-records', async (req, res) => {
    const professional = await professionalOr404(req.params);
    res.json({ trainingRecords: await trainingRecordsOf(db, professional.id) });
  });

  return router;
}
