/**
 * Telling people whose stored compliance turned when a period turned (the `complianceRollover`
 * workflow), keyed by the rollover date and person (services/standingNotices.ts).
 */
import type { Knex } from 'knex';
import type { LocalDate } from '../rules/dates.js';
import { complianceTurnedAtRollover } from './mail/templates.js';
import { tellStandingTurned, type StandingTurned } from './standingNotices.js';

export const rolloverTurnedKey = (asOf: LocalDate, professionalId: number) =>
  `rollover-${asOf}-turned-${professionalId}`;

export function tellTurnedAtRollover(
  trx: Knex.Transaction,
  options: { asOf: LocalDate; turned: StandingTurned[]; publicUrl: string },
): Promise<void> {
  return tellStandingTurned(trx, {
    turned: options.turned,
    publicUrl: options.publicUrl,
    keyOf: (professionalId) => rolloverTurnedKey(options.asOf, professionalId),
    wording: (language, facts) => complianceTurnedAtRollover(language, { ...facts, asOf: options.asOf }),
  });
}
