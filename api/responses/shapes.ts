/**
 * Shapes several answers share, as the client reads them (JSON: dates and times are ISO strings).
 * Drawn from the row and service types the handlers return; api/contract.ts infers the UI's types from them.
 */
import { z } from 'zod';
import { REASON_WORDINGS } from '../../rules/recommendations.js';
import {
  AWARDED_CREDENTIAL_STATUSES,
  CASE_STATUSES,
  CASE_TYPES,
  COURSE_LEVELS,
  COURSE_REQUEST_STATUSES,
  CARD_VERIFICATIONS,
  CREDENTIAL_STATUSES,
  DEADLINE_STATUSES,
  DEGREE_LEVELS,
  DELIVERY_MODES,
  EDUCATION_KINDS,
  EVENT_MESSAGE_SENDERS,
  IMPORT_BATCH_STATUSES,
  LANGUAGES,
  OUTBOX_STATUSES,
  PERIOD_STATUSES,
  REGIONS,
  REGISTRATION_STATUSES,
  ROLES,
  TRAINING_SOURCES,
  TOPICS,
  type Topic,
} from '../../rules/domain.js';
import { isoDateTime } from './json.js';

/** A topic (competency area) code, as rules/domain.ts names them. */
export const topic = z.enum(Object.keys(TOPICS) as [Topic, ...Topic[]]);

export const userSummary = z.object({
  id: z.number(),
  email: z.string(),
  displayName: z.string(),
  professionalId: z.number().nullable(),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  disabled: z.boolean(),
  roles: z.array(z.enum(ROLES)),
});

export const auditRow = z.object({
  id: z.number(),
  at: isoDateTime,
  actor_user_id: z.number().nullable(),
  actor_email: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entity_id: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  request_id: z.string().nullable(),
});

export const measure = z.enum(['people', 'hours', 'rate']);

export const heading = z.object({ key: z.string(), label: z.string() });

export const publishedCell = z.union([
  z.object({ suppressed: z.literal(true) }),
  z.object({
    suppressed: z.literal(false),
    value: z.number(),
    of: z.number().optional(),
  }),
]);

export const publishedTable = z.object({
  id: z.string(),
  title: z.string(),
  rowDimension: z.string(),
  columnDimension: z.string(),
  measure: measure,
  rows: z.array(heading),
  columns: z.array(heading),
  cells: z.array(z.array(publishedCell)),
  rowTotals: z.array(publishedCell),
  columnTotals: z.array(publishedCell),
  total: publishedCell,
  suppressedCells: z.number(),
});

/** What every published report states: its dates, region, the smallest group it shows, and its notes. */
export const reportFrame = z.object({
  from: z.string(),
  to: z.string(),
  region: z.string().nullable(),
  smallGroup: z.number(),
  notes: z.array(z.string()),
});

export const tablesReport = reportFrame.extend({
  report: z.enum(['workforce', 'compliance', 'training-hours', 'forecast']),
  tables: z.array(publishedTable),
});

export const demandRow = z.object({
  topic: z.string(),
  region: z.string(),
  registered: publishedCell,
  waitlisted: publishedCell,
  openDeadlines: publishedCell,
  unmetDemand: publishedCell,
  events: z.number(),
  seats: z.number(),
  seatsLeft: z.number(),
  gap: publishedCell,
});

export const hoursOwedRow = z.object({
  region: z.string(),
  short: publishedCell,
  events: z.number(),
  seatsLeft: z.number(),
  gap: publishedCell,
});

export const demandReport = reportFrame.extend({
  report: z.literal('demand'),
  demand: z.array(demandRow),
  hoursOwed: z.array(hoursOwedRow),
  topics: z.array(heading),
  regions: z.array(heading),
});

export const creditReason = z.object({
  ruleId: z.string(),
  code: z.string(),
  text: z.string(),
});

export const principal = z.object({
  userId: z.number(),
  email: z.string(),
  displayName: z.string(),
  professionalId: z.number().nullable(),
  roles: z.array(z.enum(ROLES)),
  language: z.enum(LANGUAGES),
  mfaEnrollmentRequired: z.boolean(),
});

export const caseView = z.object({
  caseId: z.number(),
  type: z.enum(CASE_TYPES),
  status: z.enum(CASE_STATUSES),
  applicantUserId: z.number(),
  assigneeUserId: z.number().nullable(),
});

export const catalogResult = z.object({
  id: z.number(),
  courseId: z.number(),
  title: z.string(),
  sponsor: z.string(),
  trainerName: z.string(),
  topic: z.string(),
  level: z.string().nullable(),
  delivery: z.string(),
  clockHours: z.number(),
  language: z.string(),
  city: z.string().nullable(),
  county: z.string().nullable(),
  region: z.string().nullable(),
  hasOnlineLink: z.boolean(),
  feeCents: z.number(),
  firstSessionAt: isoDateTime,
  lastSessionAt: isoDateTime,
  capacity: z.number(),
  seatsLeft: z.number(),
  registrationDeadline: isoDateTime.nullable(),
  miles: z.number().nullable(),
  rank: z.number().nullable(),
});

/** How many results carry one value of a search facet. */
export const facetCount = z.object({ value: z.string(), count: z.number() });

export const catalogAnswer = z.object({
  results: z.array(catalogResult),
  total: z.number(),
  facets: z.object({
    region: z.array(facetCount),
    language: z.array(facetCount),
    topic: z.array(facetCount),
    level: z.array(facetCount),
    delivery: z.array(facetCount),
  }),
});

export const courseRequest = z.object({
  id: z.number(),
  requesterName: z.string(),
  region: z.enum(REGIONS),
  message: z.string(),
  preferredMonth: z.string().nullable(),
  seats: z.number().nullable(),
  status: z.enum(COURSE_REQUEST_STATUSES),
  createdAt: isoDateTime,
  answeredAt: isoDateTime.nullable(),
  answer: z.string().nullable(),
});

export const employmentRow = z.object({
  id: z.number(),
  professional_id: z.number(),
  organization_id: z.number(),
  role: z.string(),
  hire_date: z.string(),
  end_date: z.string().nullable(),
  end_reason: z.string().nullable().optional(),
});

export const staffInvitationStatus = z.enum(['declined', 'pending', 'accepted']);

export const pendingInvitation = z.object({
  id: z.number(),
  organizationId: z.number(),
  organizationName: z.string(),
  role: z.string(),
  hireDate: z.string(),
  createdAt: isoDateTime,
});

export const eventMessage = z.object({
  id: z.number(),
  sentBy: z.enum(EVENT_MESSAGE_SENDERS),
  authorName: z.string(),
  toProfessionalId: z.number().nullable(),
  toName: z.string().nullable(),
  inReplyToId: z.number().nullable(),
  body: z.string(),
  createdAt: isoDateTime,
});

export const problem = z.object({
  line: z.number(),
  column: z.string(),
  reason: z.string(),
});

export const plannedUpdate = z.object({
  line: z.number(),
  record: z.string(),
  matchedBy: z.enum(['mopdId', 'legacyId', 'licenseNumber', 'course']),
  changes: z.array(z.string()),
});

export const fileReport = z.object({
  kind: z.enum([
    'events',
    'education',
    'employment',
    'professionals',
    'courses',
    'organizations',
    'trainer_applications',
    'course_applications',
    'training',
  ]),
  rows: z.number(),
  create: z.number(),
  update: z.number(),
  unchanged: z.number(),
  rejected: z.array(problem),
  rejectedCount: z.number(),
  updates: z.array(plannedUpdate).optional(),
});

export const batchReport = z.record(z.string(), fileReport);

export const importBatch = z.object({
  id: z.number(),
  name: z.string(),
  system: z.string(),
  status: z.enum(IMPORT_BATCH_STATUSES),
  report: batchReport,
  appliedReport: batchReport.nullable(),
  progress: z.object({
    done: z.number(),
    total: z.number(),
    currentFile: z.string().nullable(),
  }),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const outboxSummary = z.object({
  status: z.enum(OUTBOX_STATUSES),
  id: z.number(),
  created_at: isoDateTime,
  template: z.string(),
  to_address: z.string(),
  subject: z.string(),
  attempts: z.number(),
  last_error: z.string().nullable(),
  queued_at: isoDateTime.nullable(),
  sent_at: isoDateTime.nullable(),
  last_attempt_at: isoDateTime.nullable(),
  dead_at: isoDateTime.nullable(),
  generation: z.number(),
});

export const awardedCredential = z.object({
  id: z.number(),
  caseId: z.number(),
  credentialId: z.string(),
  title: z.string(),
  area: topic,
  areaLabel: z.string(),
  awardedOn: z.string(),
  expiresOn: z.string().nullable(),
  status: z.enum(AWARDED_CREDENTIAL_STATUSES),
  revokedReason: z.string().nullable(),
  verificationCode: z.string(),
  verificationUrl: z.string(),
});

export const credentialVerification = z.object({
  holder: z.string(),
  credential: z.object({
    id: z.string(),
    title: z.string(),
    area: topic,
    areaLabel: z.string(),
    competency: z.string(),
  }),
  awardedOn: z.string(),
  expiresOn: z.string().nullable(),
  status: z.enum(AWARDED_CREDENTIAL_STATUSES),
  revokedOn: z.string().nullable(),
});

export const moduleContent = z.object({
  id: z.number().optional(),
  title: z.string(),
  body: z.string(),
  imageUrl: z.string().nullable().optional(),
  imageAlt: z.string().nullable().optional(),
  videoUrl: z.string().nullable().optional(),
  captionsUrl: z.string().nullable().optional(),
  transcript: z.string().nullable().optional(),
  handoutUploadId: z.string().nullable().optional(),
});

export const staffReportRow = z.object({
  professionalId: z.number(),
  mopdId: z.string(),
  name: z.string(),
  role: z.string(),
  hireDate: z.string(),
  compliant: z.boolean(),
  requirements: z.array(
    z.object({
      requirement: z.string(),
      label: z.string(),
      period: z.string(),
      required: z.number(),
      applied: z.number(),
      status: z.enum(PERIOD_STATUSES),
      deficitsCarried: z.number(),
    }),
  ),
  deadlines: z.array(
    z.object({
      label: z.string(),
      dueOn: z.string(),
      status: z.enum(DEADLINE_STATUSES),
    }),
  ),
  clearedForSoleSupervision: z.boolean().nullable(),
  cprCard: z.object({
    status: z.enum(CREDENTIAL_STATUSES),
    expiresOn: z.string().nullable(),
    issuer: z.string().nullable(),
  }),
});

export const staffReport = z.object({
  organization: z.object({
    id: z.number(),
    name: z.string(),
    licenseNumber: z.string().nullable(),
    county: z.string(),
    region: z.string().nullable(),
    address: z.string().nullable(),
  }),
  asOf: z.string(),
  ruleSet: z.string().nullable(),
  ruleSetVersion: z.number().nullable(),
  staff: z.array(staffReportRow),
});

export const professionalRow = z.object({
  id: z.number(),
  mopd_id: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  county: z.string().nullable(),
  phone: z.string().nullable(),
  address_line: z.string().nullable(),
  city: z.string().nullable(),
  zip: z.string().nullable(),
  region: z.enum(REGIONS).nullable(),
});

/** A professional as staff search lists them, with whether they are compliant (null: not computed). */
export const professionalListing = professionalRow.extend({ compliant: z.boolean().nullable() });

export const organizationRow = z.object({
  id: z.number(),
  name: z.string(),
  license_number: z.string().nullable(),
  licensed: z.boolean(),
  subsidized: z.boolean(),
  serves_infants: z.boolean(),
  contract_year_start_month: z.number().nullable(),
  county: z.string(),
  license_exempt: z.boolean(),
  address_line: z.string().nullable(),
  city: z.string().nullable(),
  zip: z.string().nullable(),
  region: z.enum(REGIONS).nullable(),
  /** A registered program type's code. */
  program_type: z.string().optional(),
});

export const employmentWithOrganization = z.object({
  organization: organizationRow,
  id: z.number(),
  professional_id: z.number(),
  organization_id: z.number(),
  role: z.string(),
  hire_date: z.string(),
  end_date: z.string().nullable(),
});

export const proration = z.object({
  fullHours: z.number(),
  months: z.number(),
  of: z.number(),
});

/** A training that counted toward a requirement: which, and when it was completed. */
export const completedTraining = z.object({
  trainingId: z.number(),
  title: z.string(),
  completedOn: z.string(),
});

export const allocation = completedTraining.extend({
  hours: z.number(),
  backfilled: z.boolean(),
});

export const periodResult = z.object({
  label: z.string(),
  start: z.string(),
  end: z.string(),
  required: z.number(),
  prorated: proration.optional(),
  ruleSetVersion: z.number().nullable(),
  earned: z.number(),
  applied: z.number(),
  movedToEarlier: z.number(),
  status: z.enum(PERIOD_STATUSES),
  allocations: z.array(allocation),
  explanation: z.string(),
});

export const requirementResult = z.object({
  requirement: z.string(),
  ruleId: z.string(),
  label: z.string(),
  period: z.enum(['calendar-year', 'contract-year']),
  contractYearStartMonth: z.number().nullable(),
  periods: z.array(periodResult),
  /** How far back-fill reaches under the rule, and which periods later training filled. */
  backfill: z
    .object({
      reach: z.union([z.enum(['none', 'since-first-employment']), z.object({ yearsBack: z.number() })]),
      filled: z.array(z.string()),
      explanation: z.string(),
    })
    .optional(),
});

export const prerequisiteResult = z.object({
  requirement: z.string(),
  ruleId: z.string(),
  label: z.string(),
  before: z.literal('sole-supervision'),
  organizationIds: z.array(z.number()),
  met: z.boolean(),
  metBy: completedTraining.nullable(),
  explanation: z.string(),
});

export const refresherStatus = z.enum(['open', 'met', 'overdue']);

export const refresherResult = z.object({
  lastCompleted: completedTraining.nullable(),
  explanation: z.string(),
  requirement: z.string(),
  ruleId: z.string(),
  label: z.string(),
  satisfiedByTopic: z.string(),
  everyYears: z.number(),
  organizationIds: z.array(z.number()),
  carriedSince: z.string(),
  lastCompletedOn: z.string().nullable(),
  dueOn: z.string(),
  status: refresherStatus,
});

export const complianceReport = z.object({
  ruleSet: z.string(),
  ruleSetVersion: z.number(),
  versionsApplied: z.array(
    z.object({
      version: z.number(),
      from: z.string(),
      to: z.string().nullable(),
    }),
  ),
  asOf: z.string(),
  compliant: z.boolean(),
  requirements: z.array(requirementResult),
  prerequisites: z.array(prerequisiteResult),
  refreshers: z.array(refresherResult),
});

export const deadlineRow = z.object({
  id: z.number(),
  employment_id: z.number().nullable(),
  credential_id: z.number().nullable(),
  professional_id: z.number(),
  organization_id: z.number().nullable(),
  requirement: z.string(),
  label: z.string(),
  satisfied_by_topic: z.string(),
  starts_on: z.string(),
  due_on: z.string(),
  remind_at: isoDateTime,
  overdue_at: isoDateTime,
  status: z.enum(DEADLINE_STATUSES),
  met_by_training_record_id: z.number().nullable(),
  met_by_credential_id: z.number().nullable(),
  reminded_at: isoDateTime.nullable(),
  became_overdue_at: isoDateTime.nullable(),
  met_at: isoDateTime.nullable(),
  workflow_id: z.string(),
  rule_set: z.string(),
  rule_set_version: z.number(),
});

export const trainingRecordRow = z.object({
  id: z.number(),
  professional_id: z.number(),
  course_id: z.number().nullable(),
  title: z.string(),
  topic: z.string(),
  completed_on: z.string(),
  hours: z.number(),
  source: z.enum(TRAINING_SOURCES),
  credited_hours: z.number(),
  credit_rule_set: z.string(),
  credit_rule_set_version: z.number(),
  credit_reasons: z.array(creditReason),
  registered_on: z.string().nullable(),
  started_at: isoDateTime.nullable(),
  completed_at: isoDateTime.nullable(),
  cpr_model: z.string().nullable(),
  trainer_has_instructor_certification: z.boolean().nullable(),
  in_ratio: z.boolean(),
  used_for_group: z.boolean(),
  event_id: z.number().nullable(),
  time_spent_minutes: z.number().nullable().optional(),
  voided_at: isoDateTime.nullable().optional(),
  void_reason: z.string().nullable().optional(),
  created_at: isoDateTime,
});

export const careerLevel = z.object({
  ruleId: z.string(),
  level: z.number(),
  label: z.string(),
  description: z.string(),
});

export const careerFacts = z.object({
  education: z.object({
    highestDegree: z.enum(DEGREE_LEVELS).nullable(),
    credentials: z.array(z.string()),
    collegeCreditHours: z.number(),
  }),
  training: z.object({ lifetimeCreditedHours: z.number() }),
});

export const careerProgression = z.object({
  current: careerLevel.nullable(),
  levels: z.array(
    z.object({
      level: z.number(),
      label: z.string(),
      description: z.string(),
    }),
  ),
  facts: careerFacts,
  ruleSet: z.string(),
  ruleSetVersion: z.number(),
});

export const credentialStanding = z.object({
  kind: z.literal('cpr_first_aid_card'),
  status: z.enum(CREDENTIAL_STATUSES),
  issuer: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  credentialId: z.number().nullable(),
});

export const selfAssessmentRow = z.object({
  id: z.number(),
  professional_id: z.number(),
  taken_on: z.string(),
  answers: z.record(z.string(), z.unknown()),
  instrument_version: z.string(),
  created_at: isoDateTime,
});

export const educationRow = z.object({
  id: z.number(),
  professional_id: z.number(),
  kind: z.enum(EDUCATION_KINDS),
  title: z.string(),
  institution: z.string(),
  field: z.string(),
  degree_level: z.enum(DEGREE_LEVELS).nullable(),
  credit_hours: z.number().nullable(),
  completed_on: z.string().nullable(),
  upload_id: z.string().nullable(),
  created_at: isoDateTime,
});

export const credentialRow = z.object({
  id: z.number(),
  professional_id: z.number(),
  kind: z.literal('cpr_first_aid_card'),
  issuer: z.string(),
  issued_on: z.string(),
  expires_on: z.string(),
  upload_id: z.string().nullable(),
  created_at: isoDateTime,
  verification: z.enum(CARD_VERIFICATIONS),
  verified_by_user_id: z.number().nullable(),
  verified_at: isoDateTime.nullable(),
  verification_note: z.string().nullable(),
});

export const registrationResult = z.object({
  registrationId: z.number(),
  status: z.enum(REGISTRATION_STATUSES),
  waitlistPosition: z.number().nullable(),
  /** The event's fee in cents (0: free), paid from the person's registrations once the seat is held. */
  feeCents: z.number(),
});

export const ruleChange = z.object({
  ruleId: z.string(),
  change: z.enum(['changed', 'added', 'removed']),
  description: z.string(),
  details: z.array(z.string()),
});

export const ruleSetDiff = z.object({
  from: z.number(),
  to: z.number(),
  documentChanges: z.array(z.string()),
  rules: z.array(ruleChange),
});

export const problemValidate = z.object({
  ruleId: z.string().nullable(),
  path: z.string(),
  message: z.string(),
});

export const caseOutcome = z.object({
  id: z.string(),
  name: z.string(),
  passed: z.boolean(),
  expected: z.unknown(),
  actual: z.unknown(),
});

export const instrumentText = z.object({
  title: z.string(),
  version: z.string(),
  introduction: z.string(),
  instrument: z.string(),
  scale: z.array(z.object({ value: z.number(), label: z.string() })),
  thresholds: z.object({
    strengthAtLeast: z.number(),
    growthAtMost: z.number(),
    lowestWhenNoGrowth: z.number(),
  }),
  sections: z.array(
    z.object({
      area: topic,
      statements: z.array(z.object({ id: z.string(), text: z.string() })),
      label: z.string(),
    }),
  ),
});

export const answers = z.record(z.string(), z.number());

export const areaScore = z.object({
  area: topic,
  label: z.string(),
  average: z.number(),
});

export const assessmentProfile = z.object({
  instrumentVersion: z.string(),
  scores: z.array(areaScore),
  strengths: z.array(topic),
  growthAreas: z.array(topic),
});

export const areaChange = z.object({
  area: topic,
  label: z.string(),
  before: z.number(),
  after: z.number(),
  difference: z.number(),
});

export const assessmentTaken = z.object({
  id: z.number(),
  takenOn: z.string(),
  instrumentVersion: z.string(),
  answers: answers,
  profile: assessmentProfile,
  change: z.array(areaChange).nullable(),
});

export const reasonWords = z.object({
  key: z.enum(REASON_WORDINGS),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const reasonSource = z.enum([
  'experience',
  'delivery',
  'distance',
  'rating',
  'completion',
  'deadline',
  'growth-area',
  'hour-gap',
]);

export const reason = z.object({
  source: reasonSource,
  text: z.string(),
  words: reasonWords,
  points: z.number(),
});

export const recommendation = z.object({
  kind: z.enum(['event', 'online_course']),
  id: z.number(),
  courseId: z.number(),
  title: z.string(),
  topic: z.string(),
  topicLabel: z.string(),
  level: z.enum(COURSE_LEVELS).nullable(),
  delivery: z.enum(DELIVERY_MODES),
  clockHours: z.number(),
  creditedHours: z.number(),
  creditNote: z.string().nullable(),
  creditWords: reasonWords.nullable(),
  startsOn: z.string().nullable(),
  miles: z.number().nullable(),
  feeCents: z.number(),
  score: z.number(),
  reasons: z.array(reason),
  drawbacks: z.array(reason),
});

export const deadlineFact = z.object({
  topic: z.string(),
  label: z.string(),
  dueOn: z.string().nullable(),
});

export const hourGapFact = z.object({
  label: z.string(),
  periodLabel: z.string(),
  periodEnd: z.string(),
  hoursShort: z.number(),
});

export const recommendationAnswer = z.object({
  recommendations: z.array(recommendation),
  basis: z.object({
    selfAssessedOn: z.string().nullable(),
    growthAreas: z.array(topic),
    deadlines: z.array(deadlineFact),
    hourGaps: z.array(hourGapFact),
    experienceYears: z.number().nullable(),
    experienceStage: z.enum(['newcomer', 'experienced', 'veteran']).nullable(),
    zip: z.string().nullable(),
    delivery: z.enum(DELIVERY_MODES).nullable(),
  }),
});
