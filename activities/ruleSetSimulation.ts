/** The `ruleSetSimulation` workflow's activities; the run heartbeats after each batch. */
import { Context } from '@temporalio/activity';
import type { Db } from '../db/connection.js';
import { createSimulationService } from '../services/ruleSetSimulation.js';

export function createSimulationActivities(deps: { db: Db }) {
  const service = createSimulationService(deps);
  return {
    ...service,
    async runSimulation(input: { simulationId: number }): Promise<{ people: number }> {
      const context = Context.current();
      return service.runSimulation(input, (progress) => context.heartbeat(progress));
    },
  };
}
