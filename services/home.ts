/**
 * The first page after sign-in: one section for each role the person holds, each answering
 * "what needs me today". Compliance, recommendations, registrations, staff reports and health
 * come from the services that own them; the rest from db/home.ts.
 */
import type { Db } from '../db/connection.js';
import { deadlinesOf } from '../db/deadlines.js';
import { registrationsOfProfessional } from '../db/registrations.js';
import { enrollmentsOfProfessional } from '../db/onlineCourses.js';
import { approvedOrganizationsOf, assignedFacilitiesOf } from '../db/access.js';
import { isLeadReviewer, reviewersWithWorkload } from '../db/cases.js';
import * as home from '../db/home.js';
import { addDays, compareDates, daysBetween, localDateOf, type LocalDate } from '../rules/dates.js';
import type { DeadlineStatus, Role } from '../rules/domain.js';
import { currentCompliance, complianceOfMany } from './compliance.js';
import { hourGapsOf, recommendationsFor } from './recommendations.js';
import { paceFactsOf, staffFallingShort } from './forecast.js';
import { staffReport } from './staffReport.js';

const NEW_HIRE_DAYS = 30;
/** A CPR card's standings a director must act on. */
const CARD_NEEDS_ACTION = ['expiring', 'expired', 'unverified'] as const;

export interface HomeContext {
  userId: number;
  professionalId: number | null;
  roles: readonly Role[];
  now: Date;
  /** Dependency health for the admin's section (the same probes as /api/admin/health). */
  health?: () => Promise<{
    status: 'ok' | 'degraded';
    dependencies: Record<string, { ok: boolean; ms: number; error?: string }>;
  }>;
  /** Roles that require two-step sign-in. */
  mfaRoles: readonly Role[];
}

async function professionalSection(db: Db, professionalId: number, now: Date) {
  const today = localDateOf(now);
  const [compliance, deadlines, registrations, enrollments, recommendations] = await Promise.all([
    currentCompliance(db, professionalId, now),
    deadlinesOf(db, professionalId),
    registrationsOfProfessional(db, professionalId, { withOnlineUrl: false }),
    enrollmentsOfProfessional(db, professionalId),
    // A missing catalog or profile must not take the whole home page down.
    recommendationsFor(db, professionalId, { now }).catch(() => ({ recommendations: [] })),
  ]);
  const requirements = compliance.requirements.map((r) => {
    const current =
      r.periods.find((p) => compareDates(p.start, today) <= 0 && compareDates(today, p.end) <= 0) ?? r.periods.at(-1);
    return {
      requirement: r.requirement,
      label: r.label,
      period: r.period,
      periodLabel: current?.label ?? null,
      start: current?.start ?? null,
      end: current?.end ?? null,
      required: current?.required ?? 0,
      applied: current?.applied ?? 0,
      stillNeeded: current ? Math.max(0, Math.round((current.required - current.applied) * 100) / 100) : 0,
      status: current?.status ?? 'met',
      daysLeft: current ? daysBetween(today, current.end) : null,
    };
  });
  return {
    role: 'professional' as const,
    professionalId,
    asOf: today,
    compliant: compliance.compliant,
    requirements,
    deadlines: deadlines
      .filter((d) => d.status === 'open' || d.status === 'overdue')
      .map((d) => ({
        id: d.id,
        label: d.label,
        dueOn: d.due_on,
        status: d.status,
        daysLeft: daysBetween(today, d.due_on),
      })),
    registrations: registrations
      .filter((r) => {
        const ends = r.lastSessionAt ?? r.firstSessionAt;
        return ends === null || new Date(ends).getTime() >= now.getTime();
      })
      .slice(0, 6)
      .map((r) => ({
        id: r.id,
        status: r.status,
        eventId: r.eventId,
        title: r.title,
        firstSessionAt: r.firstSessionAt,
        city: r.city,
      })),
    enrollments: enrollments
      .filter((e) => e.status !== 'completed')
      .slice(0, 5)
      .map((e) => ({ id: e.id, status: e.status, courseId: e.courseId, title: e.title, registeredOn: e.registeredOn })),
    recommendations: recommendations.recommendations.slice(0, 3).map((r) => ({
      kind: r.kind,
      id: r.id,
      courseId: r.courseId,
      title: r.title,
      topicLabel: r.topicLabel,
      delivery: r.delivery,
      creditedHours: r.creditedHours,
      startsOn: r.startsOn,
      feeCents: r.feeCents,
    })),
  };
}

type AtRisk = {
  professionalId: number;
  name: string;
  organizationId: number;
  organizationName: string;
  kind: 'hours_short' | 'deadline_overdue' | 'deadline_soon' | 'cpr_card';
  label: string;
  hoursShort: number | null;
  dueOn: LocalDate | null;
  daysLeft: number | null;
  cardStatus: string | null;
};

async function directorSection(db: Db, userId: number, now: Date) {
  const today = localDateOf(now);
  const organizationIds = (await approvedOrganizationsOf(db, userId)).slice(0, 10);
  const names = await home.organizationNames(db, organizationIds);
  const reports = await Promise.all(organizationIds.map((id) => staffReport(db, id, today)));
  const ids = [...new Set(reports.flatMap((r) => r.staff.map((s) => s.professionalId)))];
  const [compliances, paces] = await Promise.all([complianceOfMany(db, ids, today), paceFactsOf(db, ids, today)]);
  const atRisk: AtRisk[] = [];
  for (const report of reports) {
    const organizationName = report.organization.name;
    for (const person of report.staff) {
      const base = {
        professionalId: person.professionalId,
        name: person.name,
        organizationId: report.organization.id,
        organizationName,
      };
      const compliance = compliances.get(person.professionalId);
      for (const gap of compliance ? hourGapsOf(compliance, today) : [])
        atRisk.push({
          ...base,
          kind: 'hours_short',
          label: gap.label,
          hoursShort: gap.hoursShort,
          dueOn: gap.periodEnd,
          daysLeft: daysBetween(today, gap.periodEnd),
          cardStatus: null,
        });
      for (const d of person.deadlines) {
        const overdue = d.status === 'overdue';
        const soon = d.status === 'open' && daysBetween(today, d.dueOn) <= 30;
        if (overdue || soon)
          atRisk.push({
            ...base,
            kind: overdue ? 'deadline_overdue' : 'deadline_soon',
            label: d.label,
            hoursShort: null,
            dueOn: d.dueOn,
            daysLeft: daysBetween(today, d.dueOn),
            cardStatus: null,
          });
      }
      if ((CARD_NEEDS_ACTION as readonly string[]).includes(person.cprCard.status))
        atRisk.push({
          ...base,
          kind: 'cpr_card',
          label: person.cprCard.issuer ?? '',
          hoursShort: null,
          dueOn: person.cprCard.expiresOn,
          daysLeft: person.cprCard.expiresOn ? daysBetween(today, person.cprCard.expiresOn) : null,
          cardStatus: person.cprCard.status,
        });
    }
  }
  // Overdue first, then by the days left.
  atRisk.sort((a, b) => (a.daysLeft ?? 9999) - (b.daysLeft ?? 9999) || a.name.localeCompare(b.name));
  const [hires, registrations] = await Promise.all([
    organizationIds.length ? home.hiresSince(db, organizationIds, addDays(today, -NEW_HIRE_DAYS), today) : [],
    organizationIds.length ? home.recentStaffRegistrations(db, organizationIds, today) : [],
  ]);
  return {
    role: 'director' as const,
    organizations: organizationIds.map((id) => ({
      id,
      name: names.get(id) ?? '',
      staff: reports.find((r) => r.organization.id === id)?.staff.length ?? 0,
    })),
    atRisk: atRisk.slice(0, 25),
    // At each person's pace of the last twelve months, who will not make an hours requirement by its period's end.
    forecast: reports.map((report) => ({
      organizationId: report.organization.id,
      organizationName: report.organization.name,
      fallingShort: staffFallingShort(
        report.staff.map((s) => ({
          professionalId: s.professionalId,
          name: s.name,
          organizationId: report.organization.id,
          organizationName: report.organization.name,
        })),
        compliances,
        paces,
        today,
      )
        .slice(0, 50)
        .map((f) => ({
          professionalId: f.professionalId,
          name: f.name,
          label: f.label,
          periodEnd: f.periodEnd,
          stillNeeded: f.stillNeeded,
          daysLeft: f.daysLeft,
          projectedShortfall: f.projectedShortfall,
          verdict: f.verdict,
          paceBasis: f.paceBasis,
        })),
    })),
    newHires: hires.map((h) => ({
      ...h,
      organizationName: names.get(h.organizationId) ?? '',
      daysSinceHire: daysBetween(h.hireDate, today),
    })),
    recentRegistrations: registrations,
  };
}

async function trainerSection(db: Db, userId: number, now: Date) {
  const [cases, upcoming, waiting, unread] = await Promise.all([
    home.casesAppliedFor(db, userId),
    home.upcomingEventsOfTrainer(db, userId, now),
    home.attendanceWaitingOf(db, userId, now),
    home.unreadNotificationsOf(db, userId),
  ]);
  return {
    role: 'trainer' as const,
    cases,
    upcomingEvents: upcoming,
    attendanceWaiting: waiting.filter((e) => e.lastSessionAt.getTime() < now.getTime()),
    unread,
  };
}

async function reviewerSection(db: Db, userId: number, now: Date) {
  const lead = await isLeadReviewer(db, userId);
  const [mine, cases, team, unassignedCounts, unassigned] = await Promise.all([
    home.serviceLevelCounts(db, { assignee: userId }, now),
    home.openCasesBy(db, { assignee: userId }),
    reviewersWithWorkload(db),
    lead ? home.serviceLevelCounts(db, { unassigned: true }, now) : null,
    lead ? home.openCasesBy(db, { unassigned: true }) : null,
  ]);
  const open = team.map((r) => r.openCases);
  return {
    role: 'reviewer' as const,
    isLead: lead,
    mine,
    cases,
    unassigned: unassigned && unassignedCounts ? { counts: unassignedCounts, cases: unassigned } : null,
    workload: {
      mine: team.find((r) => r.id === userId)?.openCases ?? 0,
      teamAverage: open.length ? Math.round((open.reduce((a, b) => a + b, 0) / open.length) * 10) / 10 : 0,
      team: team.map((r) => ({ id: r.id, name: r.name, openCases: r.openCases, isLead: r.isLead })),
    },
  };
}

const statusCount = (statuses: DeadlineStatus[], status: DeadlineStatus) => statuses.filter((s) => s === status).length;

async function inspectorSection(db: Db, userId: number, now: Date) {
  const today = localDateOf(now);
  const facilityIds = (await assignedFacilitiesOf(db, userId)).slice(0, 25);
  const reports = await Promise.all(facilityIds.map((id) => staffReport(db, id, today)));
  return {
    role: 'inspector' as const,
    asOf: today,
    facilities: reports
      .map((r) => {
        const deadlines = r.staff.flatMap((s) => s.deadlines.map((d) => d.status));
        return {
          id: r.organization.id,
          name: r.organization.name,
          county: r.organization.county,
          licenseNumber: r.organization.licenseNumber,
          staff: r.staff.length,
          compliant: r.staff.filter((s) => s.compliant).length,
          notCompliant: r.staff.filter((s) => !s.compliant).length,
          overdueDeadlines: statusCount(deadlines, 'overdue'),
          cardsNeedingAction: r.staff.filter((s) => (CARD_NEEDS_ACTION as readonly string[]).includes(s.cprCard.status))
            .length,
        };
      })
      .sort((a, b) => b.notCompliant - a.notCompliant || a.name.localeCompare(b.name)),
  };
}

async function policySection(db: Db, now: Date) {
  const today = localDateOf(now);
  const [drafts, scheduled, simulations] = await Promise.all([
    home.unpublishedVersions(db),
    home.scheduledVersions(db, today),
    home.recentSimulations(db),
  ]);
  return { role: 'policy_staff' as const, drafts, scheduled, simulations };
}

async function adminSection(db: Db, context: HomeContext) {
  const [health, deadLetters, imports, accounts] = await Promise.all([
    context.health ? context.health() : null,
    home.deadLetters(db),
    home.recentImportBatches(db),
    home.accountsAwaiting(db, context.mfaRoles, context.now),
  ]);
  return { role: 'admin' as const, health, deadLetters, imports, accounts };
}

export type HomeSection =
  | Awaited<ReturnType<typeof professionalSection>>
  | Awaited<ReturnType<typeof directorSection>>
  | Awaited<ReturnType<typeof trainerSection>>
  | Awaited<ReturnType<typeof reviewerSection>>
  | Awaited<ReturnType<typeof inspectorSection>>
  | Awaited<ReturnType<typeof policySection>>
  | Awaited<ReturnType<typeof adminSection>>;

/** Every section the person's roles give them, in the menu's order, and whether two-step sign-in is on. */
export async function homeOf(db: Db, context: HomeContext) {
  const has = (role: Role) => context.roles.includes(role);
  const { now, userId } = context;
  const work: Array<Promise<HomeSection>> = [];
  if (has('professional') && context.professionalId !== null)
    work.push(professionalSection(db, context.professionalId, now));
  if (has('director')) work.push(directorSection(db, userId, now));
  if (has('trainer')) work.push(trainerSection(db, userId, now));
  if (has('reviewer')) work.push(reviewerSection(db, userId, now));
  if (has('inspector')) work.push(inspectorSection(db, userId, now));
  if (has('policy_staff')) work.push(policySection(db, now));
  if (has('admin')) work.push(adminSection(db, context));
  const [sections, twoStep] = await Promise.all([Promise.all(work), home.hasTwoStep(db, userId)]);
  return {
    asOf: localDateOf(now),
    account: { twoStepOn: twoStep, twoStepRequired: context.roles.some((r) => context.mfaRoles.includes(r)) },
    sections,
  };
}
