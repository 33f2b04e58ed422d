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

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = new URL(base);
  url.pathname = `/mopd_test_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(url.toString());
  const db = createDb(url.toString(), { max: 5 });
  await migrateLatest(db);
  await installShippedRuleSets(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}
