/**
 * The `ruleSetPublication` workflow's activities. The recompute heartbeats each batch's last id,
 * so Temporal knows the worker is alive (and a restarted one carries on after it).
 */
import { Context } from '@temporalio/activity';
import { createPublicationService, type PublicationServiceDeps } from '../services/ruleSetPublication.js';

export type PublicationActivityDeps = PublicationServiceDeps;

export function createPublicationActivities(deps: PublicationActivityDeps) {
  const service = createPublicationService(deps);
  return {
    ...service,
    async recomputeForPublication(input: { publicationId: number; at: string }): Promise<{ done: number }> {
      const context = Context.current();
      return service.recomputeForPublication(input, (progress) => context.heartbeat(progress));
    },
  };
}
