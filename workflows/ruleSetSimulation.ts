/**
 * A what-if simulation of a draft: one long read-only activity on the worker (so nobody's page
 * waits for it), heartbeating as it goes; a failure is recorded so the page stops waiting.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';

export interface RuleSetSimulationInput {
  simulationId: number;
}

const { runSimulation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});
const { failSimulation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});

export async function ruleSetSimulation(input: RuleSetSimulationInput): Promise<string> {
  try {
    await runSimulation({ simulationId: input.simulationId });
    return 'completed';
  } catch (error) {
    const message =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    await failSimulation({ simulationId: input.simulationId, error: message });
    throw ApplicationFailure.nonRetryable(`Simulation ${input.simulationId} failed: ${message}`);
  }
}
