/** Each test file gets a database of its own, migrated, and dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { createDb, dropDatabase, ensureDatabase, migrateLatest, type Db } from '../../db/connection.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';

const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

/**
 * Test files share one Temporal server, and workflow ids are made from row ids (`case-…-12`,
 * `event-reminders-7`): two fresh databases numbering from 1 would give two files' workflows the
 * same id, and the second start would find the first's. Each database's ids start at a random
 * point of their own instead (sequences of `id` columns; MOPD IDs keep theirs).
 */
async function startIdsApart(db: Db): Promise<void> {
  const start = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  await db.raw(
    `SELECT setval(pg_get_serial_sequence(format('%I.%I', c.table_schema, c.table_name), 'id'), ?, false)
       FROM information_schema.columns c
      WHERE c.table_schema = 'public' AND c.column_name = 'id' AND pg_get_serial_sequence(format('%I.%I', c.table_schema, c.table_name), 'id') IS NOT NULL`,
    [start],
  );
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = new URL(base);
  url.pathname = `/mopd_test_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(url.toString());
  const db = createDb(url.toString(), { max: 5 });
  await migrateLatest(db);
  await installShippedRuleSets(db);
  await startIdsApart(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}
