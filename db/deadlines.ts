import type { Db } from './connection.js';
import type { DeadlineRow } from './rows.js';

export type NewDeadline = Omit<
  DeadlineRow,
  | 'id'
  | 'status'
  | 'met_by_training_record_id'
  | 'met_by_credential_id'
  | 'reminded_at'
  | 'became_overdue_at'
  | 'met_at'
>;

/** Opens a deadline, or returns the one already opened for this employment and requirement. */
export async function openDeadline(db: Db, deadline: NewDeadline): Promise<DeadlineRow> {
  await db('deadlines').insert(deadline).onConflict(['employment_id', 'requirement']).ignore();
  return db('deadlines')
    .where({ employment_id: deadline.employment_id, requirement: deadline.requirement })
    .first() as Promise<DeadlineRow>;
}

/** Opens a credential's renewal deadline, or returns the one already opened for it. */
export async function openCredentialDeadline(db: Db, deadline: NewDeadline): Promise<DeadlineRow> {
  await db('deadlines').insert(deadline).onConflict(['credential_id', 'requirement']).ignore();
  return db('deadlines')
    .where({ credential_id: deadline.credential_id, requirement: deadline.requirement })
    .first() as Promise<DeadlineRow>;
}

export function findDeadline(
  db: Db,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<DeadlineRow | undefined> {
  const query = db('deadlines').where({ id }).first();
  return (options.forUpdate ? query.forUpdate() : query) as Promise<DeadlineRow | undefined>;
}

export function deadlinesOf(db: Db, professionalId: number): Promise<DeadlineRow[]> {
  return db('deadlines')
    .where({ professional_id: professionalId })
    .orderBy([{ column: 'due_on' }, { column: 'id' }]);
}

/** Deadlines still waiting for training on a topic: the workflows to wake when it is recorded. */
export function unmetDeadlinesForTopic(db: Db, professionalId: number, topic: string): Promise<DeadlineRow[]> {
  return db('deadlines')
    .where({ professional_id: professionalId, satisfied_by_topic: topic })
    .whereIn('status', ['open', 'overdue']);
}

export async function updateDeadline(db: Db, id: number, changes: Partial<DeadlineRow>): Promise<DeadlineRow> {
  const [row] = await db('deadlines').where({ id }).update(changes).returning('*');
  return row as DeadlineRow;
}

/** The workflows following the still-open (open or overdue) deadlines of these credentials. */
export async function openDeadlineWorkflowsOfCredentials(db: Db, credentialIds: number[]): Promise<string[]> {
  const open: Array<{ workflow_id: string }> = await db('deadlines')
    .whereIn('credential_id', credentialIds)
    .whereIn('status', ['open', 'overdue'])
    .select('workflow_id');
  return open.map((d) => d.workflow_id);
}
