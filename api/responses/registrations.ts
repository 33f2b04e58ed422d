/** The answers of the registrations routes (api/routes/registrations.ts), as the client reads them. */
import { z } from 'zod';
import { EVENT_PARTICIPANT_STATUSES } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** POST /api/events/:id/registrations */
export const postEventsByIdRegistrations = z.object({ registration: shapes.registrationResult });

/** POST /api/registrations/:id/cancel */
export const postRegistrationsByIdCancel = z.object({ promotedRegistrationId: z.number().nullable() });

/** GET /api/professionals/:id/registrations */
export const getProfessionalsByIdRegistrations = z.object({
  registrations: z.array(
    z.object({
      id: z.number(),
      status: z.enum(EVENT_PARTICIPANT_STATUSES),
      eventId: z.number(),
      title: z.string(),
      firstSessionAt: isoDateTime,
      lastSessionAt: isoDateTime,
      city: z.string().nullable(),
      /** The link to join: to the person holding the seat (or an admin); null otherwise. */
      onlineUrl: z.string().nullable(),
      /** The event's fee in cents (0: free) and the registration's payment, null before any checkout. */
      feeCents: z.number(),
      paymentStatus: z.enum(['pending', 'paid', 'failed']).nullable(),
      eventCancelled: z.boolean(),
    }),
  ),
});

/** POST /api/registrations/:id/checkout */
export const postRegistrationsByIdCheckout = z.object({ checkoutUrl: z.string(), amountCents: z.number() });

/** GET /api/events/:id/roster */
export const getEventsByIdRoster = z.object({
  roster: z.array(
    z.object({
      id: z.number(),
      status: z.enum(EVENT_PARTICIPANT_STATUSES),
      professionalId: z.number(),
      mopdId: z.string(),
      name: z.string(),
      email: z.string(),
      registeredAt: isoDateTime,
    }),
  ),
});
