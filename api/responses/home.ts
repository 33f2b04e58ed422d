/** The answer of the home route (api/routes/home.ts): one section per role the person holds. */
import { z } from 'zod';
import {
  CASE_STATUSES,
  CASE_TYPES,
  DEADLINE_STATUSES,
  DELIVERY_MODES,
  IMPORT_BATCH_STATUSES,
  PERIOD_STATUSES,
  RULE_SET_STATUSES,
  SIMULATION_STATUSES,
} from '../../rules/domain.js';
import { isoDateTime } from './json.js';

const localDate = z.string();
const dependency = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });

const homeCase = z.object({
  id: z.number(),
  type: z.enum(CASE_TYPES),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  submittedAt: isoDateTime,
  dueAt: isoDateTime.nullable(),
  informationDueAt: isoDateTime.nullable(),
  assigneeName: z.string().nullable(),
  asked: z.string().nullable(),
});

const trainerEvent = z.object({
  id: z.number(),
  title: z.string(),
  firstSessionAt: isoDateTime,
  lastSessionAt: isoDateTime,
  city: z.string().nullable(),
  delivery: z.string(),
  capacity: z.number(),
  registered: z.number(),
  waitlisted: z.number(),
});

const serviceLevels = z.object({
  overdue: z.number(),
  dueToday: z.number(),
  dueThisWeek: z.number(),
  later: z.number(),
  waitingForApplicant: z.number(),
});

const ruleSetVersion = z.object({
  ruleSet: z.string(),
  version: z.number(),
  status: z.enum(RULE_SET_STATUSES),
  changeNote: z.string(),
  effectiveFrom: localDate.nullable(),
  updatedAt: isoDateTime,
});

export const professionalHome = z.object({
  role: z.literal('professional'),
  professionalId: z.number(),
  asOf: localDate,
  compliant: z.boolean(),
  requirements: z.array(
    z.object({
      requirement: z.string(),
      label: z.string(),
      period: z.enum(['calendar-year', 'contract-year']),
      periodLabel: z.string().nullable(),
      start: localDate.nullable(),
      end: localDate.nullable(),
      required: z.number(),
      applied: z.number(),
      stillNeeded: z.number(),
      status: z.enum(PERIOD_STATUSES),
      daysLeft: z.number().nullable(),
    }),
  ),
  deadlines: z.array(
    z.object({
      id: z.number(),
      label: z.string(),
      dueOn: localDate,
      status: z.enum(DEADLINE_STATUSES),
      daysLeft: z.number(),
    }),
  ),
  registrations: z.array(
    z.object({
      id: z.number(),
      status: z.enum(['registered', 'waitlisted']),
      eventId: z.number(),
      title: z.string(),
      firstSessionAt: isoDateTime.nullable(),
      city: z.string().nullable(),
    }),
  ),
  enrollments: z.array(
    z.object({
      id: z.number(),
      status: z.enum(['awaiting_payment', 'in_progress', 'completed']),
      courseId: z.number(),
      title: z.string(),
      registeredOn: localDate,
    }),
  ),
  recommendations: z.array(
    z.object({
      kind: z.enum(['event', 'online_course']),
      id: z.number(),
      courseId: z.number(),
      title: z.string(),
      topicLabel: z.string(),
      delivery: z.enum(DELIVERY_MODES),
      creditedHours: z.number(),
      startsOn: localDate.nullable(),
      feeCents: z.number(),
    }),
  ),
});

export const directorHome = z.object({
  role: z.literal('director'),
  organizations: z.array(z.object({ id: z.number(), name: z.string(), staff: z.number() })),
  atRisk: z.array(
    z.object({
      professionalId: z.number(),
      name: z.string(),
      organizationId: z.number(),
      organizationName: z.string(),
      kind: z.enum(['hours_short', 'deadline_overdue', 'deadline_soon', 'cpr_card']),
      label: z.string(),
      hoursShort: z.number().nullable(),
      dueOn: localDate.nullable(),
      daysLeft: z.number().nullable(),
      cardStatus: z.string().nullable(),
    }),
  ),
  forecast: z.array(
    z.object({
      organizationId: z.number(),
      organizationName: z.string(),
      fallingShort: z.array(
        z.object({
          professionalId: z.number(),
          name: z.string(),
          label: z.string(),
          periodEnd: localDate,
          stillNeeded: z.number(),
          daysLeft: z.number(),
          projectedShortfall: z.number(),
          verdict: z.enum(['at-risk', 'no-pace']),
          paceBasis: z.enum(['twelve-months', 'since-employed']),
        }),
      ),
    }),
  ),
  newHires: z.array(
    z.object({
      professionalId: z.number(),
      name: z.string(),
      organizationId: z.number(),
      organizationName: z.string(),
      role: z.string(),
      hireDate: localDate,
      daysSinceHire: z.number(),
    }),
  ),
  recentRegistrations: z.array(
    z.object({
      id: z.number(),
      status: z.enum(['registered', 'waitlisted', 'cancelled']),
      professionalId: z.number(),
      name: z.string(),
      eventId: z.number(),
      title: z.string(),
      firstSessionAt: isoDateTime,
      registeredAt: isoDateTime,
    }),
  ),
});

export const trainerHome = z.object({
  role: z.literal('trainer'),
  cases: z.array(homeCase),
  upcomingEvents: z.array(trainerEvent),
  attendanceWaiting: z.array(trainerEvent),
  unread: z.object({
    count: z.number(),
    latest: z.array(z.object({ id: z.number(), title: z.string(), link: z.string(), createdAt: isoDateTime })),
  }),
});

export const reviewerHome = z.object({
  role: z.literal('reviewer'),
  isLead: z.boolean(),
  mine: serviceLevels,
  cases: z.array(homeCase),
  unassigned: z.object({ counts: serviceLevels, cases: z.array(homeCase) }).nullable(),
  workload: z.object({
    mine: z.number(),
    teamAverage: z.number(),
    team: z.array(z.object({ id: z.number(), name: z.string(), openCases: z.number(), isLead: z.boolean() })),
  }),
});

export const inspectorHome = z.object({
  role: z.literal('inspector'),
  asOf: localDate,
  facilities: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      county: z.string(),
      licenseNumber: z.string().nullable(),
      staff: z.number(),
      compliant: z.number(),
      notCompliant: z.number(),
      overdueDeadlines: z.number(),
      cardsNeedingAction: z.number(),
    }),
  ),
});

export const policyHome = z.object({
  role: z.literal('policy_staff'),
  drafts: z.array(ruleSetVersion),
  scheduled: z.array(ruleSetVersion),
  simulations: z.array(
    z.object({
      id: z.number(),
      ruleSet: z.string(),
      version: z.number(),
      comparedWithVersion: z.number().nullable(),
      asOf: localDate,
      status: z.enum(SIMULATION_STATUSES),
      done: z.number(),
      total: z.number(),
      createdAt: isoDateTime,
      finishedAt: isoDateTime.nullable(),
    }),
  ),
});

export const adminHome = z.object({
  role: z.literal('admin'),
  health: z
    .object({
      status: z.enum(['ok', 'degraded']),
      dependencies: z.record(z.string(), dependency),
    })
    .nullable(),
  deadLetters: z.object({
    count: z.number(),
    latest: z.array(
      z.object({
        id: z.number(),
        toAddress: z.string(),
        subject: z.string(),
        lastError: z.string().nullable(),
        createdAt: isoDateTime,
      }),
    ),
  }),
  imports: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      system: z.string(),
      status: z.enum(IMPORT_BATCH_STATUSES),
      createdAt: isoDateTime,
      finishedAt: isoDateTime.nullable(),
    }),
  ),
  accounts: z.object({
    withoutRoles: z.number(),
    locked: z.number(),
    withoutTwoStep: z.number(),
    cardsUnverified: z.number(),
    latest: z.array(
      z.object({
        id: z.number(),
        email: z.string(),
        displayName: z.string(),
        reason: z.enum(['no_roles', 'locked', 'no_two_step']),
      }),
    ),
  }),
});

export const homeSection = z.discriminatedUnion('role', [
  professionalHome,
  directorHome,
  trainerHome,
  reviewerHome,
  inspectorHome,
  policyHome,
  adminHome,
]);

/** GET /api/home */
export const getHome = z.object({
  asOf: localDate,
  account: z.object({ twoStepOn: z.boolean(), twoStepRequired: z.boolean() }),
  sections: z.array(homeSection),
});
