/**
 * The staff training report of one organization as of a date: what a director checks and an
 * inspector reads. Each row is a person employed there on that date, with their compliance
 * computed as of that date and their hire-date deadlines as they stood then.
 */
import type { Db } from '../db/connection.js';
import { findOrganization } from '../db/employments.js';
import type { DeadlineStatus, Language } from '../rules/domain.js';
import type { LocalDate } from '../rules/dates.js';
import { complianceOfMany } from './compliance.js';
import { summarize, type ComplianceSummary } from '../rules/compliance.js';
import { cprCardStandings, type CredentialStanding } from './profile.js';
import { DomainError } from './errors.js';
import { fillWords, labelOf, reportWords } from './reportWords.js';

export interface StaffReportRow {
  professionalId: number;
  mopdId: string;
  name: string;
  role: string;
  hireDate: LocalDate;
  compliant: boolean;
  requirements: ComplianceSummary['requirements'];
  deadlines: Array<{ label: string; dueOn: LocalDate; status: DeadlineStatus }>;
  clearedForSoleSupervision: boolean | null;
  cprCard: Pick<CredentialStanding, 'status' | 'issuer' | 'expiresOn'>;
}

export interface StaffReport {
  organization: {
    id: number;
    name: string;
    licenseNumber: string | null;
    county: string;
    region: string | null;
    address: string | null;
  };
  asOf: LocalDate;
  ruleSet: string | null;
  ruleSetVersion: number | null;
  staff: StaffReportRow[];
}

/** A deadline's standing on a past date, from its due date and the training that met it. */
function deadlineStatusOn(
  d: { due_on: string; status: DeadlineStatus; met_on: string | null; end_date: string | null },
  asOf: LocalDate,
): DeadlineStatus {
  if (d.met_on && d.met_on <= asOf) return d.met_on <= d.due_on ? 'met' : 'met_late';
  if (d.status === 'cancelled' && d.end_date && d.end_date <= asOf) return 'cancelled';
  return d.due_on < asOf ? 'overdue' : 'open';
}

export async function staffReport(db: Db, organizationId: number, asOf: LocalDate): Promise<StaffReport> {
  const organization = await findOrganization(db, organizationId);
  if (!organization) throw new DomainError('NotFound', `No organization with id ${organizationId}`, 'id');
  const staff: Array<{
    professional_id: number;
    mopd_id: string;
    first_name: string;
    last_name: string;
    role: string;
    hire_date: string;
  }> = await db('employments as e')
    .join('professionals as p', 'p.id', 'e.professional_id')
    .where('e.organization_id', organizationId)
    .where('e.hire_date', '<=', asOf)
    .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', asOf))
    // One row per person: someone who left and was hired again, or holds two roles, is listed once,
    // with the employment that began last on or before the date.
    .distinctOn('p.last_name', 'p.first_name', 'e.professional_id')
    .orderBy([
      { column: 'p.last_name' },
      { column: 'p.first_name' },
      { column: 'e.professional_id' },
      { column: 'e.hire_date', order: 'desc' },
    ])
    .select('e.professional_id', 'p.mopd_id', 'p.first_name', 'p.last_name', 'e.role', 'e.hire_date');

  const deadlines: Array<{
    professional_id: number;
    label: string;
    due_on: string;
    status: DeadlineStatus;
    met_on: string | null;
    end_date: string | null;
  }> = await db('deadlines as d')
    .join('employments as e', 'e.id', 'd.employment_id')
    .leftJoin('training_records as t', 't.id', 'd.met_by_training_record_id')
    .where('d.organization_id', organizationId)
    .where('d.starts_on', '<=', asOf)
    .select('d.professional_id', 'd.label', 'd.due_on', 'd.status', 't.completed_on as met_on', 'e.end_date');

  let ruleSet: string | null = null;
  let ruleSetVersion: number | null = null;
  const ids = [...new Set(staff.map((s) => s.professional_id))];
  const [compliances, cards] = await Promise.all([complianceOfMany(db, ids, asOf), cprCardStandings(db, ids, asOf)]);
  const rows: StaffReportRow[] = [];
  for (const person of staff) {
    const compliance = compliances.get(person.professional_id)!;
    const card = cards.get(person.professional_id)!;
    ruleSet = compliance.ruleSet;
    ruleSetVersion = compliance.ruleSetVersion;
    const prerequisites = compliance.prerequisites.filter((p) => p.organizationIds.includes(organizationId));
    rows.push({
      professionalId: person.professional_id,
      mopdId: person.mopd_id,
      name: `${person.first_name} ${person.last_name}`,
      role: person.role,
      hireDate: person.hire_date,
      compliant: compliance.compliant,
      requirements: summarize(compliance).requirements,
      // A refresher due again (every few years) reads as a deadline: its next due date and where it stands.
      deadlines: deadlines
        .filter((d) => d.professional_id === person.professional_id)
        .map((d) => ({ label: d.label, dueOn: d.due_on, status: deadlineStatusOn(d, asOf) }))
        .concat(
          compliance.refreshers
            .filter((r) => r.organizationIds.includes(organizationId))
            .map((r) => ({ label: r.label, dueOn: r.dueOn, status: r.status })),
        ),
      clearedForSoleSupervision: prerequisites.length ? prerequisites.every((p) => p.met) : null,
      cprCard: { status: card.status, issuer: card.issuer, expiresOn: card.expiresOn },
    });
  }
  return {
    organization: {
      id: organization.id,
      name: organization.name,
      licenseNumber: organization.license_number,
      county: organization.county,
      region: organization.region,
      address: [organization.address_line, organization.city, organization.zip].filter(Boolean).join(', ') || null,
    },
    asOf,
    ruleSet,
    ruleSetVersion,
    staff: rows,
  };
}

/** The report as CSV rows: one row per person and requirement, deadlines joined in one cell. */
/**
 * The report as a table (the CSV), in the words of the person downloading: headings, statuses and
 * the role's registry label in their language; a requirement's or deadline's label as the rule set
 * says it. `roleLabel` names a role's code (unknown codes stay as they are).
 */
export function staffReportTable(
  report: StaffReport,
  language: Language = 'en',
  roleLabel: (code: string) => string = (code) => code,
): string[][] {
  const words = reportWords[language];
  const yesNo = (value: boolean) => (value ? words.yes : words.no);
  const rows = report.staff.flatMap((s) => {
    const deadlines = s.deadlines
      .map((d) =>
        fillWords(words.deadlineCell, {
          label: d.label,
          status: labelOf(words.deadlineStatuses, d.status),
          dueOn: d.dueOn,
        }),
      )
      .join('; ');
    const cleared = s.clearedForSoleSupervision === null ? '' : yesNo(s.clearedForSoleSupervision);
    const requirements = s.requirements.length ? s.requirements : [null];
    return requirements.map((r) => [
      s.mopdId,
      s.name,
      roleLabel(s.role),
      s.hireDate,
      yesNo(s.compliant),
      r?.label ?? '',
      r?.period ?? '',
      r ? String(r.required) : '',
      r ? String(r.applied) : '',
      r ? labelOf(words.periodStatuses, r.status) : '',
      r ? String(r.deficitsCarried) : '',
      deadlines,
      cleared,
      labelOf(words.cardStatuses, s.cprCard.status),
      s.cprCard.expiresOn ?? '',
    ]);
  });
  return [words.staffReportColumns, ...rows];
}
