/** Registering for events, cancelling, and who is coming. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { createRegistrations, startRegistrationCheckout } from '../../services/registrations.js';
import type { PaymentProvider } from '../../services/payments.js';
import { DomainError } from '../../services/errors.js';
import { approvedOrganizationsOf, staffStandingAt } from '../../db/access.js';
import { registrationsOfProfessional, rosterOfEvent } from '../../db/registrations.js';
import { localDateOf } from '../../rules/dates.js';
import { holds, type Principal } from '../access/principal.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/registrations.js';

export function registrationRoutes({
  db,
  publicUrl,
  payments,
}: {
  db: Db;
  publicUrl: string;
  /** The payment provider an event's fee is paid through; none where configuration names none. */
  payments?: PaymentProvider;
}): RouteDefinition[] {
  const registrations = createRegistrations({ db, publicUrl });

  /** Oneself; a director for people on their organizations' staff now (not former staff); an admin for anyone. */
  async function mayRegister(principal: Principal, professionalId: number): Promise<boolean> {
    if (principal.professionalId === professionalId || holds(principal, 'admin')) return true;
    return (
      holds(principal, 'director') &&
      (await staffStandingAt(
        db,
        professionalId,
        await approvedOrganizationsOf(db, principal.userId),
        localDateOf(new Date()),
      )) === 'current'
    );
  }

  return [
    route({
      method: 'post',
      path: '/api/events/:id/registrations',
      summary:
        'Register for an event (yourself, or, as a director, one of your staff): a seat while there is one, else the waitlist',
      tags: ['catalog'],
      policy: policies.signedIn('Any signed-in person, for themselves; directors for their staff'),
      params: idParams,
      body: z.object({ professionalId: z.number({ error: 'must be a number' }).int().positive().optional() }).strict(),
      status: 201,
      response: responses.postEventsByIdRegistrations,
      handle: async ({ params, body, principal, requestId }) => {
        const professionalId = body.professionalId ?? principal.professionalId;
        if (!professionalId)
          throw new DomainError('Invalid', 'Say who to register: you have no MOPD ID of your own', 'professionalId');
        if (!(await mayRegister(principal, professionalId)))
          throw new DomainError(
            'Forbidden',
            'You may register yourself, or your own staff as their director',
            'professionalId',
          );
        return {
          registration: await registrations.register({
            eventId: params.id,
            professionalId,
            byUserId: principal.userId,
            requestId,
          }),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/registrations/:id/cancel',
      summary: 'Cancel a registration; a freed seat goes to the first on the waitlist',
      tags: ['catalog'],
      policy: policies.registrationHolder('The registered person, whoever registered them, or an admin'),
      params: idParams,
      response: responses.postRegistrationsByIdCancel,
      handle: async ({ params, principal, requestId }) =>
        registrations.cancel({ registrationId: params.id, byUserId: principal.userId, requestId }),
    }),
    route({
      method: 'post',
      path: '/api/registrations/:id/checkout',
      summary:
        'Pay an event’s fee for a seat held: opens the payment provider’s checkout (settled by its signed notification)',
      tags: ['catalog'],
      policy: policies.registrationHolder('The registered person, whoever registered them, or an admin'),
      params: idParams,
      response: responses.postRegistrationsByIdCheckout,
      handle: async ({ params, principal, requestId }) =>
        startRegistrationCheckout(db, payments, {
          registrationId: params.id,
          actorUserId: principal.userId,
          requestId,
        }),
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/registrations',
      summary:
        'Events a professional is registered or waitlisted for, past and upcoming, soonest first, with fees and payments',
      tags: ['catalog'],
      policy: policies.professionalRecord('The person themselves, or someone whose scope includes them'),
      params: idParams,
      response: responses.getProfessionalsByIdRegistrations,
      handle: async ({ params, principal }) => ({
        // The link to join: to the person holding the seat (or an admin), never from the waitlist or to a director looking on.
        registrations: await registrationsOfProfessional(db, params.id, {
          withOnlineUrl: principal.professionalId === params.id || holds(principal, 'admin'),
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/events/:id/roster',
      summary: 'Who is registered and waitlisted for an event (its trainer, or an admin)',
      tags: ['catalog'],
      policy: policies.eventTrainer('The event’s trainer, or an admin'),
      params: idParams,
      response: responses.getEventsByIdRoster,
      handle: async ({ params }) => ({
        roster: await rosterOfEvent(db, params.id),
      }),
    }),
  ];
}
