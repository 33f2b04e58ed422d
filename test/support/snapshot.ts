/**
 * Every row of every table of a test database, for tests that say "this changed nothing": an
 * activity run again, a retried request. Knex's own bookkeeping and sessions are left out.
 */
import type { Db } from '../../db/connection.js';

export type Snapshot = Map<string, string[]>;

const SKIPPED = new Set(['knex_migrations', 'knex_migrations_lock', 'session', 'sessions']);

export async function snapshotTables(db: Db): Promise<Snapshot> {
  const tables = (
    (await db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows as Array<{
      tablename: string;
    }>
  )
    .map((t) => t.tablename)
    .filter((t) => !SKIPPED.has(t));
  const snapshot: Snapshot = new Map();
  await db.transaction(
    async (trx) => {
      for (const table of tables) {
        const { rows } = await trx.raw(`SELECT to_jsonb(t)::text AS row FROM ?? t ORDER BY 1`, [table]);
        snapshot.set(
          table,
          (rows as Array<{ row: string }>).map((r) => r.row),
        );
      }
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
  return snapshot;
}

/** Per table, the rows only in `before` and only in `after` (empty when both agree). */
export function tableDifferences(
  before: Snapshot,
  after: Snapshot,
): Array<{ table: string; gone: string[]; added: string[] }> {
  const differences = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? [];
    const b = after.get(table) ?? [];
    const inB = new Set(b);
    const inA = new Set(a);
    const gone = a.filter((r) => !inB.has(r));
    const added = b.filter((r) => !inA.has(r));
    if (gone.length || added.length || a.length !== b.length) differences.push({ table, gone, added });
  }
  return differences;
}
