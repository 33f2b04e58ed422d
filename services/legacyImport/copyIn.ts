/** COPY … FROM STDIN on the connection of a knex transaction, by pg-copy-streams. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/connection.js';

interface RawClient {
  query<T>(submittable: T): T;
}

/** Streams `data` into `statement` (a `COPY … FROM STDIN`) on the transaction's connection; the rows copied. */
export async function copyIn(trx: Db, statement: string, data: string): Promise<number> {
  const client = trx.client as unknown as {
    acquireConnection(): Promise<RawClient>;
    releaseConnection(c: RawClient): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    const copy = connection.query(copyFrom(statement));
    await pipeline(Readable.from([Buffer.from(data, 'utf8')]), copy);
    return copy.rowCount;
  } finally {
    await client.releaseConnection(connection);
  }
}
