/**
 * The API's door to Temporal: starting and signalling workflows. The connection is made on first
 * use, so the API starts (and reports itself unhealthy) while Temporal is still coming up.
 */
import {
  ApplicationFailure,
  Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
  type ScheduleSpec,
  type UpdateDefinition,
} from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';
import { DomainError } from './errors.js';
import { DOMAIN_ERROR_TYPES, FAILURE, type DomainErrorType } from '../rules/failures.js';
import { CASE_WORKFLOW_TYPES, caseWorkflowId, type CaseInput, type CaseView } from '../workflows/approvalCase.js';
import type { ImportWorkflows } from './legacyImport/index.js';
import type { CaseType } from '../rules/domain.js';
import {
  employmentChangedSignal,
  employmentDeadlinesWorkflowId,
  trainingRecordedSignal,
  type EmploymentDeadlinesInput,
} from '../workflows/employmentDeadlines.js';
import { cancelPublicationSignal, type RuleSetPublicationInput } from '../workflows/ruleSetPublication.js';
import type { RuleSetSimulationInput } from '../workflows/ruleSetSimulation.js';
import { legacyImportApplyWorkflowId, type LegacyImportApplyInput } from '../workflows/legacyImportApply.js';
import type { ImportedTrainerApprovalInput } from '../workflows/importedTrainerApproval.js';
import { eventChangedSignal, eventRemindersWorkflowId, type EventRemindersInput } from '../workflows/eventReminders.js';
import {
  credentialAddedSignal,
  credentialRenewalWorkflowId,
  type CredentialRenewalInput,
} from '../workflows/credentialRenewal.js';

import { ROLLOVER_SCHEDULES } from '../workflows/complianceRollover.js';
import { REMINDER_SCHEDULE } from '../workflows/complianceReminders.js';
import { DIRECTOR_DIGEST_SCHEDULE } from '../workflows/directorDigest.js';
import { REGISTRY_TIME_ZONE } from '../rules/domain.js';

/** A case's workflow id and the updates a person's action on a case sends (`updateCase`), for the API. */
export {
  answerUpdate,
  caseWorkflowId,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  recheckUpdate,
  releaseUpdate,
  requestInformationUpdate,
  withdrawUpdate,
  type CaseView,
} from '../workflows/approvalCase.js';

/** The workflow types and ids reconcile (services/reconcile.ts) matches rows with. */
export { CASE_WORKFLOW_TYPES, credentialRenewalWorkflowId, employmentDeadlinesWorkflowId, eventRemindersWorkflowId };

export interface TemporalGateway {
  startEmploymentDeadlines(employmentId: number): Promise<string>;
  notifyTrainingRecorded(workflowId: string, trainingRecordId: number): Promise<void>;
  notifyEmploymentChanged(employmentId: number): Promise<void>;
  startCredentialRenewal(credentialId: number): Promise<string>;
  notifyCredentialAdded(workflowId: string, credentialId: number): Promise<void>;
  startCase(type: CaseType, caseId: number, workflowId: string): Promise<void>;
  /** The remaining term of a trainer approval imported from an old system (its case ran no workflow). */
  startImportedTrainerApproval(caseId: number, workflowId: string): Promise<void>;
  /** Starts the reminders of a newly scheduled event. */
  startEventReminders(eventId: number): Promise<string>;
  /** Starts a rule-set publication's workflow (it waits for the effective date). */
  startPublication(publicationId: number, workflowId: string): Promise<string>;
  /** Starts a what-if simulation's workflow. */
  startSimulation(simulationId: number, workflowId: string): Promise<string>;
  /** Starts applying a legacy import batch marked applying (its workflow id is the batch's). */
  startImportApply(batchId: number, actorUserId: number | null): Promise<string>;
  /** Cancels a publication still waiting for its effective date. */
  cancelPublication(workflowId: string): Promise<void>;
  /** The event's dates changed or it was cancelled: its reminder is planned again. */
  notifyEventChanged(eventId: number): Promise<void>;
  /**
   * Sends a person's action on a case to its workflow and waits for the answer. The update id
   * makes a retried request (same idempotency key) return the first answer instead of acting twice.
   * A validator's refusal comes back as a DomainError (409, 403 or 400) with its message.
   */
  updateCase<Args extends [unknown]>(
    workflowId: string,
    update: UpdateDefinition<CaseView, Args>,
    args: Args,
    updateId: string,
  ): Promise<CaseView>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What a legacy import starts, through a gateway: pending cases, imported trainers' terms, upcoming events' reminders, recent hires' deadlines; and the deadlines it wakes. */
export function importWorkflowsOf(temporal: TemporalGateway): ImportWorkflows {
  return {
    caseWorkflowId,
    startCase: (type, caseId, workflowId) => temporal.startCase(type, caseId, workflowId),
    startImportedTrainerApproval: (caseId, workflowId) => temporal.startImportedTrainerApproval(caseId, workflowId),
    startEventReminders: (eventId) => temporal.startEventReminders(eventId),
    startEmploymentDeadlines: (employmentId) => temporal.startEmploymentDeadlines(employmentId),
    notifyTrainingRecorded: (workflowId, trainingRecordId) =>
      temporal.notifyTrainingRecorded(workflowId, trainingRecordId),
  };
}

/**
 * gRPC's UNAVAILABLE and DEADLINE_EXCEEDED (Temporal is not answering: stopped, restarting,
 * unreachable) and RESOURCE_EXHAUSTED (too busy to, still so after the retries): all worth a retry later.
 */
const TRY_AGAIN_LATER = new Set([14, 4, 8]);

/** True when the error (or one it wraps) says Temporal could not take the call for now. */
export function isTemporalUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown; name?: string } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if ((typeof e.code === 'number' && TRY_AGAIN_LATER.has(e.code)) || e.name === 'TransportError') return true;
  }
  return false;
}

/**
 * While Temporal is away a request is refused within a few seconds (five quick retries instead of
 * the SDK's ten, or the connect timeout when there was never a connection) and answered 503; the
 * channel tries to reconnect at least every two seconds, so the API is back within moments of the server.
 */
const CONNECTION_OPTIONS: Omit<ConnectionOptions, 'address'> = {
  connectTimeout: '5 seconds',
  interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 5 }))],
  channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
};

const unavailable = () =>
  new DomainError(
    'Unavailable',
    'The workflow service (Temporal) is not answering; nothing was changed. Try again in a few seconds',
  );

/** A gateway of its own connection (made on first use), or over a client already connected (a worker's, in an activity: read when first needed). */
export function createTemporalGateway(
  options: { taskQueue: string } & ({ address: string; namespace: string } | { client: () => Client }),
): TemporalGateway {
  let client: Promise<Client> | undefined;
  const connect = () => {
    if ('client' in options) return (client ??= Promise.resolve().then(options.client));
    client ??= Connection.connect({ address: options.address, ...CONNECTION_OPTIONS }).then(
      // The trace of the request that starts, signals or updates a workflow goes on into it (a no-op
      // when tracing is off: no tracer provider, no propagator).
      (connection) =>
        new Client({
          connection,
          namespace: options.namespace,
          interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
        }),
      (error: unknown) => {
        client = undefined;
        // grpc-js says only 'Failed to connect before the deadline' (no code): no server answered.
        throw Object.assign(unavailable(), { cause: error });
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
  const gateway: TemporalGateway = {
    startEmploymentDeadlines(employmentId) {
      const input: EmploymentDeadlinesInput = { employmentId };
      return startOnce('employmentDeadlines', employmentDeadlinesWorkflowId(employmentId), input);
    },
    startCredentialRenewal(credentialId) {
      const input: CredentialRenewalInput = { credentialId };
      return startOnce('credentialRenewal', credentialRenewalWorkflowId(credentialId), input);
    },
    startEventReminders(eventId) {
      const input: EventRemindersInput = { eventId };
      return startOnce('eventReminders', eventRemindersWorkflowId(eventId), input);
    },
    startPublication(publicationId, workflowId) {
      const input: RuleSetPublicationInput = { publicationId };
      return startOnce('ruleSetPublication', workflowId, input);
    },
    startSimulation(simulationId, workflowId) {
      const input: RuleSetSimulationInput = { simulationId };
      return startOnce('ruleSetSimulation', workflowId, input);
    },
    startImportApply(batchId, actorUserId) {
      const input: LegacyImportApplyInput = { batchId, actorUserId };
      return startOnce('legacyImportApply', legacyImportApplyWorkflowId(batchId), input);
    },
    async cancelPublication(workflowId) {
      await (await connect()).workflow.getHandle(workflowId).signal(cancelPublicationSignal);
    },
    async notifyEventChanged(eventId) {
      await (await connect()).workflow.getHandle(eventRemindersWorkflowId(eventId)).signal(eventChangedSignal);
    },
    async startCase(type, caseId, workflowId) {
      const input: CaseInput = { caseId };
      await startOnce(CASE_WORKFLOW_TYPES[type], workflowId, input);
    },
    async startImportedTrainerApproval(caseId, workflowId) {
      const input: ImportedTrainerApprovalInput = { caseId };
      await startOnce('importedTrainerApproval', workflowId, input);
    },
    async updateCase(workflowId, update, args, updateId) {
      try {
        return await (await connect()).workflow.getHandle(workflowId).executeUpdate(update, { args, updateId });
      } catch (error) {
        throw refusalOf(error);
      }
    },
    async notifyCredentialAdded(workflowId, credentialId) {
      await (await connect()).workflow.getHandle(workflowId).signal(credentialAddedSignal, { credentialId });
    },
    async notifyTrainingRecorded(workflowId, trainingRecordId) {
      await (await connect()).workflow.getHandle(workflowId).signal(trainingRecordedSignal, { trainingRecordId });
    },
    async notifyEmploymentChanged(employmentId) {
      await (
        await connect()
      ).workflow
        .getHandle(employmentDeadlinesWorkflowId(employmentId))
        .signal(employmentChangedSignal);
    },
    async ping() {
      const c = await connect();
      await c.connection.workflowService.getSystemInfo({});
    },
    async close() {
      if ('client' in options) return;
      await client?.then(
        (c) => c.connection.close(),
        () => undefined,
      );
    },
  };
  // Every call but close: Temporal being away is the caller's 503, not a 500.
  for (const name of Object.keys(gateway) as Array<keyof TemporalGateway>) {
    if (name === 'close') continue;
    const call = gateway[name] as (...args: unknown[]) => Promise<unknown>;
    (gateway as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      call(...args).catch((error: unknown) => {
        throw isTemporalUnavailable(error) ? unavailable() : error;
      });
  }
  return gateway;
}

/**
 * A workflow's refusal as the API's error; anything else passes through unchanged. A validator
 * refuses with an ApplicationFailure of a RefusalType at once; an update handler whose activity
 * failed with a service's DomainError (activities/failures.ts) fails the update with an
 * ActivityFailure ("Activity task failed") wrapping that ApplicationFailure. The answer is the
 * first failure down the `cause` chain of a type the API knows, with its own words; a failure of
 * no such type is a Conflict: the case could not take that action now.
 */
export function refusalOf(error: unknown): unknown {
  if (error instanceof WorkflowNotFoundError)
    return new DomainError('Conflict', 'This case is closed; nothing more can be done on it');
  if (error instanceof WorkflowUpdateFailedError) {
    const named = namedFailureIn(error.cause);
    return named
      ? new DomainError(named.type, named.message)
      : new DomainError(FAILURE.Conflict, 'The case could not take that action now');
  }
  return error;
}

/** The first ApplicationFailure down the `cause` chain whose type the API answers (rules/failures.ts). */
function namedFailureIn(error: unknown): { type: DomainErrorType; message: string } | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof ApplicationFailure && (DOMAIN_ERROR_TYPES as readonly unknown[]).includes(e.type))
      return { type: e.type as DomainErrorType, message: e.message };
  }
  return undefined;
}

/** What a legacy import starts over a worker's client (read when first needed): bin/worker.ts hands it to the import activities. */
export function importWorkflowsOverClient(client: () => Client, taskQueue: string): ImportWorkflows {
  return importWorkflowsOf(createTemporalGateway({ client, taskQueue }));
}

/** A rollover schedule's id: its prefix and the task queue, so deployments (and tests) sharing a namespace keep their own. */
export const rolloverScheduleId = (kind: keyof typeof ROLLOVER_SCHEDULES, taskQueue: string) =>
  `${ROLLOVER_SCHEDULES[kind]}-${taskQueue}`;

/** The daily deadline reminder schedule's id (see `rolloverScheduleId`). */
export const reminderScheduleId = (taskQueue: string) => `${REMINDER_SCHEDULE}-${taskQueue}`;

/**
 * Creates the schedules that move stored compliance on when periods turn, unless they exist (a
 * second start-up changes nothing, and a schedule paused by hand stays paused): January 1 at 00:00
 * America/Chicago (calendar years), and the first of every other month at 00:00 (contract years,
 * which a program may start in any month: the recompute as of that date moves on whoever's period
 * turned). Each starts `complianceRollover` with no arguments; it reads the date from its
 * scheduled time. Beside them, every day at 07:00 America/Chicago, `complianceReminders` reminds
 * people short of hours as their periods end. A run still going when the next is due makes the
 * next skip.
 */
export async function ensureRolloverSchedules(
  client: Client,
  taskQueue: string,
): Promise<Array<{ scheduleId: string; created: boolean }>> {
  const specs: Record<keyof typeof ROLLOVER_SCHEDULES, ScheduleSpec> = {
    year: { calendars: [{ month: 'JANUARY', dayOfMonth: 1, hour: 0, minute: 0, comment: 'calendar year' }] },
    month: {
      calendars: [
        {
          month: [{ start: 'FEBRUARY', end: 'DECEMBER' }],
          dayOfMonth: 1,
          hour: 0,
          minute: 0,
          comment: 'contract years (January is the year schedule)',
        },
      ],
    },
  };
  const results = [];
  for (const kind of Object.keys(specs) as Array<keyof typeof specs>) {
    const scheduleId = rolloverScheduleId(kind, taskQueue);
    try {
      await client.schedule.create({
        scheduleId,
        spec: { ...specs[kind], timezone: REGISTRY_TIME_ZONE },
        action: {
          type: 'startWorkflow',
          workflowType: 'complianceRollover',
          workflowId: `${scheduleId}-run`,
          taskQueue,
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
        state: { note: 'Recomputes stored compliance as periods turn (complianceRollover)' },
      });
      results.push({ scheduleId, created: true });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      results.push({ scheduleId, created: false });
    }
  }
  const scheduleId = reminderScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: {
        calendars: [{ hour: 7, minute: 0, comment: 'daily deadline reminders' }],
        timezone: REGISTRY_TIME_ZONE,
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'complianceReminders',
        workflowId: `${scheduleId}-run`,
        taskQueue,
      },
      // A run missed in an outage of under a day goes when the server is back; an older one is left to
      // the next morning's run, which reminds whoever is still due (at the smallest point reached).
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: 'Reminds people short of hours before their periods end (complianceReminders)' },
    });
    results.push({ scheduleId, created: true });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    results.push({ scheduleId, created: false });
  }
  return results;
}

/** The director digest schedule's id: its prefix and the task queue (see `rolloverScheduleId`). */
export const directorDigestScheduleId = (taskQueue: string) => `${DIRECTOR_DIGEST_SCHEDULE}-${taskQueue}`;

/**
 * Creates the weekly director digest schedule unless it exists (a schedule paused by hand stays
 * paused): Mondays at 07:00 America/Chicago, starting `directorDigest` with no arguments (it reads
 * the date from its scheduled time). A run still going when the next is due makes the next skip.
 */
export async function ensureDirectorDigestSchedule(
  client: Client,
  taskQueue: string,
): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = directorDigestScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: {
        calendars: [{ dayOfWeek: 'MONDAY', hour: 7, minute: 0, comment: 'weekly director digest' }],
        timezone: REGISTRY_TIME_ZONE,
      },
      action: { type: 'startWorkflow', workflowType: 'directorDigest', workflowId: `${scheduleId}-run`, taskQueue },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: 'Emails each director their staff at risk, overdue deadlines and CPR cards (directorDigest)' },
    });
    return { scheduleId, created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    return { scheduleId, created: false };
  }
}
