/** Policy staff change the rules: versions, drafts, validation, worked cases, publication, rollback. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { createRuleSetVersions } from '../../services/ruleSetVersions.js';
import { requestSimulation, simulatedPerson, withProgramTypeLabels } from '../../services/ruleSetSimulation.js';
import { findPublicationStatus, findSimulation } from '../../db/ruleSets.js';
import { DomainError } from '../../services/errors.js';
import { workedCase } from '../../rules/workedCases.js';
import { isLocalDate } from '../../rules/dates.js';
import { policies } from '../access/policies.js';
import { getSetting } from '../../db/settings.js';
import { saveSetting } from '../../services/admin.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import * as responses from '../responses/ruleSets.js';

const ruleSet = z.string().regex(/^[a-z0-9-]+$/, 'must be a rule set name such as mopd-compliance');
const version = z.coerce.number({ error: 'must be a version number' }).int().positive();
const ruleSetParams = z.object({ ruleSet }).strict();
const versionParams = z.object({ ruleSet, version }).strict();
const note = z.string().trim().min(3, 'say what changes and why, in a few words').max(2000);
const POLICY = policies.roles(['policy_staff', 'admin'], 'Policy staff and admins');

export function ruleSetRoutes({ db, temporal }: { db: Db; temporal: TemporalGateway }): RouteDefinition[] {
  const versions = createRuleSetVersions({ db });
  return [
    route({
      method: 'get',
      path: '/api/rule-sets/:ruleSet/versions',
      summary:
        'Every version of a rule set (status, author, change note, who approved publication) and its publications',
      tags: ['rules'],
      policy: POLICY,
      params: ruleSetParams,
      response: responses.getRuleSetsByRuleSetVersions,
      handle: async ({ params }) => versions.list(params.ruleSet),
    }),
    route({
      method: 'get',
      path: '/api/rule-sets/:ruleSet/versions/:version',
      summary:
        'A version: its document, its diff against the version it replaces (rule by rule), its problems and its worked cases',
      tags: ['rules'],
      policy: POLICY,
      params: versionParams,
      response: responses.getRuleSetsByRuleSetVersionsByVersion,
      handle: async ({ params, principal }) => versions.detail(params.ruleSet, params.version, principal.userId),
    }),
    route({
      method: 'post',
      path: '/api/rule-sets/:ruleSet/drafts',
      summary: 'Start a draft from a version (editing a published version starts here)',
      tags: ['rules'],
      policy: POLICY,
      params: ruleSetParams,
      body: z.object({ fromVersion: version, changeNote: note }).strict(),
      status: 201,
      response: responses.postRuleSetsByRuleSetDrafts,
      handle: async ({ params, body, principal, requestId }) =>
        versions.createDraft({
          ruleSet: params.ruleSet,
          fromVersion: body.fromVersion,
          changeNote: body.changeNote,
          byUserId: principal.userId,
          requestId,
        }),
    }),
    route({
      method: 'put',
      path: '/api/rule-sets/:ruleSet/versions/:version',
      summary: 'Save a draft’s document; answers its problems and worked cases (a validated draft goes back to draft)',
      tags: ['rules'],
      policy: POLICY,
      params: versionParams,
      body: z
        .object({
          document: z.record(z.string(), z.unknown(), { error: 'must be a rule-set document' }),
          changeNote: note.optional(),
        })
        .strict(),
      response: responses.putRuleSetsByRuleSetVersionsByVersion,
      handle: async ({ params, body, principal, requestId }) =>
        versions.saveDraft({
          ruleSet: params.ruleSet,
          version: params.version,
          document: body.document,
          changeNote: body.changeNote,
          byUserId: principal.userId,
          requestId,
        }),
    }),
    route({
      method: 'post',
      path: '/api/rule-sets/:ruleSet/versions/:version/validate',
      summary: 'Validate a draft (shape, then meaning): with no problem it becomes validated; worked cases are run too',
      tags: ['rules'],
      policy: POLICY,
      params: versionParams,
      response: responses.postRuleSetsByRuleSetVersionsByVersionValidate,
      handle: async ({ params, principal, requestId }) =>
        versions.validate({ ruleSet: params.ruleSet, version: params.version, byUserId: principal.userId, requestId }),
    }),
    route({
      method: 'post',
      path: '/api/rule-sets/:ruleSet/versions/:version/publish',
      summary:
        'Approve and schedule a validated version for its effective date (every worked case must pass; four eyes: not by a person who drafted it, unless the admin setting allows one person); a workflow switches it in and recomputes',
      tags: ['rules'],
      policy: POLICY,
      params: versionParams,
      body: z.object({ effectiveFrom: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD') }).strict(),
      status: 202,
      response: responses.postRuleSetsByRuleSetVersionsByVersionPublish,
      handle: async ({ params, body, principal, requestId }) =>
        versions.schedulePublication({
          ruleSet: params.ruleSet,
          version: params.version,
          effectiveFrom: body.effectiveFrom,
          byUserId: principal.userId,
          requestId,
          start: (_trx, publicationId, workflowId) => temporal.startPublication(publicationId, workflowId),
        }),
    }),
    route({
      method: 'get',
      path: '/api/admin/settings/single-person-publication',
      summary: 'Whether one person may draft a rule-set version and approve its publication (otherwise four eyes)',
      tags: ['rules', 'admin'],
      policy: POLICY,
      response: responses.putAdminSettingsSinglePersonPublication,
      handle: async () => ({
        singlePersonPublication: await getSetting(db, 'rule_set_single_person_publication'),
      }),
    }),
    route({
      method: 'put',
      path: '/api/admin/settings/single-person-publication',
      summary: 'Let one person draft a rule-set version and approve its publication, or require a second person',
      tags: ['rules', 'admin'],
      policy: policies.admin('Admins'),
      body: z.object({ singlePersonPublication: z.boolean() }).strict(),
      response: responses.putAdminSettingsSinglePersonPublication,
      handle: async ({ body, principal, requestId }) => ({
        singlePersonPublication: await saveSetting(
          db,
          'rule_set_single_person_publication',
          body.singlePersonPublication,
          { actorUserId: principal.userId, requestId },
        ),
      }),
    }),
    route({
      method: 'post',
      path: '/api/rule-set-publications/:id/cancel',
      summary: 'Cancel a publication still waiting for its effective date',
      tags: ['rules'],
      policy: POLICY,
      params: idParams,
      status: 202,
      response: responses.postRuleSetPublicationsByIdCancel,
      handle: async ({ params }) => {
        const publication = await findPublicationStatus(db, params.id);
        if (!publication) throw new DomainError('NotFound', `No publication ${params.id}`, 'id');
        if (publication.status !== 'scheduled')
          throw new DomainError(
            'Conflict',
            `This publication is ${publication.status}; only one still waiting for its date can be cancelled`,
          );
        await temporal.cancelPublication(publication.workflow_id);
        return { cancelling: true };
      },
    }),
    route({
      method: 'post',
      path: '/api/rule-sets/:ruleSet/versions/:version/simulations',
      summary:
        'What if: run a version (a draft) against the live registry as of a date, beside the versions in effect; answers at once, runs on the worker with progress',
      tags: ['rules'],
      policy: POLICY,
      params: versionParams,
      body: z.object({ asOf: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD') }).strict(),
      status: 202,
      response: responses.postRuleSetsByRuleSetVersionsByVersionSimulations,
      handle: async ({ params, body, principal, requestId }) => {
        return requestSimulation(
          db,
          temporal,
          { ruleSet: params.ruleSet, version: params.version, asOf: body.asOf },
          { actorUserId: principal.userId, requestId },
        );
      },
    }),
    route({
      method: 'get',
      path: '/api/rule-set-simulations/:id',
      summary:
        'A simulation’s progress, and when done its result: who turns each way by organization, region and program type (with its English and Spanish labels); credit differences by reason; samples',
      tags: ['rules'],
      policy: POLICY,
      params: idParams,
      response: responses.getRuleSetSimulationsById,
      handle: async ({ params }) => {
        const row = await findSimulation(db, params.id);
        if (!row) throw new DomainError('NotFound', `No simulation ${params.id}`, 'id');
        return {
          id: row.id,
          status: row.status,
          asOf: row.as_of,
          version: row.version,
          comparedWithVersion: row.compared_with_version,
          total: row.total,
          done: row.done,
          error: row.error,
          result: await withProgramTypeLabels(db, row.result),
          createdAt: row.created_at,
          finishedAt: row.finished_at,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/rule-set-simulations/:id/people/:professionalId',
      summary:
        'One person’s compliance as of the simulation’s date under the versions in effect and under the draft, each explained',
      tags: ['rules'],
      policy: POLICY,
      params: z.object({ id: version, professionalId: version }).strict(),
      response: responses.getRuleSetSimulationsByIdPeopleByProfessionalId,
      handle: async ({ params }) => simulatedPerson(db, params.id, params.professionalId),
    }),
    route({
      method: 'post',
      path: '/api/rule-sets/:ruleSet/rollbacks',
      summary:
        'Roll back: a new draft with an earlier published version’s content and the reason, to validate and publish like any other',
      tags: ['rules'],
      policy: POLICY,
      params: ruleSetParams,
      body: z.object({ toVersion: version, reason: note }).strict(),
      status: 201,
      response: responses.postRuleSetsByRuleSetRollbacks,
      handle: async ({ params, body, principal, requestId }) =>
        versions.rollbackDraft({
          ruleSet: params.ruleSet,
          toVersion: body.toVersion,
          reason: body.reason,
          byUserId: principal.userId,
          requestId,
        }),
    }),
    route({
      method: 'get',
      path: '/api/rule-sets/:ruleSet/cases',
      summary: 'The rule set’s worked cases',
      tags: ['rules'],
      policy: POLICY,
      params: ruleSetParams,
      response: responses.getRuleSetsByRuleSetCases,
      handle: async ({ params }) => ({ cases: await versions.cases(params.ruleSet) }),
    }),
    route({
      method: 'put',
      path: '/api/rule-sets/:ruleSet/cases/:caseId',
      summary: 'Add or change a worked case: input facts and the outcome expected',
      tags: ['rules'],
      policy: POLICY,
      params: z
        .object({ ruleSet, caseId: z.string().regex(/^[a-z0-9.-]+$/, 'lower-case words joined by . or -') })
        .strict(),
      body: workedCase,
      response: responses.putRuleSetsByRuleSetCasesByCaseId,
      handle: async ({ params, body, principal, requestId }) => {
        if (body.id !== params.caseId) throw new DomainError('Invalid', 'must match the case id in the address', 'id');
        return versions.saveCase({ ruleSet: params.ruleSet, definition: body, byUserId: principal.userId, requestId });
      },
    }),
    route({
      method: 'delete',
      path: '/api/rule-sets/:ruleSet/cases/:caseId',
      summary: 'Remove a worked case',
      tags: ['rules'],
      policy: POLICY,
      params: z.object({ ruleSet, caseId: z.string().regex(/^[a-z0-9.-]+$/) }).strict(),
      response: responses.deleteRuleSetsByRuleSetCasesByCaseId,
      handle: async ({ params, principal, requestId }) =>
        versions.deleteCase({ ruleSet: params.ruleSet, caseId: params.caseId, byUserId: principal.userId, requestId }),
    }),
  ];
}
