/** In-app notifications: what a person finds under Notifications, each with a link to act on. */
import type { Db } from './connection.js';

export interface NewNotification {
  userId: number;
  title: string;
  body: string;
  /** A page of the app, e.g. '/trainer/course-requests'. */
  link: string;
  /** The cause of the notification; the same cause never notifies twice. */
  dedupeKey: string;
  caseId?: number | null;
}

/** Call it inside the transaction of the change it reports. */
export async function addNotification(db: Db, n: NewNotification): Promise<void> {
  await addNotifications(db, [n]);
}

/** Writes several notifications in one statement; those whose key is already there are skipped. */
export async function addNotifications(db: Db, notifications: NewNotification[]): Promise<void> {
  if (notifications.length === 0) return;
  await db('notifications')
    .insert(
      notifications.map((n) => ({
        user_id: n.userId,
        case_id: n.caseId ?? null,
        title: n.title,
        body: n.body,
        link: n.link,
        dedupe_key: n.dedupeKey,
      })),
    )
    .onConflict('dedupe_key')
    .ignore();
}

export interface NotificationListing {
  id: number;
  case_id: number | null;
  title: string;
  body: string;
  link: string;
  created_at: Date;
  read_at: Date | null;
}

/** A person's latest notifications (at most 50), newest first, and how many of all are unread. */
export async function notificationsOf(
  db: Db,
  userId: number,
): Promise<{ notifications: NotificationListing[]; unread: number }> {
  const [notifications, unread] = await Promise.all([
    db('notifications')
      .where({ user_id: userId })
      .orderBy('id', 'desc')
      .limit(50)
      .select('id', 'case_id', 'title', 'body', 'link', 'created_at', 'read_at'),
    db('notifications').where({ user_id: userId }).whereNull('read_at').count<{ count: number }[]>({ count: '*' }),
  ]);
  return { notifications, unread: Number(unread[0]?.count ?? 0) };
}

/** Whether notification `id` is the user's. */
export async function isNotificationOf(db: Db, id: number, userId: number): Promise<boolean> {
  return (await db('notifications').where({ id, user_id: userId }).first('id')) !== undefined;
}

/** Marks a notification read, once (the first time stays). */
export async function markNotificationRead(db: Db, id: number): Promise<void> {
  await db('notifications').where({ id }).whereNull('read_at').update({ read_at: db.fn.now() });
}
