import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/connection.js';
import { staffReport, staffReportTable } from '../../services/staffReport.js';
import { localDateOf } from '../../rules/dates.js';
import { canManageOrganization, canReportOn, policies } from '../access/policies.js';
import { holds } from '../access/principal.js';
import { route, type RouteDefinition } from '../access/routes.js';
import {
  idParams,
  newOrganization,
  organizationUpdate,
  staffReportQuery,
  type OrganizationFields,
} from '../schemas.js';
import { staffReportPdf } from '../pdf.js';
import { listOrganizations, listRegistry, type RegistryTable } from '../../db/organizations.js';
import {
  addOrganization,
  addRegistryEntry,
  changeOrganization,
  changeProgramSettings,
  changeRegistryEntry,
  programSettingsHistory,
  recomputeAsOf,
  registryEntries,
} from '../../services/organizations.js';
import * as responses from '../responses/organizations.js';
import { z } from 'zod';
import { REGISTRY_CODE_PATTERN } from '../../rules/domain.js';
import { localDate } from '../schemas.js';

const label = (language: string) =>
  z
    .string({ error: `the ${language} label, as text` })
    .trim()
    .min(1, `the ${language} label is required`)
    .max(120, 'must be at most 120 characters');
const registryEntry = z
  .object({
    code: z
      .string({ error: 'a code, e.g. afterschool' })
      .regex(REGISTRY_CODE_PATTERN, 'lower-case letters, digits and _, starting with a letter (2 to 40)'),
    labelEn: label('English'),
    labelEs: label('Spanish'),
    active: z.boolean({ error: 'true or false' }).optional(),
  })
  .strict();
const registryChange = z
  .object({ labelEn: label('English'), labelEs: label('Spanish'), active: z.boolean({ error: 'true or false' }) })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change');
const codeParams = z.object({ code: z.string().regex(REGISTRY_CODE_PATTERN, 'must be a registry code') }).strict();
const programSettings = z
  .object({
    effectiveFrom: localDate,
    licensed: z.boolean({ error: 'true or false' }),
    licenseExempt: z.boolean({ error: 'true or false' }),
    subsidized: z.boolean({ error: 'true or false' }),
    servesInfants: z.boolean({ error: 'true or false' }),
    contractYearStartMonth: z
      .number({ error: 'a month, 1 to 12' })
      .int('must be a whole number')
      .min(1, 'must be 1 to 12')
      .max(12, 'must be 1 to 12')
      .nullable(),
  })
  .strict();
const recomputeQuery = z.object({ asOf: localDate }).strict();

/** The API's shape of a registry entry. */
const entryOut = (e: { code: string; label_en: string; label_es: string; active: boolean }) => ({
  code: e.code,
  labelEn: e.label_en,
  labelEs: e.label_es,
  active: e.active,
});

/** The registries an admin keeps, by the path that serves each. */
const REGISTRIES: Array<{ path: string; table: RegistryTable; what: string }> = [
  { path: 'program-types', table: 'program_types', what: 'Program types' },
  { path: 'professional-roles', table: 'professional_roles', what: 'Professional roles' },
];

/** The API's names for organization columns. */
const columnsOf = (o: OrganizationFields) => ({
  ...(o.name !== undefined && { name: o.name }),
  ...(o.licenseNumber !== undefined && { license_number: o.licenseNumber }),
  ...(o.licensed !== undefined && { licensed: o.licensed }),
  ...(o.licenseExempt !== undefined && { license_exempt: o.licenseExempt }),
  ...(o.subsidized !== undefined && { subsidized: o.subsidized }),
  ...(o.servesInfants !== undefined && { serves_infants: o.servesInfants }),
  ...(o.contractYearStartMonth !== undefined && { contract_year_start_month: o.contractYearStartMonth }),
  ...(o.addressLine !== undefined && { address_line: o.addressLine }),
  ...(o.city !== undefined && { city: o.city }),
  ...(o.zip !== undefined && { zip: o.zip }),
  ...(o.county !== undefined && { county: o.county }),
  ...(o.region !== undefined && { region: o.region }),
  ...(o.programType !== undefined && { program_type: o.programType }),
});

export function organizationRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    ...REGISTRIES.flatMap(({ path, table, what }) => [
      route({
        method: 'get',
        path: `/api/${path}`,
        summary: `${what} of the registry, with English and Spanish labels (rules name them by code)`,
        tags: ['registry'],
        policy: policies.signedIn('Any signed-in person'),
        response: responses.registryEntries,
        handle: async () => ({ entries: (await registryEntries(db, table)).map(entryOut) }),
      }),
      route({
        method: 'post',
        path: `/api/admin/${path}`,
        summary: `Add to the ${what.toLowerCase()}: a code and labels in English and Spanish`,
        tags: ['admin'],
        policy: policies.admin('Admins'),
        body: registryEntry,
        status: 201,
        response: responses.registryEntryAnswer,
        handle: async ({ body, principal, requestId }) => ({
          entry: entryOut(
            await addRegistryEntry(
              db,
              table,
              { code: body.code, label_en: body.labelEn, label_es: body.labelEs, active: body.active ?? true },
              { actorUserId: principal.userId, requestId },
            ),
          ),
        }),
      }),
      route({
        method: 'patch',
        path: `/api/admin/${path}/:code`,
        summary: `Change a label of the ${what.toLowerCase()}, or whether it is offered (the code stays)`,
        tags: ['admin'],
        policy: policies.admin('Admins'),
        params: codeParams,
        body: registryChange,
        response: responses.registryEntryAnswer,
        handle: async ({ params, body, principal, requestId }) => ({
          entry: entryOut(
            await changeRegistryEntry(
              db,
              table,
              params.code,
              {
                ...(body.labelEn !== undefined && { label_en: body.labelEn }),
                ...(body.labelEs !== undefined && { label_es: body.labelEs }),
                ...(body.active !== undefined && { active: body.active }),
              },
              { actorUserId: principal.userId, requestId },
            ),
          ),
        }),
      }),
    ]),
    route({
      method: 'get',
      path: '/api/admin/organizations/:id/program-settings',
      summary: "An organization's program settings over time: each row in effect from its date",
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      response: responses.programSettingsHistory,
      handle: async ({ params }) => ({ history: await programSettingsHistory(db, params.id) }),
    }),
    route({
      method: 'post',
      path: '/api/admin/organizations/:id/program-settings',
      summary:
        'Record program settings (licensed, license-exempt, subsidized, infants, contract-year month) effective from a date; earlier periods keep theirs',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      body: programSettings,
      status: 201,
      response: responses.programSettingsChanged,
      handle: async ({ params, body, principal, requestId }) =>
        changeProgramSettings(
          db,
          params.id,
          {
            effective_from: body.effectiveFrom,
            licensed: body.licensed,
            license_exempt: body.licenseExempt,
            subsidized: body.subsidized,
            serves_infants: body.servesInfants,
            contract_year_start_month: body.contractYearStartMonth,
          },
          { actorUserId: principal.userId, requestId },
        ),
    }),
    route({
      method: 'post',
      path: '/api/admin/compliance/recompute',
      summary:
        "Recompute everyone's stored compliance (directory, analytics) as of a date, e.g. the first day of a year or contract year",
      tags: ['admin'],
      policy: policies.admin('Admins'),
      query: recomputeQuery,
      response: responses.recomputed,
      handle: async ({ query }) => recomputeAsOf(db, query.asOf),
    }),
    route({
      method: 'get',
      path: '/api/organizations',
      summary: 'Organizations of the registry (public facts: name, license, program type, county)',
      tags: ['registry'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getOrganizations,
      handle: async () => ({ organizations: await listOrganizations(db) }),
    }),
    route({
      method: 'post',
      path: '/api/organizations',
      summary:
        'Add an organization: license, program type (licensed / license-exempt / subsidized), infants, contract year, address, county',
      tags: ['registry'],
      policy: policies.admin('Admins'),
      body: newOrganization,
      status: 201,
      response: responses.postOrganizations,
      handle: async ({ body, principal, requestId }) => ({
        organization: await addOrganization(db, columnsOf(body), { actorUserId: principal.userId, requestId }),
      }),
    }),
    route({
      method: 'patch',
      path: '/api/organizations/:id',
      summary: "Change an organization's facts; its staff's compliance is recomputed when program facts change",
      tags: ['registry'],
      policy: {
        roles: ['director', 'admin'],
        describe: 'A director with an approved claim on it (address and contact facts only), or an admin',
        scope: ({ db: scopeDb, principal, params }) => canManageOrganization(scopeDb, principal, Number(params.id)),
      },
      params: idParams,
      body: organizationUpdate,
      response: responses.patchOrganizationsById,
      handle: async ({ params, body, principal, requestId }) => ({
        organization: await changeOrganization(db, params.id, columnsOf(body), {
          actorUserId: principal.userId,
          isAdmin: holds(principal, 'admin'),
          requestId,
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/reports/organizations',
      summary: 'The organizations whose staff reports the caller may read',
      tags: ['reports'],
      policy: policies.roles(
        ['director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
        'Directors (approved claims), inspectors (assigned facilities), staff-wide roles',
      ),
      response: responses.getReportsOrganizations,
      handle: async ({ principal }) => {
        const all = await listOrganizations(db);
        const visible = [];
        for (const organization of all)
          if (await canReportOn(db, principal, organization.id)) visible.push(organization);
        return { organizations: visible };
      },
    }),
    route({
      method: 'get',
      path: '/api/organizations/:id/staff-report',
      summary:
        'Staff training report as of a date (today by default): hours this period, deficits carried, deadlines, CPR card; JSON, CSV or PDF',
      tags: ['reports'],
      policy: policies.organizationReport(
        'A director with an approved claim on it, an inspector assigned to it (or all, by setting), or staff-wide roles',
      ),
      params: idParams,
      query: staffReportQuery,
      response: responses.getOrganizationsByIdStaffReport,
      produces: 'application/json, text/csv, application/pdf',
      handle: async ({ params, query, res, principal }) => {
        const report = await staffReport(db, params.id, query.asOf ?? localDateOf(new Date()));
        if (query.format === 'json') return { report };
        if (query.format === 'pdf') {
          res.type('application/pdf');
          res.attachment(`staff-report-${report.organization.id}-${report.asOf}.pdf`);
          res.send(await staffReportPdf(report, new Date(), principal.language));
          return undefined;
        }
        res.type('text/csv; charset=utf-8');
        res.attachment(`staff-report-${report.organization.id}-${report.asOf}.csv`);
        // Names and titles are typed by people: a cell starting with = + - @ is quoted so a spreadsheet shows it, never runs it.
        const roles = new Map(
          (await listRegistry(db, 'professional_roles')).map((r) => [
            r.code,
            principal.language === 'es' ? r.label_es : r.label_en,
          ]),
        );
        const table = staffReportTable(report, principal.language, (code) => roles.get(code) ?? code);
        res.send(stringify(table, { escape_formulas: true }));
        return undefined;
      },
    }),
  ];
}
