/**
 * The domain's closed vocabularies. Each list is the single source for the TypeScript type, the
 * database check constraint, the API schema and the UI label: add a value here and every layer
 * follows.
 */

/** How a course is delivered. Blended courses declare their in-person hours separately. */
export const DELIVERY_MODES = ['in_person', 'online', 'blended'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** Where a training record came from. */
export const TRAINING_SOURCES = ['attendance', 'online_course', 'individual_request', 'legacy_import'] as const;
export type TrainingSource = (typeof TRAINING_SOURCES)[number];

/**
 * The jobs a person holds at an organization, as the registry was seeded with them. Roles are
 * registry data (table professional_roles, with English and Spanish labels): an admin adds more,
 * so a role is any registered code, and whether a role (volunteers, say) carries a requirement is
 * said by the rule set's conditions, not here.
 */
export const EMPLOYMENT_ROLES = [
  'director',
  'teacher',
  'assistant_teacher',
  'cook',
  'support_staff',
  'volunteer',
] as const;
export type SeededEmploymentRole = (typeof EMPLOYMENT_ROLES)[number];
/** A registered professional role's code (professional_roles.code). */
export type EmploymentRole = string;

/** Program types as the registry was seeded (table program_types); an admin adds more (afterschool, home visiting). */
export const SEEDED_PROGRAM_TYPES = ['child_care'] as const;
/** A registered program type's code (program_types.code). */
export type ProgramType = string;

/** How a code of registry data (roles, program types) is written: lower-case words joined by _. */
export const REGISTRY_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** Where a hire-date deadline stands. `met_late` is training recorded after the deadline passed. */
export const DEADLINE_STATUSES = ['open', 'met', 'overdue', 'met_late', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/** An email's way through the outbox; 'dead' is a dead letter: it kept failing, an admin may send it again. */
export const OUTBOX_STATUSES = ['pending', 'queued', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A compliance period's standing. */
export const PERIOD_STATUSES = ['met', 'in_progress', 'deficit'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

/** The lifecycle of a rule-set version (editing arrives with the policy issue). */
export const RULE_SET_STATUSES = ['draft', 'validated', 'published', 'superseded'] as const;
export type RuleSetStatus = (typeof RULE_SET_STATUSES)[number];

/** A publication waits for its effective date (cancellable), then switches and recomputes. */
export const PUBLICATION_STATUSES = ['scheduled', 'recomputing', 'completed', 'cancelled'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

/** A what-if simulation of a draft against the live registry. */
export const SIMULATION_STATUSES = ['running', 'completed', 'failed'] as const;
export type SimulationStatus = (typeof SIMULATION_STATUSES)[number];

/** A legacy import batch: previewed (nothing written), then applied file by file. */
export const IMPORT_BATCH_STATUSES = ['previewed', 'applying', 'applied', 'failed'] as const;
export type ImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

/** The time zone every local date of the Missouri registry is read in. */
export const REGISTRY_TIME_ZONE = 'America/Chicago';

/** The roles a person can hold; one person may hold several. */
export const ROLES = ['professional', 'trainer', 'reviewer', 'director', 'inspector', 'policy_staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where a director's claim on an organization stands (decided in the approvals workflow). */
export const CLAIM_STATUSES = ['pending', 'approved', 'denied', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** The languages people use MOPD in: the UI's messages and every email exist in each. English is the default. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a one-time emailed link is for. */
export const TOKEN_PURPOSES = ['password_reset', 'email_verification'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** What an uploaded file is for. */
export const UPLOAD_PURPOSES = ['cpr_card', 'instructor_certification', 'training_proof', 'document'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/** The regions MOPD groups Missouri's counties into for search and reports. */
export const REGIONS = [
  'Kansas City',
  'Northwest',
  'Northeast',
  'Central',
  'St. Louis',
  'Southwest',
  'Southeast',
] as const;
export type Region = (typeof REGIONS)[number];

/** What an education entry records. */
export const EDUCATION_KINDS = ['degree', 'coursework', 'credential'] as const;
export type EducationKind = (typeof EDUCATION_KINDS)[number];

/** Degrees from lowest to highest; the career rules read a degree's rank (its position here, from 1). */
export const DEGREE_LEVELS = ['high_school', 'cda', 'associate', 'bachelor', 'master', 'doctorate'] as const;
export type DegreeLevel = (typeof DEGREE_LEVELS)[number];

/** The credential kinds the registry tracks expiry of. */
export const CREDENTIAL_KINDS = ['cpr_first_aid_card'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** A credential's standing on a date: the renewal rule decides when `expiring` begins. */
/**
 * A card's standing on a date: expired past its expiry date; otherwise as its reviewer left it —
 * unverified until a reviewer has looked at the scan, rejected, or verified (expiring within the
 * renewal rule's reminder window). Only a verified card counts as valid on staff reports.
 */
export const CREDENTIAL_STATUSES = ['verified', 'unverified', 'rejected', 'expiring', 'expired', 'none'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

/** A reviewer's word on a card's scan (migration 027 freezes these). */
export const CARD_VERIFICATIONS = ['unverified', 'verified', 'rejected'] as const;
export type CardVerification = (typeof CARD_VERIFICATIONS)[number];

/** The kinds of approval case, each run by its own workflow type. */
export const CASE_TYPES = [
  'trainer_application',
  'course_approval',
  'training_request',
  'organization_claim',
  'micro_credential',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/**
 * Where a case stands. `refused` is a refusal by the automatic checks (e.g. the rule set gives an
 * online-only CPR course no hours); `lapsed` is a request for information left unanswered.
 */
export const CASE_STATUSES = [
  'submitted',
  'in_review',
  'information_requested',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'lapsed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['submitted', 'in_review', 'information_requested'];

/** What happened on a case, as its timeline shows it. */
export const CASE_EVENT_KINDS = [
  'submitted',
  'checked',
  'review_started',
  'assigned',
  'claimed',
  'released',
  'reassigned',
  'information_requested',
  'information_given',
  'reminded',
  'escalated',
  'rechecked',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'lapsed',
  'approval_expiring',
  'approval_expired',
  'message',
  /** The case came from an old system's export (its history as that system recorded it). */
  'imported',
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];

/** Courses' levels, from first steps to advanced practice. */
export const COURSE_LEVELS = ['introductory', 'intermediate', 'advanced'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];

/** Topics (competency areas) of training, as forms offer them; rules name topics by these codes. */
export const TOPICS = {
  'health-safety': 'Health and safety',
  'infant-safe-sleep': 'Infant safe sleep',
  'cpr-first-aid': 'CPR/First Aid',
  'child-development': 'Child growth and development',
  curriculum: 'Curriculum and learning environments',
  guidance: 'Guidance and positive behavior',
  assessment: 'Observation and assessment',
  'family-engagement': 'Family and community engagement',
  professionalism: 'Professionalism and leadership',
} as const;
export type Topic = keyof typeof TOPICS;

/** An awarded micro-credential's standing on a date, as its public verification page shows it. */
export const AWARDED_CREDENTIAL_STATUSES = ['valid', 'expired', 'revoked'] as const;
export type AwardedCredentialStatus = (typeof AWARDED_CREDENTIAL_STATUSES)[number];

/** Why a training record's earlier version was kept: an admin's correction, a void, or credit decided again. */
export const TRAINING_RECORD_CHANGE_KINDS = ['corrected', 'voided', 'redecided'] as const;
export type TrainingRecordChangeKind = (typeof TRAINING_RECORD_CHANGE_KINDS)[number];

/** Where a registration stands. A cancelled seat goes to the first on the waitlist. */
export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A trainer's mark for one registrant at one session. */
export const ATTENDANCE_STATUSES = ['present', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Where a person stands in an online course. Paid courses start once the provider confirms payment. */
export const ENROLLMENT_STATUSES = ['awaiting_payment', 'in_progress', 'completed', 'withdrawn'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** A course fee's payment, as its payment provider reports it. */
export const PAYMENT_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Languages training is offered in. */
export const TRAINING_LANGUAGES = ['en', 'es'] as const;
export type TrainingLanguage = (typeof TRAINING_LANGUAGES)[number];

/**
 * An event's participants, who read and receive its messages: those registered or waitlisted (a
 * waitlisted person may get a seat any day and needs the same practical news); not the cancelled.
 */
export const EVENT_PARTICIPANT_STATUSES = ['registered', 'waitlisted'] as const satisfies readonly RegistrationStatus[];
/** An event message is the trainer's (to everyone, or to one participant) or a participant's (to the trainer). */
export const EVENT_MESSAGE_SENDERS = ['trainer', 'participant'] as const;
export type EventMessageSender = (typeof EVENT_MESSAGE_SENDERS)[number];

/** Where a request to a CPR/First Aid trainer for a course stands. */
export const COURSE_REQUEST_STATUSES = ['open', 'answered', 'declined'] as const;
export type CourseRequestStatus = (typeof COURSE_REQUEST_STATUSES)[number];
