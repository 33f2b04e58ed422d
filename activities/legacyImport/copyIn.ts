/**
 * COPY … FROM STDIN over the connection of a knex transaction, without `pg-copy-streams` (not a
 * dependency): a minimal pg Submittable that sends the statement, answers the server's
 * CopyInResponse with CopyData messages of the text and CopyDone, and settles on ReadyForQuery.
 */
import type { Db } from '../../db/connection.js';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}
interface RawClient {
  query(submittable: unknown): unknown;
}

const CHUNK = 1 << 20;

class CopyIn {
  private error: Error | null = null;
  private rowCount = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (error: Error) => void };

  constructor(
    private readonly statement: string,
    private readonly data: Buffer,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: CopyConnection): void {
    connection.query(this.statement);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let i = 0; i < this.data.length; i += CHUNK) connection.sendCopyFromChunk(this.data.subarray(i, i + CHUNK));
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rowCount);
  }

  // A COPY FROM answers with none of these; pg's client calls them on any active query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Streams `data` into `statement` (a `COPY … FROM STDIN`) on the transaction's connection; the rows copied. */
export async function copyIn(trx: Db, statement: string, data: string): Promise<number> {
  const client = trx.client as unknown as { acquireConnection(): Promise<RawClient>; releaseConnection(c: RawClient): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    const copy = new CopyIn(statement, Buffer.from(data, 'utf8'));
    connection.query(copy);
    return await copy.done;
  } finally {
    await client.releaseConnection(connection);
  }
}
