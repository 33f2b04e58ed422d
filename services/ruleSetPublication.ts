/**
 * The steps of a rule-set publication, run by its workflow's activities: on the effective date the
 * version is switched in, then everyone's compliance is recomputed in batches (each batch commits
 * its last id and tells it to `heartbeat`, so a restarted worker carries on after it), and people
 * whose status turned are told.
 */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { localDateOf, startOfLocalDay, type LocalDate } from '../rules/dates.js';
import type { PublicationStatus } from '../rules/domain.js';
import { recomputeCompliance } from './compliance.js';
import { complianceTurned } from './mail/templates.js';
import { tellStandingTurned } from './standingNotices.js';
import { DomainError } from './errors.js';

interface PublicationRow {
  id: number;
  rule_set: string;
  version: number;
  effective_from: LocalDate;
  status: PublicationStatus;
  last_professional_id: number;
}

/** Told after each batch, with the last person's id: the activity heartbeats with it. */
export type Heartbeat = (progress: { lastId: number }) => void;

export interface PublicationServiceDeps {
  db: Db;
  publicUrl: string;
}

export function createPublicationService({ db, publicUrl }: PublicationServiceDeps) {
  const find = async (id: number) => {
    const row = await db('rule_set_publications').where({ id }).first<PublicationRow | undefined>();
    if (!row) throw new DomainError('NotFound', `No publication ${id}`);
    return row;
  };
  return {
    /** When the version takes effect: the start of its effective date in Missouri. */
    async planPublication({
      publicationId,
    }: {
      publicationId: number;
    }): Promise<{ status: PublicationStatus; startsAt: string }> {
      const row = await find(publicationId);
      return { status: row.status, startsAt: startOfLocalDay(row.effective_from).toISOString() };
    },

    async cancelScheduledPublication({
      publicationId,
      at,
    }: {
      publicationId: number;
      at: string;
    }): Promise<PublicationStatus> {
      return db.transaction(async (trx) => {
        const row = await trx('rule_set_publications').where({ id: publicationId }).forUpdate().first<PublicationRow>();
        if (row!.status !== 'scheduled') return row!.status;
        await trx('rule_set_publications')
          .where({ id: publicationId })
          .update({ status: 'cancelled', finished_at: new Date(at) });
        await trx('rule_set_versions')
          .where({ rule_set: row!.rule_set, version: row!.version })
          .update({ approved_by_user_id: null });
        await audit(trx, {
          actorUserId: null,
          action: 'rule_set.publication_cancelled',
          entity: 'rule_set_version',
          entityId: `${row!.rule_set}@${row!.version}`,
          after: { publicationId },
        });
        return 'cancelled';
      });
    },

    /** Switches the version in: published from its effective date; the one it follows is superseded. */
    async switchRuleSetVersion({ publicationId, at }: { publicationId: number; at: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const row = await trx('rule_set_publications').where({ id: publicationId }).forUpdate().first<PublicationRow>();
        if (row!.status !== 'scheduled') return;
        const total = Number((await trx('professionals').count<{ n: number }[]>({ n: '*' }))[0]!.n);
        await trx('rule_set_versions')
          .where({ rule_set: row!.rule_set, status: 'published' })
          .update({ status: 'superseded', updated_at: new Date(at) });
        await trx('rule_set_versions')
          .where({ rule_set: row!.rule_set, version: row!.version })
          .update({
            status: 'published',
            effective_from: row!.effective_from,
            published_at: new Date(at),
            updated_at: new Date(at),
            document: trx.raw("jsonb_set(document, '{effectiveFrom}', to_jsonb(?::text))", [row!.effective_from]),
          });
        await trx('rule_set_publications').where({ id: publicationId }).update({ status: 'recomputing', total });
        await audit(trx, {
          actorUserId: null,
          action: 'rule_set.published',
          entity: 'rule_set_version',
          entityId: `${row!.rule_set}@${row!.version}`,
          after: { effectiveFrom: row!.effective_from, publicationId },
        });
      });
    },

    /** Recomputes everyone's compliance, telling those whose status turned; resumes after a restart. */
    async recomputeForPublication(
      { publicationId, at }: { publicationId: number; at: string },
      heartbeat: Heartbeat = () => {},
    ): Promise<{ done: number }> {
      const row = await find(publicationId);
      if (row.status !== 'recomputing') return { done: 0 };
      // Where to carry on is what PostgreSQL holds: each batch's progress commits with its results
      // and its emails, so a batch is either wholly done or done again.
      const afterId = Number(row.last_professional_id);
      const asOf = localDateOf(new Date(at));
      await recomputeCompliance(db, {
        asOf,
        afterId,
        batchSize: 1000,
        onBatch: async ({ lastId, turned, trx }) => {
          await tellStandingTurned(trx, {
            turned,
            publicUrl,
            keyOf: (professionalId) => `publication-${publicationId}-turned-${professionalId}`,
            wording: (language, facts) =>
              complianceTurned(language, { ...facts, version: row.version, effectiveFrom: row.effective_from }),
          });
          await trx('rule_set_publications')
            .where({ id: publicationId })
            .update({
              last_professional_id: lastId,
              done: trx.raw('(SELECT count(*) FROM professionals WHERE id <= ?)', [lastId]),
              changed: trx.raw('changed + ?', [turned.length]),
            });
          // Heard only as a sign of life (and the last id, for people reading the history).
          heartbeat({ lastId });
        },
      });
      const finished = await find(publicationId);
      return { done: Number(finished.last_professional_id) };
    },

    async finishPublication({ publicationId, at }: { publicationId: number; at: string }): Promise<void> {
      await db('rule_set_publications')
        .where({ id: publicationId, status: 'recomputing' })
        .update({ status: 'completed', finished_at: new Date(at) });
    },
  };
}
