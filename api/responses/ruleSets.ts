/** The answers of the ruleSets routes (api/routes/ruleSets.ts), as the client reads them. */
import { z } from 'zod';
import { CASE_SCOPES } from '../../rules/workedCases.js';
import { PUBLICATION_STATUSES, RULE_SET_STATUSES, SIMULATION_STATUSES } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** A version of a rule set: its standing, who wrote and approved it, and when. */
export const ruleSetVersion = z.object({
  ruleSet: z.string(),
  version: z.number(),
  status: z.enum(RULE_SET_STATUSES),
  effectiveFrom: z.string().nullable(),
  changeNote: z.string(),
  authorUserId: z.number().nullable(),
  basedOnVersion: z.number().nullable(),
  approvedByUserId: z.number().nullable(),
  /** When its publication was approved (by someone who did not draft it, unless one person may). */
  approvedAt: isoDateTime.nullable(),
  /** Everyone who wrote its document: the author and each person who saved it. */
  draftedByUserIds: z.array(z.number()),
  rollbackOfVersion: z.number().nullable(),
  rollbackReason: z.string().nullable(),
  validatedAt: isoDateTime.nullable(),
  publishedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** GET /api/rule-sets/:ruleSet/versions */
export const getRuleSetsByRuleSetVersions = z.object({
  versions: z.array(
    ruleSetVersion.extend({
      author: z.string().nullable(),
      draftedBy: z.array(z.string()),
      approvedBy: z.string().nullable(),
    }),
  ),
  publications: z.array(
    z.object({
      id: z.number(),
      version: z.number(),
      effectiveFrom: z.string(),
      status: z.enum(PUBLICATION_STATUSES),
      total: z.number(),
      done: z.number(),
      changed: z.number(),
    }),
  ),
});

/** GET /api/rule-sets/:ruleSet/versions/:version */
export const getRuleSetsByRuleSetVersionsByVersion = z.object({
  version: ruleSetVersion.extend({
    author: z.string().nullable(),
    draftedBy: z.array(z.string()),
    approvedBy: z.string().nullable(),
  }),
  /** Four eyes: whether the reader may approve its publication now; why not, when they drafted it. */
  approval: z.object({ youMayApprove: z.boolean(), refusal: z.string().nullable() }),
  document: z.unknown(),
  comparedWith: z.number().nullable(),
  diff: shapes.ruleSetDiff.nullable(),
  problems: z.array(shapes.problemValidate),
  cases: z.array(shapes.caseOutcome).nullable(),
});

/** POST /api/rule-sets/:ruleSet/drafts */
export const postRuleSetsByRuleSetDrafts = z.object({ version: z.number() });

/** PUT /api/rule-sets/:ruleSet/versions/:version */
export const putRuleSetsByRuleSetVersionsByVersion = z.object({
  problems: z.array(shapes.problemValidate),
  cases: z.array(shapes.caseOutcome).nullable(),
});

/** POST /api/rule-sets/:ruleSet/versions/:version/validate */
export const postRuleSetsByRuleSetVersionsByVersionValidate = z.object({
  problems: z.array(shapes.problemValidate),
  cases: z.array(shapes.caseOutcome).nullable(),
  status: z.enum(RULE_SET_STATUSES),
});

/** POST /api/rule-sets/:ruleSet/versions/:version/publish */
export const postRuleSetsByRuleSetVersionsByVersionPublish = z.object({
  publicationId: z.number(),
  workflowId: z.string(),
});

/** PUT /api/admin/settings/single-person-publication */
export const putAdminSettingsSinglePersonPublication = z.object({ singlePersonPublication: z.boolean() });

/** POST /api/rule-set-publications/:id/cancel */
export const postRuleSetPublicationsByIdCancel = z.object({ cancelling: z.boolean() });

/** POST /api/rule-sets/:ruleSet/versions/:version/simulations */
export const postRuleSetsByRuleSetVersionsByVersionSimulations = z.object({ simulationId: z.number() });

/** GET /api/rule-set-simulations/:id */
export const getRuleSetSimulationsById = z.object({
  id: z.number(),
  status: z.enum(SIMULATION_STATUSES),
  asOf: z.string(),
  version: z.number(),
  comparedWithVersion: z.number().nullable(),
  total: z.number(),
  done: z.number(),
  error: z.string().nullable(),
  /** When done: who turns each way by organization, region and program type, credit differences, samples. */
  result: z.unknown(),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
});

/** GET /api/rule-set-simulations/:id/people/:professionalId */
export const getRuleSetSimulationsByIdPeopleByProfessionalId = z.object({
  before: shapes.complianceReport,
  after: shapes.complianceReport,
});

/** POST /api/rule-sets/:ruleSet/rollbacks */
export const postRuleSetsByRuleSetRollbacks = z.object({ version: z.number() });

/** GET /api/rule-sets/:ruleSet/cases */
export const getRuleSetsByRuleSetCases = z.object({
  cases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      scope: z.enum(CASE_SCOPES),
      facts: z.record(z.string(), z.unknown()),
      expected: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** PUT /api/rule-sets/:ruleSet/cases/:caseId */
export const putRuleSetsByRuleSetCasesByCaseId = z.object({ saved: z.string() });

/** DELETE /api/rule-sets/:ruleSet/cases/:caseId */
export const deleteRuleSetsByRuleSetCasesByCaseId = z.object({ removed: z.string() });
