/**
 * What an applied legacy import owes the people it touched, as every other path owes them: their
 * stored compliance brought up to date, each told (in the app and by email, keyed so a batch
 * applied again tells nobody twice) when the imported records alone turned their standing, in the
 * transaction that stores it; and the workflows of their open deadlines woken, so a deadline an
 * imported training meets is met now rather than at the workflow's next timer.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { localDateOf } from '../../rules/dates.js';
import { summarize } from '../../rules/compliance.js';
import { recomputeCompliance, refreshCompliance } from '../compliance.js';
import { complianceTurnedByImport } from '../mail/templates.js';
import { tellStandingTurned, type StandingTurned } from '../standingNotices.js';
import type { ImportWorkflows } from './workshop.js';

/** Up to this many people, compliance is refreshed one by one after an apply; above, everyone's is recomputed in batches. */
const REFRESH_ONE_BY_ONE = 500;

/** How many people's deadlines are looked up in one query. */
const CHUNK = 5000;

export const importTurnedKey = (batchId: number, professionalId: number) =>
  `import-${batchId}-turned-${professionalId}`;

export type Turned = StandingTurned;

/** Tells each person whose standing turned, in the transaction that stored it. */
export function tellTurnedByImport(
  trx: Knex.Transaction,
  options: { batchId: number; system: string; turned: Turned[]; publicUrl: string },
): Promise<void> {
  return tellStandingTurned(trx, {
    turned: options.turned,
    publicUrl: options.publicUrl,
    keyOf: (professionalId) => importTurnedKey(options.batchId, professionalId),
    wording: (language, facts) => complianceTurnedByImport(language, { ...facts, system: options.system }),
  });
}

/**
 * Today's compliance of the people a batch touched, and the notice of each whose standing it
 * turned: one by one for a few (each person's refresh and notice in one transaction), a batched
 * recompute for many (each batch's results and notices in one). A person never computed before
 * has no standing to turn. Those a re-decision already refreshed and told have nothing left to turn.
 */
export async function refreshTouched(
  db: Db,
  people: Set<number>,
  batch: { id: number; system: string; publicUrl: string },
): Promise<void> {
  if (people.size === 0) return;
  const tell = (trx: Knex.Transaction, turned: Turned[]) =>
    tellTurnedByImport(trx, { batchId: batch.id, system: batch.system, turned, publicUrl: batch.publicUrl });
  if (people.size <= REFRESH_ONE_BY_ONE) {
    for (const professionalId of people)
      await db.transaction(async (trx) => {
        const before = await trx('compliance_results')
          .where({ professional_id: professionalId })
          .forUpdate()
          .first<{ compliant: boolean } | undefined>('compliant');
        const compliant = summarize(await refreshCompliance(trx, professionalId)).compliant;
        if (before && before.compliant !== compliant) await tell(trx, [{ professionalId, compliant }]);
      });
  } else {
    await recomputeCompliance(db, {
      asOf: localDateOf(new Date()),
      onBatch: ({ turned, trx }) =>
        tell(
          trx,
          turned.filter((t) => people.has(t.professionalId)),
        ),
    });
  }
}

/**
 * Wakes the workflow of every open or overdue deadline of these people: imported training may
 * meet one, and a re-decision may have moved which record does. A courtesy, as for every other
 * path (each workflow reads the records itself at its next step): a signal that fails is counted,
 * never thrown at the import. Answers how many were woken and how many could not be.
 */
export async function wakeDeadlinesOf(
  db: Db,
  people: Set<number>,
  workflows: Pick<ImportWorkflows, 'notifyTrainingRecorded'>,
): Promise<{ woken: number; failed: number }> {
  const ids = [...people];
  const workflowIds = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows: Array<{ workflow_id: string }> = await db('deadlines')
      .whereIn('professional_id', ids.slice(i, i + CHUNK))
      .whereIn('status', ['open', 'overdue'])
      .distinct('workflow_id');
    for (const r of rows) workflowIds.add(r.workflow_id);
  }
  const outcomes = await Promise.allSettled([...workflowIds].map((id) => workflows.notifyTrainingRecorded(id, 0)));
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  return { woken: outcomes.length - failed, failed };
}
