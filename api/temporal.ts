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
import { credentialAddedSignal, credentialRenewalWorkflowId, type CredentialRenewalInput } from '../workflows/credentialRenewal.js';

export interface TemporalGateway {
  startEmploymentDeadlines(employmentId: number): Promise<string>;
  notifyTrainingRecorded(workflowId: string, trainingRecordId: number): Promise<void>;
  notifyEmploymentChanged(employmentId: number): Promise<void>;
  startCredentialRenewal(credentialId: number): Promise<string>;
  notifyCredentialAdded(workflowId: string, credentialId: number): Promise<void>;
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
  /** Starts a workflow once: a retried request finds it already running, which is fine. */
  async function startOnce(workflowType: string, workflowId: string, input: unknown): Promise<string> {
    try {
      await (await connect()).workflow.start(workflowType, { taskQueue: options.taskQueue, workflowId, args: [input] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return workflowId;
  }
  return {
    startEmploymentDeadlines(employmentId) {
      const input: EmploymentDeadlinesInput = { employmentId };
      return startOnce('employmentDeadlines', employmentDeadlinesWorkflowId(employmentId), input);
    },
    startCredentialRenewal(credentialId) {
      const input: CredentialRenewalInput = { credentialId };
      return startOnce('credentialRenewal', credentialRenewalWorkflowId(credentialId), input);
    },
    async notifyCredentialAdded(workflowId, credentialId) {
      await (await connect()).workflow.getHandle(workflowId).signal(credentialAddedSignal, { credentialId });
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
