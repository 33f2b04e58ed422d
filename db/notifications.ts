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
  await db('notifications')
    .insert({ user_id: n.userId, case_id: n.caseId ?? null, title: n.title, body: n.body, link: n.link, dedupe_key: n.dedupeKey })
    .onConflict('dedupe_key')
    .ignore();
}
