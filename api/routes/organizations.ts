import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/connection.js';
import { staffReport, staffReportTable } from '../../activities/staffReport.js';
import { localDateOf } from '../../rules/dates.js';
import { canReportOn, policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams, staffReportQuery } from '../schemas.js';

const ORGANIZATION_COLUMNS = ['id', 'name', 'license_number', 'licensed', 'subsidized', 'serves_infants', 'contract_year_start_month', 'county'];

export function organizationRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/organizations',
      summary: 'Organizations of the registry (public facts: name, license, program type, county)',
      tags: ['registry'],
      policy: policies.signedIn('Any signed-in person'),
      handle: async () => ({ organizations: await db('organizations').select(ORGANIZATION_COLUMNS).orderBy('name') }),
    }),
    route({
      method: 'get',
      path: '/api/reports/organizations',
      summary: 'The organizations whose staff reports the caller may read',
      tags: ['reports'],
      policy: policies.roles(['director', 'inspector', 'reviewer', 'policy_staff', 'admin'], 'Directors (approved claims), inspectors (assigned facilities), staff-wide roles'),
      handle: async ({ principal }) => {
        const all: Array<{ id: number }> = await db('organizations').select(ORGANIZATION_COLUMNS).orderBy('name');
        const visible = [];
        for (const organization of all) if (await canReportOn(db, principal!, organization.id)) visible.push(organization);
        return { organizations: visible };
      },
    }),
    route({
      method: 'get',
      path: '/api/organizations/:id/staff-report',
      summary: 'Staff training report as of a date (today by default): hours this period, deficits carried, deadlines; JSON or CSV',
      tags: ['reports'],
      policy: policies.organizationReport('A director with an approved claim on it, an inspector assigned to it (or all, by setting), or staff-wide roles'),
      params: idParams,
      query: staffReportQuery,
      handle: async ({ params, query, res }) => {
        const report = await staffReport(db, params.id, query.asOf ?? localDateOf(new Date()));
        if (query.format === 'json') return { report };
        res.type('text/csv; charset=utf-8');
        res.attachment(`staff-report-${report.organization.id}-${report.asOf}.csv`);
        res.send(stringify(staffReportTable(report)));
        return undefined;
      },
    }),
  ];
}
