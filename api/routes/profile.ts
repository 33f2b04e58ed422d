/**
 * The professional's profile: contact details, education, credentials (the CPR/First Aid card,
 * whose renewal a workflow follows), career level and self-assessments.
 */
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { findProfessional } from '../../db/professionals.js';
import { employmentsOf } from '../../db/employments.js';
import { educationOf } from '../../db/profile.js';
import { changeContact, profileOf, recordCredential, recordEducation } from '../../services/profile.js';
import { DomainError } from '../../services/errors.js';
import { localDateOf } from '../../rules/dates.js';
import { policies } from '../access/policies.js';
import { assertOwnUploads } from './uploads.js';
import { route, type RouteDefinition } from '../access/routes.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { contactUpdate, idParams, newCredential, newEducation } from '../schemas.js';
import * as responses from '../responses/profile.js';

export function profileRoutes({
  db,
  temporal,
  logger,
}: {
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
}): RouteDefinition[] {
  const professional = async (id: number) => {
    const found = await findProfessional(db, id);
    if (!found) throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');
    return found;
  };

  return [
    route({
      method: 'get',
      path: '/api/professionals/:id/profile',
      summary:
        'The whole profile: contact, employments, education, credentials with their standing, career level, self-assessments',
      tags: ['registry'],
      policy: policies.professionalRecord('The person themselves, or someone whose scope includes them'),
      params: idParams,
      response: responses.getProfessionalsByIdProfile,
      handle: async ({ params }) => {
        const found = await professional(params.id);
        const [employments, education, profile] = await Promise.all([
          employmentsOf(db, found.id),
          educationOf(db, found.id),
          profileOf(db, found.id, localDateOf(new Date())),
        ]);
        return { professional: found, employments, education, ...profile };
      },
    }),
    route({
      method: 'patch',
      path: '/api/professionals/:id',
      summary: 'Change contact details: phone, address, county, region',
      tags: ['registry'],
      policy: policies.ownProfile('The person themselves, or an admin'),
      params: idParams,
      body: contactUpdate,
      response: responses.patchProfessionalsById,
      handle: async ({ params, body, principal, requestId }) => {
        const changes = {
          ...(body.phone !== undefined && { phone: body.phone }),
          ...(body.addressLine !== undefined && { address_line: body.addressLine }),
          ...(body.city !== undefined && { city: body.city }),
          ...(body.zip !== undefined && { zip: body.zip }),
          ...(body.county !== undefined && { county: body.county }),
          ...(body.region !== undefined && { region: body.region }),
        };
        return {
          professional: await changeContact(db, params.id, changes, { actorUserId: principal.userId, requestId }),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/professionals/:id/education',
      summary: 'Add a degree, college coursework or a credential (e.g. a CDA), with an optional uploaded proof',
      tags: ['registry'],
      policy: policies.ownProfile('The person themselves, or an admin'),
      params: idParams,
      body: newEducation,
      status: 201,
      response: responses.postProfessionalsByIdEducation,
      handle: async ({ params, body, principal, requestId }) => {
        await professional(params.id);
        await assertOwnUploads(db, principal, body.uploadId ? [body.uploadId] : [], 'uploadId', [
          'training_proof',
          'document',
        ]);
        return { education: await recordEducation(db, params.id, body, { actorUserId: principal.userId, requestId }) };
      },
    }),
    route({
      method: 'post',
      path: '/api/professionals/:id/credentials',
      summary:
        'Add a CPR/First Aid card (model, issue and expiry dates, uploaded scan); starts its renewal reminders and renews the older card',
      tags: ['registry'],
      policy: policies.ownProfile('The person themselves, or an admin'),
      params: idParams,
      body: newCredential,
      status: 201,
      /** As with hires, the renewal workflow starts inside the transaction: no card is saved untracked. */
      response: responses.postProfessionalsByIdCredentials,
      handle: async ({ params, body, principal, requestId }) => {
        await professional(params.id);
        await assertOwnUploads(db, principal, body.uploadId ? [body.uploadId] : [], 'uploadId', ['cpr_card']);
        return recordCredential(db, temporal, params.id, body, { actorUserId: principal.userId, requestId, logger });
      },
    }),
  ];
}
