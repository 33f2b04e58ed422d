/**
 * Row types of tables, known to knex: `db('settings')` reads `SettingTableRow`s rather than `any`, and a
 * where, insert or update naming a column the table lacks, or a value it cannot hold, does not
 * compile. Only a bare table name is typed: `db('settings as s')` and joins still read `any`.
 *
 * Not typed yet: users, audit_log, courses, self_assessments, organizations, professionals,
 * employments, registrations, training_records and compliance_results. Their row types are ready in
 * tableRows.ts; typing them turns about 240 reads in tests (`.first()` of a row the test made, a
 * `TestUser`'s `professionalId` that may be null) into possibly-undefined reads to settle test by
 * test, with test/support/rows.ts (`mustFind`, `insertedId`, `professionalOf`). `session` stays
 * untyped: connect-pg-simple alone reads and writes it. outbox, deadlines, education and
 * credentials use db/rows.ts's row types.
 */
import type { CredentialRow, DeadlineRow, EducationRow, OutboxRow } from '../rows.js';
import type * as R from './tableRows.js';

declare module 'knex/types/tables.js' {
  interface Tables {
    outbox: OutboxRow;
    deadlines: DeadlineRow;
    education: EducationRow;
    credentials: CredentialRow;

    recovery_codes: R.Table<R.RecoveryCodeTableRow>;
    auth_tokens: R.Table<R.AuthTokenTableRow>;
    sign_in_failures: R.Table<R.SignInFailureTableRow>;
    sign_up_requests: R.Table<R.SignUpRequestTableRow>;
    reviewer_profiles: R.Table<R.ReviewerProfileTableRow>;
    inspector_assignments: R.Table<R.InspectorAssignmentTableRow>;
    zip_codes: R.Table<R.ZipCodeTableRow>;
    course_questions: R.Table<R.CourseQuestionTableRow, 'choices'>;
    module_progress: R.Table<R.ModuleProgressTableRow>;
    module_engagement: R.Table<R.ModuleEngagementTableRow>;
    knowledge_check_attempts: R.Table<R.KnowledgeCheckAttemptTableRow, 'answers'>;
    trainer_certifications: R.Table<R.TrainerCertificationTableRow>;
    training_ratings: R.Table<R.TrainingRatingTableRow>;
    awarded_credentials: R.Table<R.AwardedCredentialTableRow>;
    settings: R.Table<R.SettingTableRow, 'value'>;
    import_batches: R.Table<R.ImportBatchTableRow, 'report' | 'applied_report'>;
    import_batch_files: R.Table<R.ImportBatchFileTableRow>;
    notifications: R.Table<R.NotificationTableRow>;
    course_requests: R.Table<R.CourseRequestTableRow>;
    course_modules: R.Table<R.CourseModuleTableRow>;
    uploads: R.Table<R.UploadTableRow>;
    trainers: R.Table<R.TrainerTableRow>;
    cases: R.Table<R.CaseTableRow, 'submission' | 'check_results' | 'decision_reasons'>;
    case_events: R.Table<R.CaseEventTableRow, 'detail'>;
    case_documents: R.Table<R.CaseDocumentTableRow>;
    case_messages: R.Table<R.CaseMessageTableRow>;
    organization_claims: R.Table<R.OrganizationClaimTableRow>;
    staff_invitations: R.Table<R.StaffInvitationTableRow>;
    events: R.Table<R.EventTableRow>;
    event_sessions: R.Table<R.EventSessionTableRow>;
    event_messages: R.Table<R.EventMessageTableRow>;
    payments: R.Table<R.PaymentTableRow>;
    enrollments: R.Table<R.EnrollmentTableRow>;
    user_roles: R.Table<R.UserRoleTableRow>;
    program_settings: R.Table<R.ProgramSettingTableRow>;
    program_types: R.Table<R.RegistryEntryTableRow>;
    professional_roles: R.Table<R.RegistryEntryTableRow>;
    registration_sessions: R.Table<R.RegistrationSessionTableRow>;
    attendance: R.Table<R.AttendanceTableRow>;
    training_record_versions: R.Table<R.TrainingRecordVersionTableRow, 'before'>;
    reminder_preferences: R.Table<R.ReminderPreferenceTableRow>;
    rule_set_versions: R.Table<R.RuleSetVersionTableRow, 'document'>;
    rule_set_publications: R.Table<R.RuleSetPublicationTableRow>;
    rule_set_simulations: R.Table<R.RuleSetSimulationTableRow, 'result'>;
    rule_set_cases: R.Table<R.RuleSetCaseTableRow, 'definition'>;
  }
}
