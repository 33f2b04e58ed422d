/**
 * Reading back what a test made: the row must be there, and a test that finds it missing fails at
 * the read, saying what was missing, instead of at a later property of `undefined`.
 */
import type { Db } from '../../db/connection.js';
import type { ProfessionalTableRow } from '../../db/types/tableRows.js';
import type { TestUser } from './app.js';

export async function mustFind<T>(query: PromiseLike<T | undefined>, what = 'the row read'): Promise<T> {
  const row = await query;
  if (row === undefined) throw new Error(`${what} is not in the database`);
  return row;
}

/** The registry id of a test user made with the professional role. */
export function professionalIdOf(who: Pick<TestUser, 'professionalId'>): number {
  if (who.professionalId === null) throw new Error('This test user is not a professional');
  return who.professionalId;
}

/** The registry record of a test user made with the professional role. */
export function professionalOf(db: Db, who: Pick<TestUser, 'professionalId'>): Promise<ProfessionalTableRow> {
  return mustFind(
    db('professionals')
      .where({ id: professionalIdOf(who) })
      .first(),
    'the professional',
  );
}

/** The id of the one row an `insert(…).returning('id')` wrote. */
export async function insertedId(query: PromiseLike<Array<{ id: number }>>): Promise<number> {
  const [row, ...more] = await query;
  if (row === undefined || more.length > 0) throw new Error('The insert did not write exactly one row');
  return row.id;
}
