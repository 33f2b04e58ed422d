/** The answers of the registrations routes (api/routes/registrations.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** POST /api/events/:id/registrations */
export const postEventsByIdRegistrations = z.object({ registration: shapes.registrationResult });

/** POST /api/registrations/:id/cancel */
export const postRegistrationsByIdCancel = z.object({ promotedRegistrationId: z.number().nullable() });

/** GET /api/professionals/:id/registrations */
export const getProfessionalsByIdRegistrations = z.object({ registrations: z.array(z.unknown()) });

/** GET /api/events/:id/roster */
export const getEventsByIdRoster = z.object({ roster: z.array(z.unknown()) });
