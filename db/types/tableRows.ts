/**
 * Row types of the tables db/types/tables.ts makes known to knex, column for column as PostgreSQL
 * holds them and knex returns them (db/connection.ts: DATE as 'YYYY-MM-DD', NUMERIC and BIGINT as
 * numbers, JSONB parsed). A row read is the row type; what is written may be a `db.raw`/`db.fn`
 * value, a timestamp as an ISO string, and a JSONB column's value as JSON text (`JSON.stringify`,
 * which a JSON array must be: node-postgres would send a JS array as a PostgreSQL array).
 */
import type { Knex } from 'knex';
import type { StaffInvitationStatus } from '../staffInvitations.js';
import type { EmploymentRow, OrganizationRow, ProfessionalRow, TrainingRecordRow } from '../rows.js';
import type {
  AttendanceStatus,
  CaseEventKind,
  CaseStatus,
  CaseType,
  ClaimStatus,
  CourseLevel,
  CourseRequestStatus,
  DeliveryMode,
  EnrollmentStatus,
  EventMessageSender,
  ImportBatchStatus,
  Language,
  PaymentStatus,
  PublicationStatus,
  Region,
  RegistrationStatus,
  Role,
  RuleSetStatus,
  SimulationStatus,
  TokenPurpose,
  Topic,
  TrainingRecordChangeKind,
  UploadPurpose,
} from '../../rules/domain.js';

/** What a column takes when written: its value, a raw expression, a timestamp as text, a JSONB value as JSON text. */
type Written<T, Json extends boolean> =
  T | Knex.Raw | (T extends Date ? string : never) | (Json extends true ? string : never);

type Writes<Row, Json extends keyof Row> = { [K in keyof Row]?: Written<Row[K], K extends Json ? true : false> };

/** A table's row as read, and what an insert or update may give its columns (`Json`: its JSONB columns). */
export type Table<Row, Json extends keyof Row = never> = Knex.CompositeTableType<
  Row,
  Writes<Row, Json>,
  Writes<Row, Json>,
  Writes<Row, Json>
>;

// Accounts and signing in

export interface UserTableRow {
  id: number;
  email: string;
  password_hash: string;
  display_name: string;
  professional_id: number | null;
  email_verified_at: Date | null;
  mfa_secret: string | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: number | null;
  failed_sign_ins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  language: Language;
  mfa_failures: number;
  mfa_blocked_until: Date | null;
}

export interface UserRoleTableRow {
  user_id: number;
  role: Role;
}

export interface RecoveryCodeTableRow {
  id: number;
  user_id: number;
  code_hash: string;
  used_at: Date | null;
}

export interface AuthTokenTableRow {
  id: number;
  user_id: number;
  purpose: TokenPurpose;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export interface SignInFailureTableRow {
  account_key: string;
  address: string;
  failures: number;
  blocked_until: Date | null;
  updated_at: Date;
}

export interface SignUpRequestTableRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  county: string | null;
  language: Language;
  password_hash: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export interface ReviewerProfileTableRow {
  user_id: number;
  is_lead: boolean;
  regions: string[];
  case_types: string[];
  accepts_automatic_assignment: boolean;
}

export interface InspectorAssignmentTableRow {
  user_id: number;
  organization_id: number;
}

// The registry

export interface StaffInvitationTableRow {
  id: number;
  professional_id: number;
  organization_id: number;
  role: string;
  hire_date: string;
  invited_by_user_id: number;
  status: StaffInvitationStatus;
  employment_id: number | null;
  created_at: Date;
  answered_at: Date | null;
}

export interface OrganizationClaimTableRow {
  id: number;
  organization_id: number;
  director_user_id: number;
  status: ClaimStatus;
  decided_at: Date | null;
  created_at: Date;
}

/** The columns of db/rows.ts's OrganizationRow, and those it leaves out. */
export interface OrganizationTableRow extends Required<OrganizationRow> {
  created_at: Date;
  updated_at: Date;
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
}

/** An organization's program settings from a date on: licensing, subsidy and infants as of then. */
export interface ProgramSettingTableRow {
  id: number;
  organization_id: number;
  effective_from: string;
  licensed: boolean;
  license_exempt: boolean;
  subsidized: boolean;
  serves_infants: boolean;
  contract_year_start_month: number | null;
  recorded_by_user_id: number | null;
  recorded_at: Date;
}

/** An entry of a registry an admin adds to: program_types and professional_roles. */
export interface RegistryEntryTableRow {
  code: string;
  label_en: string;
  label_es: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The columns of db/rows.ts's EmploymentRow, and those it leaves out. */
export interface EmploymentTableRow extends Required<EmploymentRow> {
  created_at: Date;
  updated_at: Date;
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
}

/** The columns of db/rows.ts's ProfessionalRow, and those it leaves out. */
export interface ProfessionalTableRow extends Required<ProfessionalRow> {
  created_at: Date;
  updated_at: Date;
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
  birth_date: string | null;
}

export interface ZipCodeTableRow {
  zip: string;
  city: string;
  latitude: number;
  longitude: number;
}

// Courses, trainers and online learning

export interface CourseTableRow {
  id: number;
  title: string;
  description: string;
  sponsor: string;
  topic: string;
  delivery: DeliveryMode;
  clock_hours: number;
  in_person_hours: number | null;
  approved: boolean;
  created_at: Date;
  updated_at: Date;
  cpr_model: string | null;
  trainer_user_id: number | null;
  level: CourseLevel | null;
  fee_cents: number | null;
  materials: string;
  approved_by_case_id: number | null;
  pass_mark_percent: number | null;
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
  minimum_minutes: number | null;
  knowledge_check_attempts: number;
  knowledge_check_wait_minutes: number;
}

export interface CourseModuleTableRow {
  id: number;
  course_id: number;
  position: number;
  title: string;
  body: string;
  image_url: string | null;
  image_alt: string | null;
  video_url: string | null;
  captions_url: string | null;
  transcript: string | null;
  handout_upload_id: string | null;
}

export interface CourseQuestionTableRow {
  id: number;
  course_id: number;
  position: number;
  prompt: string;
  choices: string[];
  correct_choice: number;
}

export interface CourseRequestTableRow {
  id: number;
  trainer_user_id: number;
  requested_by_user_id: number;
  professional_id: number | null;
  region: Region;
  message: string;
  preferred_month: string | null;
  seats: number | null;
  status: CourseRequestStatus;
  created_at: Date;
  answered_at: Date | null;
  answer: string | null;
}

export interface EventTableRow {
  id: number;
  course_id: number;
  trainer_user_id: number | null;
  title: string;
  description: string;
  sponsor: string;
  trainer_name: string;
  topic: string;
  level: CourseLevel | null;
  delivery: DeliveryMode;
  clock_hours: number;
  language: Language;
  address_line: string | null;
  city: string | null;
  county: string | null;
  region: Region | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
  online_url: string | null;
  capacity: number;
  registration_deadline: Date | null;
  fee_cents: number;
  first_session_at: Date;
  last_session_at: Date;
  cancelled: boolean;
  created_at: Date;
  /** Generated by PostgreSQL from the title, sponsor, description and place: read, never written. */
  search: string | null;
  session_choice: boolean;
  attendance_completed_at: Date | null;
  attendance_completed_by_user_id: number | null;
  seats_taken: number;
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
  held_with_children: boolean;
  online_module_group: boolean;
}

export interface EventSessionTableRow {
  id: number;
  event_id: number;
  title: string;
  starts_at: Date;
  ends_at: Date;
  hours: number;
  track: string | null;
}

export interface EventMessageTableRow {
  id: number;
  event_id: number;
  author_user_id: number;
  sent_by: EventMessageSender;
  to_professional_id: number | null;
  in_reply_to_id: number | null;
  body: string;
  created_at: Date;
}

export interface RegistrationTableRow {
  id: number;
  event_id: number;
  professional_id: number;
  status: RegistrationStatus;
  registered_by_user_id: number | null;
  created_at: Date;
  cancelled_at: Date | null;
  calendar_uid: string;
  calendar_sequence: number;
}

/** The sessions a registration holds a seat at, when the event lets a person choose them. */
export interface RegistrationSessionTableRow {
  registration_id: number;
  event_session_id: number;
}

export interface AttendanceTableRow {
  id: number;
  event_session_id: number;
  registration_id: number;
  status: AttendanceStatus;
  hours: number;
  recorded_by_user_id: number | null;
  recorded_at: Date;
  in_ratio: boolean;
}

export interface EnrollmentTableRow {
  id: number;
  course_id: number;
  professional_id: number;
  status: EnrollmentStatus;
  registered_on: string;
  started_at: Date | null;
  completed_at: Date | null;
  withdrawn_at: Date | null;
  fee_cents: number;
  last_module_id: number | null;
  training_record_id: number | null;
  created_at: Date;
  engaged_module_id: number | null;
  engaged_at: Date | null;
  taken_as_group: boolean;
  group_enrolled_by_user_id: number | null;
}

export interface ModuleProgressTableRow {
  enrollment_id: number;
  module_id: number;
  completed_at: Date;
}

export interface ModuleEngagementTableRow {
  enrollment_id: number;
  module_id: number;
  opened_at: Date;
  engaged_ms: number;
}

export interface KnowledgeCheckAttemptTableRow {
  id: number;
  enrollment_id: number;
  answers: number[];
  score_percent: number;
  passed: boolean;
  at: Date;
}

export interface PaymentTableRow {
  id: number;
  /** A payment is for one thing: an online course's enrollment or an event's registration. */
  enrollment_id: number | null;
  provider: string;
  provider_reference: string;
  amount_cents: number;
  status: PaymentStatus;
  created_at: Date;
  settled_at: Date | null;
  registration_id: number | null;
}

export interface TrainerTableRow {
  user_id: number;
  approved_until: string;
  approved_by_case_id: number | null;
  specialties: string[];
  updated_at: Date;
  regions: string[];
}

export interface TrainerCertificationTableRow {
  id: number;
  trainer_user_id: number;
  model: string;
  expires_on: string;
  upload_id: string | null;
  case_id: number;
}

export interface TrainingRatingTableRow {
  id: number;
  training_record_id: number;
  professional_id: number;
  course_id: number;
  event_id: number | null;
  stars: number;
  comment: string;
  created_at: Date;
  updated_at: Date;
}

// A person's own record

export interface SelfAssessmentTableRow {
  id: number;
  professional_id: number;
  taken_on: string;
  answers: Record<string, unknown>;
  instrument_version: string;
  created_at: Date;
}

/** The columns of db/rows.ts's TrainingRecordRow, and those it leaves out. */
export interface TrainingRecordTableRow extends Required<TrainingRecordRow> {
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
}

/** A training record as it was before a correction, void or new credit decision, and why it changed. */
export interface TrainingRecordVersionTableRow {
  id: number;
  training_record_id: number;
  professional_id: number;
  kind: TrainingRecordChangeKind;
  /** The record as it was. */
  before: TrainingRecordRow;
  reason: string;
  actor_user_id: number | null;
  created_at: Date;
}

export interface ReminderPreferenceTableRow {
  professional_id: number;
  unsubscribe_token: string;
  opted_out_at: Date | null;
  updated_at: Date;
}

export interface AwardedCredentialTableRow {
  id: number;
  professional_id: number;
  case_id: number;
  credential_id: string;
  catalog_version: string;
  title: string;
  area: Topic;
  competency: string;
  verification_code: string;
  awarded_on: string;
  expires_on: string | null;
  revoked_at: Date | null;
  revoked_by_user_id: number | null;
  revoked_reason: string;
  created_at: Date;
}

export interface UploadTableRow {
  id: string;
  owner_user_id: number;
  purpose: UploadPurpose;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
}

export interface NotificationTableRow {
  id: number;
  user_id: number;
  case_id: number | null;
  title: string;
  body: string;
  link: string;
  dedupe_key: string;
  created_at: Date;
  read_at: Date | null;
}

// Approval cases

export interface CaseTableRow {
  id: number;
  type: CaseType;
  status: CaseStatus;
  workflow_id: string;
  applicant_user_id: number;
  professional_id: number | null;
  organization_id: number | null;
  /** No check constraint holds this to the known regions. */
  region: string | null;
  title: string;
  submission: unknown;
  check_results: unknown[];
  rule_set: string;
  rule_set_version: number;
  assignee_user_id: number | null;
  assigned_at: Date | null;
  due_at: Date | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  information_due_at: Date | null;
  decision_reasons: string[];
  decided_by_user_id: number | null;
  decided_at: Date | null;
  approval_expires_on: string | null;
  renews_case_id: number | null;
  submitted_at: Date;
  updated_at: Date;
  legacy_system: string | null;
  legacy_id: string | null;
  legacy_hash: string | null;
}

export interface CaseEventTableRow {
  id: number;
  case_id: number;
  at: Date;
  actor_user_id: number | null;
  kind: CaseEventKind;
  note: string;
  detail: Record<string, unknown>;
  dedupe_key: string;
}

export interface CaseDocumentTableRow {
  case_id: number;
  upload_id: string;
  label: string;
  added_at: Date;
}

export interface CaseMessageTableRow {
  id: number;
  case_id: number;
  author_user_id: number;
  body: string;
  at: Date;
  dedupe_key: string;
}

// Administration

export interface AuditLogTableRow {
  id: number;
  at: Date;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export interface SettingTableRow {
  key: string;
  value: unknown;
  updated_at: Date;
}

export interface ImportBatchTableRow {
  id: number;
  name: string;
  system: string;
  status: ImportBatchStatus;
  uploaded_by_user_id: number | null;
  report: unknown;
  applied_report: unknown;
  progress_done: number;
  progress_total: number;
  current_file: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ImportBatchFileTableRow {
  batch_id: number;
  name: string;
  content: string;
}

// Rule sets

export interface RuleSetVersionTableRow {
  id: number;
  rule_set: string;
  version: number;
  status: RuleSetStatus;
  effective_from: string | null;
  document: unknown;
  change_note: string;
  created_at: Date;
  author_user_id: number | null;
  based_on_version: number | null;
  approved_by_user_id: number | null;
  /** When the publication was approved. */
  approved_at: Date | null;
  /**
   * Everyone who wrote the document: its author and each person who saved it. A BIGINT[]: the
   * driver reads its elements as strings (db/connection.ts parses only single BIGINTs).
   */
  drafted_by_user_ids: string[];
  rollback_of_version: number | null;
  rollback_reason: string | null;
  validated_at: Date | null;
  published_at: Date | null;
  updated_at: Date;
}

export interface RuleSetPublicationTableRow {
  id: number;
  rule_set: string;
  version: number;
  effective_from: string;
  status: PublicationStatus;
  workflow_id: string;
  requested_by_user_id: number | null;
  total: number;
  done: number;
  changed: number;
  last_professional_id: number;
  created_at: Date;
  finished_at: Date | null;
}

export interface RuleSetSimulationTableRow {
  id: number;
  rule_set: string;
  version: number;
  compared_with_version: number | null;
  as_of: string;
  status: SimulationStatus;
  workflow_id: string;
  requested_by_user_id: number | null;
  total: number;
  done: number;
  result: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface RuleSetCaseTableRow {
  id: number;
  rule_set: string;
  case_id: string;
  definition: unknown;
  author_user_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface ComplianceResultTableRow {
  professional_id: number;
  as_of: string;
  rule_set: string;
  rule_set_version: number;
  compliant: boolean;
  result: unknown;
  computed_at: Date;
}
