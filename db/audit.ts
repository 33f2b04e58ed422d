import type { Db } from './connection.js';

export interface AuditEntry {
  /** Who acted; null when the system did (a workflow timer, the relay). */
  actorUserId: number | null;
  /** What happened, as entity.verb: 'employment.created', 'user.roles_changed'. */
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/** Records a state change. Call it in the transaction of the change itself. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_user_id: entry.actorUserId,
    action: entry.action,
    entity: entry.entity,
    entity_id: String(entry.entityId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: entry.requestId ?? null,
  });
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_user_id: number | null;
  actor_email: string | null;
  action: string;
  entity: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export function readAuditLog(
  db: Db,
  filter: { entity?: string; entityId?: string; actorUserId?: number; limit: number; beforeId?: number },
): Promise<AuditRow[]> {
  const query = db('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select('a.*', 'u.email as actor_email')
    .orderBy('a.id', 'desc')
    .limit(filter.limit);
  if (filter.entity) void query.where('a.entity', filter.entity);
  if (filter.entityId) void query.where('a.entity_id', filter.entityId);
  if (filter.actorUserId) void query.where('a.actor_user_id', filter.actorUserId);
  if (filter.beforeId) void query.where('a.id', '<', filter.beforeId);
  return query;
}
