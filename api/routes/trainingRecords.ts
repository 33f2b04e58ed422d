import { Router } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { recordTraining } from '../../activities/training.js';
import type { TemporalGateway } from '../temporal.js';
import { completedTraining } from '../schemas.js';

export function trainingRecordsRouter({ db, temporal, logger }: { db: Db; temporal: TemporalGateway; logger: Logger }): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const input = completedTraining.parse(req.body);
    const { record, compliance, deadlinesToWake } = await recordTraining(db, input);
    // The record is committed. Waking the deadline workflows is a courtesy: each one checks the
    // records itself before it reminds or marks overdue, so a lost signal only delays the end.
    const woken = await Promise.allSettled(deadlinesToWake.map((d) => temporal.notifyTrainingRecorded(d.workflow_id, record.id)));
    woken.forEach((outcome, i) => {
      if (outcome.status === 'rejected') logger.warn({ err: outcome.reason, workflowId: deadlinesToWake[i]!.workflow_id }, 'could not signal deadline workflow');
    });
    res.status(201).json({ record, compliance });
  });

  return router;
}
