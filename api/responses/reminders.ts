/** The answers of the reminder routes (api/routes/reminders.ts), as the client reads them. */
import { z } from 'zod';

/** GET /api/professionals/:id/reminders */
export const getProfessionalsByIdReminders = z.object({ remindersWanted: z.boolean() });

/** PUT /api/professionals/:id/reminders */
export const putProfessionalsByIdReminders = z.object({ remindersWanted: z.boolean() });

/** POST /api/unsubscribe/:token */
export const postUnsubscribeByToken = z.object({ unsubscribed: z.literal(true) });
