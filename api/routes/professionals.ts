import type { Db } from '../../db/connection.js';
import type { ProfessionalRow } from '../../db/rows.js';
import { findProfessional, listProfessionals } from '../../db/professionals.js';
import { employmentsOf } from '../../db/employments.js';
import { deadlinesOf } from '../../db/deadlines.js';
import { trainingRecordsOf } from '../../db/trainingRecords.js';
import { awardedCredentialsOf, presentAward } from '../../db/microCredentials.js';
import { localDateOf } from '../../rules/dates.js';
import { approvedOrganizationsOf, assignedFacilitiesOf } from '../../db/access.js';
import { getSetting } from '../../db/settings.js';
import { complianceAsOf, currentCompliance } from '../../services/compliance.js';
import { DomainError } from '../../services/errors.js';
import { holds, type Principal } from '../access/principal.js';
import { policies, recordViewOf } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { stringify } from 'csv-stringify/sync';
import { transcriptPdf } from '../pdf.js';
import { labelOf, reportWords } from '../../services/reportWords.js';
import { complianceQuery, idParams, searchQuery, transcriptQuery } from '../schemas.js';
import * as responses from '../responses/professionals.js';

/** The organizations whose staff a principal may list; null means everyone. */
async function listableOrganizations(db: Db, principal: Principal): Promise<number[] | null> {
  if (holds(principal, 'admin', 'reviewer', 'policy_staff')) return null;
  const organizations = new Set<number>();
  if (holds(principal, 'director'))
    for (const id of await approvedOrganizationsOf(db, principal.userId)) organizations.add(id);
  if (holds(principal, 'inspector')) {
    if (await getSetting(db, 'inspectors_see_all_facilities')) return null;
    for (const id of await assignedFacilitiesOf(db, principal.userId)) organizations.add(id);
  }
  return [...organizations];
}

/**
 * What a former employer's director or inspector sees of the person beside their dated records:
 * who they are, as the staff report lists them; never their contact details of today.
 */
export const shownAsFormerStaff = (p: ProfessionalRow) => ({
  id: p.id,
  mopd_id: p.mopd_id,
  first_name: p.first_name,
  last_name: p.last_name,
});

export function professionalRoutes({ db, publicUrl }: { db: Db; publicUrl: string }): RouteDefinition[] {
  const professional = async (id: number) => {
    const found = await findProfessional(db, id);
    if (!found) throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');
    return found;
  };
  /** The last day whose records this caller sees (a former employer), or null for all of them. */
  const seenUntil = async (principal: Principal, id: number) => (await recordViewOf(db, principal, id))?.until ?? null;
  return [
    route({
      method: 'get',
      path: '/api/professionals',
      summary: 'Professionals the caller may see, by name or MOPD ID, with their last computed compliance',
      tags: ['registry'],
      policy: policies.roles(
        ['director', 'inspector', 'reviewer', 'policy_staff', 'admin'],
        'Staff-wide roles see everyone; directors and inspectors see the staff of their organizations',
      ),
      query: searchQuery,
      response: responses.getProfessionals,
      handle: async ({ query, principal }) => ({
        professionals: await listProfessionals(db, {
          ...query,
          organizationIds: await listableOrganizations(db, principal),
          employedOn: localDateOf(new Date()),
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id',
      summary: 'A professional and their employments',
      tags: ['registry'],
      policy: policies.professionalRecord('The person themselves, or someone whose scope includes them'),
      params: idParams,
      response: responses.getProfessionalsById,
      handle: async ({ params }) => {
        const found = await professional(params.id);
        return { professional: found, employments: await employmentsOf(db, found.id) };
      },
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/compliance',
      summary:
        'Compliance by requirement and period, as of today or a chosen date, with explanations; a former employer sees it as of the last day worked at most',
      tags: ['compliance'],
      policy: policies.professionalHistory(
        'The person themselves, someone whose scope includes them, or a former employer up to the last day worked',
      ),
      params: idParams,
      query: complianceQuery,
      response: responses.getProfessionalsByIdCompliance,
      handle: async ({ params, query, principal }) => {
        const found = await professional(params.id);
        const until = await seenUntil(principal, found.id);
        if (until !== null)
          return {
            professional: shownAsFormerStaff(found),
            compliance: await complianceAsOf(db, found.id, query.asOf && query.asOf < until ? query.asOf : until),
          };
        const compliance = query.asOf
          ? await complianceAsOf(db, found.id, query.asOf)
          : await currentCompliance(db, found.id);
        return { professional: found, compliance };
      },
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/deadlines',
      summary: 'Hire-date deadlines and where each stands',
      tags: ['compliance'],
      policy: policies.professionalRecord('The person themselves, or someone whose scope includes them'),
      params: idParams,
      response: responses.getProfessionalsByIdDeadlines,
      handle: async ({ params }) => ({ deadlines: await deadlinesOf(db, (await professional(params.id)).id) }),
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/training-records',
      summary:
        'Training records with their credit decisions; a former employer sees those completed up to the last day worked',
      tags: ['registry'],
      policy: policies.professionalHistory(
        'The person themselves, someone whose scope includes them, or a former employer up to the last day worked',
      ),
      params: idParams,
      response: responses.getProfessionalsByIdTrainingRecords,
      handle: async ({ params, principal }) => {
        const found = await professional(params.id);
        const until = await seenUntil(principal, found.id);
        return {
          trainingRecords: (await trainingRecordsOf(db, found.id)).filter(
            (r) => until === null || r.completed_on <= until,
          ),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/transcript',
      summary:
        'The training transcript: every record with its credit decision, and awarded micro-credentials with their verification links, as JSON, CSV or PDF',
      tags: ['registry'],
      policy: policies.professionalHistory(
        'The person themselves, someone whose scope includes them, or a former employer up to the last day worked',
      ),
      params: idParams,
      query: transcriptQuery,
      response: responses.getProfessionalsByIdTranscript,
      produces: 'application/json, text/csv, application/pdf',
      handle: async ({ params, query, res, principal }) => {
        const found = await professional(params.id);
        // A former employer's transcript ends on the last day worked, and stands as it stood then.
        const until = await seenUntil(principal, found.id);
        const records = (await trainingRecordsOf(db, found.id)).filter(
          (r) => until === null || r.completed_on <= until,
        );
        const credentials = (await awardedCredentialsOf(db, found.id))
          .filter((row) => until === null || row.awarded_on <= until)
          .map((row) => presentAward(row, publicUrl, until ?? localDateOf(new Date())));
        if (query.format === 'json')
          return {
            professional: until === null ? found : shownAsFormerStaff(found),
            trainingRecords: records,
            credentials,
          };
        // The PDF and CSV show the name and MOPD ID only.
        if (query.format === 'pdf') {
          res.type('application/pdf');
          res.attachment(`transcript-${found.mopd_id}.pdf`);
          res.send(await transcriptPdf(found, records, new Date(), credentials, principal.language));
          return undefined;
        }
        // Headings and codes in the words of the person downloading; policy text as the rule set says it.
        const words = reportWords[principal.language];
        const rows = records.map((r) => [
          r.completed_on,
          r.title,
          labelOf(words.topics, r.topic),
          labelOf(words.sources, r.source),
          String(r.hours),
          String(r.credited_hours),
          r.credit_reasons.map((reason) => reason.text).join(' '),
          `${r.credit_rule_set} v${r.credit_rule_set_version}`,
          r.time_spent_minutes != null ? String(r.time_spent_minutes) : '',
        ]);
        res.type('text/csv; charset=utf-8');
        res.attachment(`transcript-${found.mopd_id}.csv`);
        // Names and titles are typed by people: a cell starting with = + - @ is quoted so a spreadsheet shows it, never runs it.
        // Micro-credentials follow the training records as a second table, after an empty line.
        const credentialRows = credentials.length
          ? [
              [],
              words.credentialColumns,
              ...credentials.map((c) => [
                c.awardedOn,
                c.title,
                c.areaLabel,
                labelOf(words.awardStatuses, c.status),
                c.expiresOn ?? words.doesNotExpire,
                c.verificationUrl,
              ]),
            ]
          : [];
        res.send(stringify([words.transcriptColumns, ...rows, ...credentialRows], { escape_formulas: true }));
        return undefined;
      },
    }),
  ];
}
