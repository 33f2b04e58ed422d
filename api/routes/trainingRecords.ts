import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { recordTraining } from '../../services/training.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { completedTraining } from '../schemas.js';
import { wakeDeadlines } from '../deadlineSignals.js';
import * as responses from '../responses/trainingRecords.js';

export function trainingRecordRoutes({
  db,
  temporal,
  logger,
}: {
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
}): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/api/training-records',
      summary: 'Record completed training: decides its credit, updates compliance, wakes deadlines it may meet',
      tags: ['registry'],
      // Trainers will issue attendance through their events (training issue); until then, admins.
      policy: policies.admin('Admins only, until trainers issue attendance through events'),
      body: completedTraining,
      status: 201,
      response: responses.postTrainingRecords,
      handle: async ({ body, principal, requestId }) => {
        const { record, compliance, deadlinesToWake } = await recordTraining(db, body, {
          actorUserId: principal.userId,
          requestId,
        });
        await wakeDeadlines(temporal, logger, deadlinesToWake, [record]);
        return { record, compliance };
      },
    }),
  ];
}
