import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { correctRecord, recordTraining, versionsOf, voidRecord, type RecordChange } from '../../services/training.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { completedTraining, idParams, trainingRecordCorrection, trainingRecordVoid } from '../schemas.js';
import { wakeDeadlines } from '../deadlineSignals.js';
import * as responses from '../responses/trainingRecords.js';

/** The other records a change decided again, as the answer names them. */
const redecided = (changes: RecordChange[]) =>
  changes.map((c) => ({
    id: c.after.id,
    title: c.after.title,
    completedOn: c.after.completed_on,
    creditedBefore: Number(c.before.credited_hours),
    creditedAfter: Number(c.after.credited_hours),
    reason: c.after.credit_reasons.map((r) => r.text).join(' ') || 'credited',
  }));

export function trainingRecordRoutes({
  db,
  temporal,
  logger,
  publicUrl,
}: {
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
  publicUrl?: string;
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
          publicUrl,
        });
        await wakeDeadlines(temporal, logger, deadlinesToWake, [record]);
        return { record, compliance };
      },
    }),
    route({
      method: 'patch',
      path: '/api/training-records/:id',
      summary:
        'Correct a training record (date, hours, course) with a reason: the earlier version is kept, credit and compliance decided again, the person told',
      tags: ['registry'],
      policy: policies.trainingRecordCorrector(
        'An admin (any record), or a reviewer (records from individual training requests)',
      ),
      params: idParams,
      body: trainingRecordCorrection,
      response: responses.patchTrainingRecordsById,
      handle: async ({ params, body, principal, requestId }) => {
        const { record, compliance, deadlinesToWake, changes, turned } = await correctRecord(db, params.id, body, {
          actorUserId: principal.userId,
          requestId,
          publicUrl,
        });
        await wakeDeadlines(temporal, logger, deadlinesToWake, [record]);
        return { record, compliance, redecided: redecided(changes), complianceTurned: turned };
      },
    }),
    route({
      method: 'post',
      path: '/api/training-records/:id/void',
      summary:
        'Void a training record entered in error, with a reason: it stays shown as voided and earns nothing; credit and compliance decided again, the person told',
      tags: ['registry'],
      policy: policies.trainingRecordCorrector(
        'An admin (any record), or a reviewer (records from individual training requests)',
      ),
      params: idParams,
      body: trainingRecordVoid,
      response: responses.postTrainingRecordsByIdVoid,
      handle: async ({ params, body, principal, requestId }) => {
        const { record, compliance, deadlinesToWake, changes, turned } = await voidRecord(db, params.id, body.reason, {
          actorUserId: principal.userId,
          requestId,
          publicUrl,
        });
        await wakeDeadlines(temporal, logger, deadlinesToWake, [record]);
        return { record, compliance, redecided: redecided(changes), complianceTurned: turned };
      },
    }),
    route({
      method: 'get',
      path: '/api/training-records/:id/versions',
      summary: "A training record's earlier versions: corrections, voids and re-decisions, with their reasons",
      tags: ['registry'],
      policy: policies.trainingRecordCorrector(
        'An admin (any record), or a reviewer (records from individual training requests)',
      ),
      params: idParams,
      response: responses.getTrainingRecordsByIdVersions,
      handle: async ({ params }) => ({
        versions: (await versionsOf(db, params.id)).map((v) => ({
          id: Number(v.id),
          kind: v.kind,
          reason: v.reason,
          actorUserId: v.actor_user_id === null ? null : Number(v.actor_user_id),
          createdAt: new Date(v.created_at).toISOString(),
          before: {
            completed_on: v.before.completed_on,
            hours: Number(v.before.hours),
            title: v.before.title,
            credited_hours: Number(v.before.credited_hours),
          },
        })),
      }),
    }),
  ];
}
