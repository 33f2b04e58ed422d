/**
 * Row types of tables, known to knex: `db('outbox')` reads `OutboxRow`s rather than `any`, and a
 * where, insert or update naming a column the table lacks, or a value it cannot hold, does not
 * compile. The outbox, deadlines, education and credentials so far; the other row types of
 * db/rows.ts are for the next tables.
 */
import type { CredentialRow, DeadlineRow, EducationRow, OutboxRow } from '../rows.js';

declare module 'knex/types/tables.js' {
  interface Tables {
    outbox: OutboxRow;
    deadlines: DeadlineRow;
    education: EducationRow;
    credentials: CredentialRow;
  }
}
