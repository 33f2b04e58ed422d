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
import { listOrganizations } from '../../db/organizations.js';
import { addOrganization, changeOrganization } from '../../services/organizations.js';
import * as responses from '../responses/organizations.js';

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
});

export function organizationRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
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
      handle: async ({ params, query, res }) => {
        const report = await staffReport(db, params.id, query.asOf ?? localDateOf(new Date()));
        if (query.format === 'json') return { report };
        if (query.format === 'pdf') {
          res.type('application/pdf');
          res.attachment(`staff-report-${report.organization.id}-${report.asOf}.pdf`);
          res.send(await staffReportPdf(report, new Date()));
          return undefined;
        }
        res.type('text/csv; charset=utf-8');
        res.attachment(`staff-report-${report.organization.id}-${report.asOf}.csv`);
        // Names and titles are typed by people: a cell starting with = + - @ is quoted so a spreadsheet shows it, never runs it.
        res.send(stringify(staffReportTable(report), { escape_formulas: true }));
        return undefined;
      },
    }),
  ];
}
