/**
 * The migrations, listed in order. Knex is given this list instead of a folder to scan so the
 * same migrations run under tsx, Vitest and compiled JavaScript alike. Append only.
 */
import type { Knex } from 'knex';
import * as registry from './20261123_001_registry.js';
import * as accounts from './20261123_002_accounts.js';
import * as creditFacts from './20261123_003_credit_facts.js';
import * as profile from './20261123_004_profile.js';
import * as cases from './20261123_005_cases.js';
import * as catalog from './20261123_006_catalog.js';
import * as attendance from './20261123_007_attendance.js';
import * as eventMessages from './20261123_008_event_messages.js';
import * as onlineCourses from './20261123_009_online_courses.js';
import * as catalogSpeed from './20261123_010_catalog_speed.js';
import * as ruleSetPublishing from './20261123_011_rule_set_publishing.js';
import * as ruleSetSimulations from './20261123_012_rule_set_simulations.js';
import * as legacyImport from './20261123_013_legacy_import.js';
import * as trainingRatings from './20261123_014_training_ratings.js';
import * as microCredentials from './20261201_015_micro_credentials.js';
import * as userLanguage from './20261201_016_user_language.js';
import * as legacyImportCasesEvents from './20261201_017_legacy_import_cases_events.js';
import * as analytics from './20261201_018_analytics.js';
import * as mailDeadLetter from './20261201_019_mail_dead_letter.js';
import * as staffAccess from './20261207_020_staff_access.js';
import * as signInAbuse from './20261207_021_sign_in_abuse.js';
import * as courseIntegrity from './20261207_022_course_integrity.js';
import * as secretsAtRest from './20261207_023_secrets_at_rest.js';
import * as mailJobIds from './20261207_024_mail_job_ids.js';
import * as caseInvariants from './20261207_025_case_invariants.js';
import * as recordCorrections from './20261207_026_record_corrections.js';
import * as trainingRequestsAndCprCards from './20261207_027_training_requests_and_cpr_cards.js';
import * as factsWhereTheyArise from './20261207_028_facts_where_they_arise.js';
import * as programRegistry from './20261207_029_program_registry.js';
import * as roleWorkspaces from './20261207_030_role_workspaces.js';
import * as missingScreens from './20261207_031_missing_screens.js';
import * as reviewerDecisions from './20261207_032_reviewer_decisions.js';
import * as typedTables from './20261207_033_typed_tables.js';
import * as outboxHeadersAndAttachments from './20261207_034_outbox_headers_and_attachments.js';
import * as reminders from './20261207_035_reminders.js';
import * as reminderPreferences from './20261207_036_reminder_preferences.js';
import * as directorDigests from './20261207_037_director_digests.js';
import * as rulesOnEveryPath from './20261207_038_rules_on_every_path.js';
import * as workspaceGaps from './20261207_039_workspace_gaps.js';
import * as typedTablesRemainder from './20261207_040_typed_tables_remainder.js';
import * as singleSignOn from './20261207_041_single_sign_on.js';
import * as partnerClientsAndWebhooks from './20261207_042_partner_clients_and_webhooks.js';
import * as openBadges from './20261207_043_open_badges.js';
import * as fasterWherePeopleWait from './20261207_044_faster_where_people_wait.js';
import * as rulesOnEveryPathRemainder from './20261207_045_rules_on_every_path_remainder.js';
import * as workspaceRemainder from './20261207_046_workspace_remainder.js';
import * as recoveryAndReconcile from './20261207_047_recovery_and_reconcile.js';
import * as observability from './20261207_048_observability.js';

const migrations: Record<string, Knex.Migration> = {
  '20261123_001_registry': registry,
  '20261123_002_accounts': accounts,
  '20261123_003_credit_facts': creditFacts,
  '20261123_004_profile': profile,
  '20261123_005_cases': cases,
  '20261123_006_catalog': catalog,
  '20261123_007_attendance': attendance,
  '20261123_008_event_messages': eventMessages,
  '20261123_009_online_courses': onlineCourses,
  '20261123_010_catalog_speed': catalogSpeed,
  '20261123_011_rule_set_publishing': ruleSetPublishing,
  '20261123_012_rule_set_simulations': ruleSetSimulations,
  '20261123_013_legacy_import': legacyImport,
  '20261123_014_training_ratings': trainingRatings,
  '20261201_015_micro_credentials': microCredentials,
  '20261201_016_user_language': userLanguage,
  '20261201_017_legacy_import_cases_events': legacyImportCasesEvents,
  '20261201_018_analytics': analytics,
  '20261201_019_mail_dead_letter': mailDeadLetter,
  '20261207_020_staff_access': staffAccess,
  '20261207_021_sign_in_abuse': signInAbuse,
  '20261207_022_course_integrity': courseIntegrity,
  '20261207_023_secrets_at_rest': secretsAtRest,
  '20261207_024_mail_job_ids': mailJobIds,
  '20261207_025_case_invariants': caseInvariants,
  '20261207_026_record_corrections': recordCorrections,
  '20261207_027_training_requests_and_cpr_cards': trainingRequestsAndCprCards,
  '20261207_028_facts_where_they_arise': factsWhereTheyArise,
  '20261207_029_program_registry': programRegistry,
  '20261207_030_role_workspaces': roleWorkspaces,
  '20261207_031_missing_screens': missingScreens,
  '20261207_032_reviewer_decisions': reviewerDecisions,
  '20261207_033_typed_tables': typedTables,
  '20261207_034_outbox_headers_and_attachments': outboxHeadersAndAttachments,
  '20261207_035_reminders': reminders,
  '20261207_036_reminder_preferences': reminderPreferences,
  '20261207_037_director_digests': directorDigests,
  '20261207_038_rules_on_every_path': rulesOnEveryPath,
  '20261207_039_workspace_gaps': workspaceGaps,
  '20261207_040_typed_tables_remainder': typedTablesRemainder,
  '20261207_041_single_sign_on': singleSignOn,
  '20261207_042_partner_clients_and_webhooks': partnerClientsAndWebhooks,
  '20261207_043_open_badges': openBadges,
  '20261207_044_faster_where_people_wait': fasterWherePeopleWait,
  '20261207_045_rules_on_every_path_remainder': rulesOnEveryPathRemainder,
  '20261207_046_workspace_remainder': workspaceRemainder,
  '20261207_047_recovery_and_reconcile': recoveryAndReconcile,
  '20261207_048_observability': observability,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return migration;
  },
};
