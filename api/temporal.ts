/**
 * The API's door to Temporal: starting and signalling workflows. The connection is made on first
 * use, so the API starts (and reports itself unhealthy) while Temporal is still coming up.
 */
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  employmentChangedSignal,
  employmentDeadlinesWorkflowId,
  trainingRecordedSignal,
  type EmploymentDeadlinesInput,
} from '../workflows/employmentDeadlines.js';

export interface TemporalGateway {
  startEmploymentDeadlines(employmentId: number): Promise<string>;
  notifyTrainingRecorded(workflowId: string, trainingRecordId: number): Promise<void>;
  notifyEmploymentChanged(employmentId: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createTemporalGateway(options: { address: string; namespace: string; taskQueue: string }): TemporalGateway {
  let client: Promise<Client> | undefined;
  const connect = () => {
    client ??= Connection.connect({ address: options.address, connectTimeout: '5 seconds' }).then(
      (connection) => new Client({ connection, namespace: options.namespace }),
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  };
  return {
    async startEmploymentDeadlines(employmentId) {
      const workflowId = employmentDeadlinesWorkflowId(employmentId);
      const input: EmploymentDeadlinesInput = { employmentId };
      try {
        await (await connect()).workflow.start('employmentDeadlines', { taskQueue: options.taskQueue, workflowId, args: [input] });
      } catch (error) {
        // A retried request for the same employment finds its workflow already running: fine.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return workflowId;
    },
    async notifyTrainingRecorded(workflowId, trainingRecordId) {
      await (await connect()).workflow.getHandle(workflowId).signal(trainingRecordedSignal, { trainingRecordId });
    },
    async notifyEmploymentChanged(employmentId) {
      await (await connect()).workflow.getHandle(employmentDeadlinesWorkflowId(employmentId)).signal(employmentChangedSignal);
    },
    async ping() {
      const c = await connect();
      await c.connection.workflowService.getSystemInfo({});
    },
    async close() {
      await client?.then(
        (c) => c.connection.close(),
        () => undefined,
      );
    },
  };
}
