/** Row types of the tables, as knex returns them (dates as 'YYYY-MM-DD', numerics as numbers). */
import type {
  CardVerification,
  CourseLevel,
  CredentialKind,
  DeadlineStatus,
  DegreeLevel,
  DeliveryMode,
  EducationKind,
  EmploymentRole,
  OutboxStatus,
  Region,
  TrainingSource,
} from '../rules/domain.js';
import type { CreditReason } from '../rules/engine.js';

export interface OrganizationRow {
  id: number;
  name: string;
  license_number: string | null;
  licensed: boolean;
  subsidized: boolean;
  serves_infants: boolean;
  contract_year_start_month: number | null;
  county: string;
  license_exempt: boolean;
  address_line: string | null;
  city: string | null;
  zip: string | null;
  region: Region | null;
  /** A registered program type's code (program_types); the database gives 'child_care' when left out. */
  program_type?: string;
}

export interface ProfessionalRow {
  id: number;
  mopd_id: string;
  first_name: string;
  last_name: string;
  email: string;
  county: string | null;
  phone: string | null;
  address_line: string | null;
  city: string | null;
  zip: string | null;
  region: Region | null;
}

export interface EmploymentRow {
  id: number;
  professional_id: number;
  organization_id: number;
  role: EmploymentRole;
  hire_date: string;
  end_date: string | null;
  /** Why it ended, when a director or admin said so (migration 031). */
  end_reason?: string | null;
}

export interface CourseRow {
  id: number;
  title: string;
  description: string;
  sponsor: string;
  topic: string;
  delivery: DeliveryMode;
  clock_hours: number;
  in_person_hours: number | null;
  approved: boolean;
  cpr_model: string | null;
  /** The approved trainer who owns it, when it came through a course approval. */
  trainer_user_id?: number | null;
  level?: CourseLevel | null;
  fee_cents?: number | null;
  materials?: string;
  approved_by_case_id?: number | null;
  /** Online courses: the knowledge check's pass mark. */
  pass_mark_percent?: number | null;
  /** Online courses: the least time it takes (null: its clock hours), and the knowledge check's attempts and wait. */
  minimum_minutes?: number | null;
  knowledge_check_attempts?: number;
  knowledge_check_wait_minutes?: number;
}

export interface TrainingRecordRow {
  id: number;
  professional_id: number;
  course_id: number | null;
  title: string;
  topic: string;
  completed_on: string;
  hours: number;
  source: TrainingSource;
  credited_hours: number;
  credit_rule_set: string;
  credit_rule_set_version: number;
  credit_reasons: CreditReason[];
  registered_on: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  cpr_model: string | null;
  trainer_has_instructor_certification: boolean | null;
  in_ratio: boolean;
  used_for_group: boolean;
  event_id: number | null;
  /** Online courses: the engaged time the completion rests on, in minutes. */
  time_spent_minutes?: number | null;
  /** Set when the registry voided the record (issue 18): it stays, earns nothing, says why. */
  voided_at?: Date | null;
  voided_by_user_id?: number | null;
  void_reason?: string | null;
  created_at: Date;
}

export interface DeadlineRow {
  id: number;
  /** Set for hire-date deadlines; a credential's renewal has credential_id instead. */
  employment_id: number | null;
  credential_id: number | null;
  professional_id: number;
  organization_id: number | null;
  requirement: string;
  label: string;
  satisfied_by_topic: string;
  starts_on: string;
  due_on: string;
  remind_at: Date;
  overdue_at: Date;
  status: DeadlineStatus;
  met_by_training_record_id: number | null;
  met_by_credential_id: number | null;
  reminded_at: Date | null;
  became_overdue_at: Date | null;
  met_at: Date | null;
  workflow_id: string;
  rule_set: string;
  rule_set_version: number;
}

/** A text attachment written with an outbox email (a calendar invitation). */
export interface OutboxAttachment {
  filename: string;
  /** e.g. 'text/calendar; method=REQUEST; charset=utf-8' */
  contentType: string;
  content: string;
}

export interface OutboxRow {
  id: number;
  dedupe_key: string;
  template: string;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  queued_at: Date | null;
  sent_at: Date | null;
  last_attempt_at: Date | null;
  dead_at: Date | null;
  /** Raised by each retry of an admin: part of the queue's job id. */
  generation: number;
  /** A random uuid, the rest of the queue's job id: unique across database restores, unlike `id`. */
  job_key: string;
  /** Extra headers and text attachments written with the email (see db/outbox.ts). */
  headers: Record<string, string>;
  attachments: OutboxAttachment[];
}

export interface EducationRow {
  id: number;
  professional_id: number;
  kind: EducationKind;
  title: string;
  institution: string;
  field: string;
  degree_level: DegreeLevel | null;
  credit_hours: number | null;
  completed_on: string | null;
  upload_id: string | null;
  created_at: Date;
}

export interface CredentialRow {
  id: number;
  professional_id: number;
  kind: CredentialKind;
  issuer: string;
  issued_on: string;
  expires_on: string;
  upload_id: string | null;
  created_at: Date;
  /** A reviewer's word on the scan (migration 027). */
  verification: CardVerification;
  verified_by_user_id: number | null;
  verified_at: Date | null;
  verification_note: string | null;
}
