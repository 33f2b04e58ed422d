/**
 * What a reviewer needs to decide a case with the facts in front of them: everything submitted,
 * per case type (one entry per type, like the case-kind registry, so a new type does not compile
 * until its page says what it shows); the actions the reader may take now (the same rules the
 * case workflow's validators apply, so the page offers nothing the workflow would refuse); and the
 * service-level state as age and lateness in working days.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import type { CaseOf, CaseRow } from '../db/cases.js';
import { isLeadReviewer, documentsOfCase } from '../db/cases.js';
import { employmentsOf, findOrganization } from '../db/employments.js';
import { getSetting } from '../db/settings.js';
import { audit } from '../db/audit.js';
import { findMicroCredential } from '../rules/microCredentials.js';
import { workingMinutesBetween, workingMinutesPerDay, type BusinessCalendar } from '../rules/businessCalendar.js';
import { localDateOf } from '../rules/dates.js';
import { OPEN_CASE_STATUSES, type CaseType } from '../rules/domain.js';
import type { CASE_KINDS } from './caseKinds/index.js';
import { DomainError } from './errors.js';

/** What a reader may do on a case now. */
export const CASE_ACTIONS = [
  'claim',
  'release',
  'requestInformation',
  'approve',
  'deny',
  'recheck',
  'reassign',
  'answer',
  'withdraw',
  'message',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * The actions a person may take on a case now: what the case workflow's validators would accept
 * (workflows/approvalCase/updates.ts), for the page to offer only those.
 */
export function allowedCaseActions(
  c: Pick<CaseRow, 'status' | 'applicant_user_id' | 'assignee_user_id'>,
  who: { userId: number; reviews: boolean; leads: boolean },
): CaseAction[] {
  const open = (OPEN_CASE_STATUSES as readonly string[]).includes(c.status);
  const isApplicant = c.applicant_user_id === who.userId;
  const actions: CaseAction[] = [];
  if (isApplicant) {
    if (c.status === 'information_requested') actions.push('answer');
    if (open) actions.push('withdraw', 'message');
    return actions;
  }
  if (!who.reviews) return actions;
  const holds = c.assignee_user_id === who.userId;
  if (c.status === 'in_review' && c.assignee_user_id === null) actions.push('claim');
  if (c.status === 'in_review' && holds) actions.push('requestInformation', 'approve', 'deny', 'recheck', 'release');
  if (who.leads && (c.status === 'in_review' || c.status === 'information_requested')) actions.push('reassign');
  if (open) actions.push('message');
  return actions;
}

export type ServiceState = 'overdue' | 'due_today' | 'due_this_week' | 'on_time' | 'waiting_for_applicant' | 'closed';

/** Age and lateness of a case in working days, on the business calendar. */
export function serviceLevelOf(
  c: Pick<CaseRow, 'status' | 'submitted_at' | 'due_at' | 'information_due_at' | 'decided_at'>,
  now: Date,
  calendar: BusinessCalendar,
) {
  const perDay = workingMinutesPerDay(calendar);
  const open = (OPEN_CASE_STATUSES as readonly string[]).includes(c.status);
  const end = open ? now : (c.decided_at ?? now);
  const ageWorkingDays = Math.floor(workingMinutesBetween(c.submitted_at, end, calendar) / perDay);
  const ageDays = Math.max(0, Math.floor((end.getTime() - c.submitted_at.getTime()) / 86_400_000));
  const dueOn = c.due_at ? localDateOf(c.due_at) : null;
  // An answer is due by the end of the day before the instant the case lapses.
  const informationDueOn = c.information_due_at ? localDateOf(new Date(c.information_due_at.getTime() - 1)) : null;
  let state: ServiceState = 'closed';
  let overdueWorkingDays = 0;
  let workingDaysLeft: number | null = null;
  if (c.status === 'information_requested') state = 'waiting_for_applicant';
  else if (open && c.due_at) {
    if (c.due_at <= now) {
      state = 'overdue';
      overdueWorkingDays = Math.max(1, Math.ceil(workingMinutesBetween(c.due_at, now, calendar) / perDay));
    } else {
      workingDaysLeft = Math.ceil(workingMinutesBetween(now, c.due_at, calendar) / perDay);
      state = dueOn === localDateOf(now) ? 'due_today' : workingDaysLeft <= 5 ? 'due_this_week' : 'on_time';
    }
  } else if (open) state = 'on_time';
  return { state, ageDays, ageWorkingDays, dueOn, overdueWorkingDays, workingDaysLeft, informationDueOn };
}

type Reader = (db: Db, c: CaseRow) => Promise<Record<string, unknown>>;
const as = <T extends CaseType>(read: (db: Db, c: CaseOf<T>) => Promise<Record<string, unknown>>) =>
  read as unknown as Reader;

/** Documents of the case with a link each, for the page. */
async function linkedDocuments(db: Db, caseId: number) {
  return (await documentsOfCase(db, caseId)).map((d) => ({
    uploadId: d.upload_id,
    label: d.label,
    name: d.original_name,
    mediaType: d.media_type,
    href: `/api/uploads/${d.upload_id}`,
  }));
}

/** The people who direct an organization now: approved claims in MOPD and director employments. */
async function directorsNow(db: Db, organizationId: number, today: string) {
  const claimed: Array<{ user_id: number; name: string; since: Date | null }> = await db('organization_claims as oc')
    .join('users as u', 'u.id', 'oc.director_user_id')
    .where({ 'oc.organization_id': organizationId, 'oc.status': 'approved' })
    .select('u.id as user_id', 'u.display_name as name', 'oc.decided_at as since');
  const employed: Array<{ professional_id: number; user_id: number | null; name: string; since: string }> = await db(
    'employments as e',
  )
    .join('professionals as p', 'p.id', 'e.professional_id')
    .leftJoin('users as u', 'u.professional_id', 'p.id')
    .where({ 'e.organization_id': organizationId, 'e.role': 'director' })
    .where('e.hire_date', '<=', today)
    .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', today))
    .select(
      'p.id as professional_id',
      'u.id as user_id',
      db.raw("p.first_name || ' ' || p.last_name AS name"),
      'e.hire_date as since',
    );
  return [
    ...claimed.map((d) => ({
      userId: Number(d.user_id),
      name: d.name,
      how: 'claim' as const,
      since: d.since ? localDateOf(d.since) : null,
    })),
    ...employed
      .filter((e) => !claimed.some((d) => e.user_id !== null && Number(d.user_id) === Number(e.user_id)))
      .map((e) => ({
        userId: e.user_id === null ? null : Number(e.user_id),
        name: e.name,
        how: 'employment' as const,
        since: e.since,
      })),
  ];
}

/** Everything submitted, per case type. */
const DETAILS = {
  course_approval: as<'course_approval'>(async (db, c) => {
    const s = c.submission;
    return {
      title: s.title,
      description: s.description,
      sponsor: s.sponsor,
      topic: s.topic,
      level: s.level,
      clockHours: s.clockHours,
      delivery: s.delivery,
      inPersonHours: s.inPersonHours ?? null,
      cprModel: s.cprModel ?? null,
      feeCents: s.feeCents,
      materials: s.materials ?? '',
      onlineTime:
        s.delivery === 'online'
          ? {
              minimumMinutes: s.minimumMinutes ?? s.clockHours * 60,
              knowledgeCheckAttempts: s.knowledgeCheckAttempts ?? 3,
              knowledgeCheckWaitMinutes: s.knowledgeCheckWaitMinutes ?? 10,
            }
          : null,
      documents: await linkedDocuments(db, c.id),
    };
  }),
  trainer_application: as<'trainer_application'>(async (db, c) => {
    const s = c.submission;
    const documents = await linkedDocuments(db, c.id);
    return {
      qualifications: s.qualifications,
      education: s.education,
      experience: s.experience,
      specialties: s.specialties,
      regions: s.regions ?? [],
      certifications: (s.certifications ?? []).map((cert) => ({
        model: cert.model,
        expiresOn: cert.expiresOn,
        document: documents.find((d) => d.uploadId === cert.uploadId) ?? null,
      })),
      documents,
    };
  }),
  training_request: as<'training_request'>(async (db, c) => {
    const s = c.submission;
    return {
      title: s.title,
      provider: s.provider,
      topic: s.topic,
      completedOn: s.completedOn,
      hours: s.hours,
      delivery: s.delivery,
      inPersonHours: s.inPersonHours ?? null,
      cprModel: s.cprModel ?? null,
      evidence: await linkedDocuments(db, c.id),
    };
  }),
  organization_claim: as<'organization_claim'>(async (db, c) => {
    const s = c.submission;
    const today = localDateOf(new Date());
    const organization = await findOrganization(db, s.organizationId);
    const user = await db('users')
      .where({ id: c.applicant_user_id })
      .first<{ display_name: string; email: string; professional_id: number | null }>(
        'display_name',
        'email',
        'professional_id',
      );
    const employments = user?.professional_id ? await employmentsOf(db, Number(user.professional_id)) : [];
    const current = employments
      .filter((e) => e.hire_date <= today && (!e.end_date || e.end_date >= today))
      .map((e) => ({
        organizationId: Number(e.organization_id),
        organizationName: e.organization.name,
        role: e.role,
        hireDate: e.hire_date,
      }));
    const directors = (await directorsNow(db, s.organizationId, today)).filter((d) => d.userId !== c.applicant_user_id);
    const elsewhere = current.filter((e) => e.organizationId !== s.organizationId);
    const warnings: Array<{ code: 'organization-has-director' | 'applicant-works-elsewhere'; names: string[] }> = [];
    if (directors.length > 0) warnings.push({ code: 'organization-has-director', names: directors.map((d) => d.name) });
    if (elsewhere.length > 0)
      warnings.push({ code: 'applicant-works-elsewhere', names: elsewhere.map((e) => e.organizationName) });
    return {
      organization: organization
        ? {
            id: Number(organization.id),
            name: organization.name,
            county: organization.county,
            region: organization.region ?? null,
            licensed: organization.licensed,
          }
        : null,
      position: s.position,
      message: s.message ?? '',
      applicant: {
        name: user?.display_name ?? '',
        email: user?.email ?? '',
        professionalId: user?.professional_id ? Number(user.professional_id) : null,
        currentEmployment: current,
      },
      existingDirectors: directors,
      warnings,
    };
  }),
  micro_credential: as<'micro_credential'>(async (db, c) => {
    const s = c.submission;
    return {
      credentialId: s.credentialId,
      credentialTitle: findMicroCredential(s.catalogVersion, s.credentialId)?.title ?? s.credentialId,
      reflection: s.reflection,
      documents: await linkedDocuments(db, c.id),
    };
  }),
} satisfies { [T in keyof typeof CASE_KINDS]: Reader };

/** The case page's submission, tagged by its type. */
export async function submissionDetails(db: Db, c: CaseRow) {
  return { type: c.type, ...(await DETAILS[c.type](db, c)) };
}

/** Who the reader is to a case: whether they review and lead. */
export async function readerOf(db: Db, userId: number, roles: readonly string[]) {
  const admin = roles.includes('admin');
  const reviews = admin || roles.includes('reviewer');
  return { userId, reviews, leads: admin || (reviews && (await isLeadReviewer(db, userId))) };
}

/** The case page's service level: on the registry's business calendar. */
export async function caseServiceLevel(db: Db, c: CaseRow, now = new Date()) {
  return serviceLevelOf(c, now, await getSetting(db, 'business_calendar'));
}

/**
 * Assigns many cases to one reviewer at once (a lead reviewer's work): each through the case's
 * workflow like a single reassignment (its timeline says so), each audited with the lead's name.
 * Answers per case whether it was assigned or why not.
 */
export async function assignCases(
  db: Db | Knex,
  input: {
    caseIds: number[];
    toUserId: number;
    byUserId: number;
    requestId?: string;
    reassign: (workflowId: string, caseId: number) => Promise<unknown>;
  },
): Promise<Array<{ caseId: number; assigned: boolean; error: string | null }>> {
  const results: Array<{ caseId: number; assigned: boolean; error: string | null }> = [];
  for (const caseId of [...new Set(input.caseIds)]) {
    const c = await db('cases')
      .where({ id: caseId })
      .first<{ id: number; workflow_id: string; assignee_user_id: number | null } | undefined>(
        'id',
        'workflow_id',
        'assignee_user_id',
      );
    if (!c) {
      results.push({ caseId, assigned: false, error: `No case ${caseId}` });
      continue;
    }
    try {
      await input.reassign(c.workflow_id, caseId);
      await audit(db, {
        actorUserId: input.byUserId,
        action: 'case.assigned',
        entity: 'case',
        entityId: caseId,
        before: { assigneeUserId: c.assignee_user_id },
        after: { assigneeUserId: input.toUserId, bulk: true },
        requestId: input.requestId ?? null,
      });
      results.push({ caseId, assigned: true, error: null });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      results.push({ caseId, assigned: false, error: e.message });
    }
  }
  return results;
}
