/** Course requests made to CPR/First Aid trainers of the directory. */
import type { Db } from './connection.js';

/** Whether request `id` was made to the trainer `trainerUserId`. */
export async function isCourseRequestTo(db: Db, id: number, trainerUserId: number): Promise<boolean> {
  return (await db('course_requests').where({ id, trainer_user_id: trainerUserId }).first('id')) !== undefined;
}
