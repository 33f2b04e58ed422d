import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/connection.js';
import { staffReport, staffReportTable } from '../../services/staffReport.js';
import { localDateOf } from '../../rules/dates.js';
import { canManageOrganization, canReportOn, policies } from '../access/policies.js';
import { holds } from '../access/principal.js';
import { refreshCompliance } from '../../services/compliance.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams, newOrganization, organizationUpdate, staffReportQuery, type OrganizationFields } from '../schemas.js';
import { staffReportPdf } from '../pdf.js';
import { audit } from '../../db/audit.js';
import { findOrganization } from '../../db/employments.js';
import { DomainError } from '../../services/errors.js';
import type { OrganizationRow } from '../../db/rows.js';
import * as responses from '../responses/organizations.js';

const ORGANIZATION_COLUMNS = [
  'id',
  'name',
  'license_number',
  'licensed',
  'license_exempt',
  'subsidized',
  'serves_infants',
  'contract_year_start_month',
  'address_line',
  'city',
  'zip',
  'county',
  'region',
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
});

/** Program facts that must agree with each other, checked on the record as it would be saved. */
function checkProgram(o: { licensed: boolean; license_exempt: boolean; subsidized: boolean; contract_year_start_month: number | null; license_number: string | null }): void {
  if (o.licensed && o.license_exempt) throw new DomainError('Invalid', 'a program is either licensed or license-exempt, not both', 'licenseExempt');
  if (o.licensed && !o.license_number) throw new DomainError('Invalid', 'is required for a licensed program', 'licenseNumber');
  if (o.subsidized && o.contract_year_start_month === null) throw new DomainError('Invalid', 'is required for a subsidized program (the month its contract year starts)', 'contractYearStartMonth');
}

export function organizationRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/organizations',
      summary: 'Organizations of the registry (public facts: name, license, program type, county)',
      tags: ['registry'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getOrganizations,
      handle: async () => ({ organizations: await db('organizations').select(ORGANIZATION_COLUMNS).orderBy('name') }),
    }),
    route({
      method: 'post',
      path: '/api/organizations',
      summary: 'Add an organization: license, program type (licensed / license-exempt / subsidized), infants, contract year, address, county',
      tags: ['registry'],
      policy: policies.admin('Admins'),
      body: newOrganization,
      status: 201,
      response: responses.postOrganizations,
      handle: async ({ body, principal, requestId }) =>
        db.transaction(async (trx) => {
          const row = { license_number: null, license_exempt: false, serves_infants: false, contract_year_start_month: null, ...columnsOf(body) } as OrganizationRow;
          checkProgram(row);
          const [organization] = await trx('organizations').insert(row).returning(ORGANIZATION_COLUMNS);
          await audit(trx, { actorUserId: principal.userId, action: 'organization.created', entity: 'organization', entityId: organization.id, after: organization, requestId });
          return { organization };
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
      handle: async ({ params, body, principal, requestId }) =>
        db.transaction(async (trx) => {
          const before = await findOrganization(trx, params.id);
          if (!before) throw new DomainError('NotFound', `No organization with id ${params.id}`, 'id');
          const changes = columnsOf(body);
          const programFields = ['name', 'license_number', 'licensed', 'license_exempt', 'subsidized', 'serves_infants', 'contract_year_start_month'];
          const changedProgram = Object.keys(changes).find((key) => programFields.includes(key));
          if (changedProgram && !holds(principal, 'admin')) {
            throw new DomainError('Forbidden', 'Only an admin changes the license and program facts; directors change the address', changedProgram);
          }
          checkProgram({ ...before, ...changes });
          const [organization] = await trx('organizations').where({ id: params.id }).update({ ...changes, updated_at: trx.fn.now() }).returning(ORGANIZATION_COLUMNS);
          await audit(trx, { actorUserId: principal.userId, action: 'organization.changed', entity: 'organization', entityId: params.id, before, after: organization, requestId });
          if (changedProgram) {
            const staff: Array<{ professional_id: number }> = await trx('employments').where({ organization_id: params.id }).distinct('professional_id');
            for (const { professional_id } of staff) await refreshCompliance(trx, professional_id);
          }
          return { organization };
        }),
    }),
    route({
      method: 'get',
      path: '/api/reports/organizations',
      summary: 'The organizations whose staff reports the caller may read',
      tags: ['reports'],
      policy: policies.roles(['director', 'inspector', 'reviewer', 'policy_staff', 'admin'], 'Directors (approved claims), inspectors (assigned facilities), staff-wide roles'),
      response: responses.getReportsOrganizations,
      handle: async ({ principal }) => {
        const all: Array<{ id: number }> = await db('organizations').select(ORGANIZATION_COLUMNS).orderBy('name');
        const visible = [];
        for (const organization of all) if (await canReportOn(db, principal, organization.id)) visible.push(organization);
        return { organizations: visible };
      },
    }),
    route({
      method: 'get',
      path: '/api/organizations/:id/staff-report',
      summary: 'Staff training report as of a date (today by default): hours this period, deficits carried, deadlines, CPR card; JSON, CSV or PDF',
      tags: ['reports'],
      policy: policies.organizationReport('A director with an approved claim on it, an inspector assigned to it (or all, by setting), or staff-wide roles'),
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
