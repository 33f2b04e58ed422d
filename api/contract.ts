/**
 * The shapes the API's responses carry, as the UI reads them: types inferred from the routes'
 * response schemas (api/responses/), which the tests check every answer against. The UI imports
 * these types from here, never from services/ or db/ (lint-enforced). Types only: nothing here runs.
 */
import type { z } from 'zod';
import type * as adminAnswers from './responses/admin.js';
import type * as analyticsAnswers from './responses/analytics.js';
import type * as attendanceAnswers from './responses/attendance.js';
import type * as authAnswers from './responses/auth.js';
import type * as casesAnswers from './responses/cases.js';
import type * as catalogAnswers from './responses/catalog.js';
import type * as courseRequestsAnswers from './responses/courseRequests.js';
import type * as cprCardsAnswers from './responses/cprCards.js';
import type * as employmentsAnswers from './responses/employments.js';
import type * as eventMessagesAnswers from './responses/eventMessages.js';
import type * as eventsAnswers from './responses/events.js';
import type * as importsAnswers from './responses/imports.js';
import type * as mailAnswers from './responses/mail.js';
import type * as homeAnswers from './responses/home.js';
import type * as microCredentialsAnswers from './responses/microCredentials.js';
import type * as onlineCoursesAnswers from './responses/onlineCourses.js';
import type * as organizationsAnswers from './responses/organizations.js';
import type * as professionalsAnswers from './responses/professionals.js';
import type * as profileAnswers from './responses/profile.js';
import type * as ratingsAnswers from './responses/ratings.js';
import type * as remindersAnswers from './responses/reminders.js';
import type * as registrationsAnswers from './responses/registrations.js';
import type * as ruleSetsAnswers from './responses/ruleSets.js';
import type * as selfAssessmentsAnswers from './responses/selfAssessments.js';
import type * as singleSignOnAnswers from './responses/singleSignOn.js';
import type * as trainingRecordsAnswers from './responses/trainingRecords.js';
import type * as uploadsAnswers from './responses/uploads.js';
import type * as shapes from './responses/shapes.js';

/** What each route answers, by method and path: `Answer<'GET /api/admin/users'>`. */
export interface Answers {
  'GET /api/admin/users': z.infer<typeof adminAnswers.getAdminUsers>;
  'POST /api/admin/users': z.infer<typeof adminAnswers.postAdminUsers>;
  'GET /api/admin/users/:id': z.infer<typeof adminAnswers.getAdminUsersById>;
  'PUT /api/admin/users/:id/roles': z.infer<typeof adminAnswers.putAdminUsersByIdRoles>;
  'PUT /api/admin/users/:id/inspector-facilities': z.infer<typeof adminAnswers.putAdminUsersByIdInspectorFacilities>;
  'POST /api/admin/users/:id/organization-claims': z.infer<typeof adminAnswers.postAdminUsersByIdOrganizationClaims>;
  'PUT /api/admin/settings/inspectors-see-all-facilities': z.infer<
    typeof adminAnswers.putAdminSettingsInspectorsSeeAllFacilities
  >;
  'PUT /api/admin/users/:id/reviewer-profile': z.infer<typeof adminAnswers.putAdminUsersByIdReviewerProfile>;
  'GET /api/admin/case-settings': z.infer<typeof adminAnswers.getAdminCaseSettings>;
  'PUT /api/admin/case-settings': z.infer<typeof adminAnswers.putAdminCaseSettings>;
  'GET /api/admin/audit-log': z.infer<typeof adminAnswers.getAdminAuditLog>;
  'GET /api/auth/sso': z.infer<typeof singleSignOnAnswers.getAuthSso>;
  'GET /api/admin/sso/group-roles': z.infer<typeof singleSignOnAnswers.getAdminSsoGroupRoles>;
  'PUT /api/admin/sso/group-roles': z.infer<typeof singleSignOnAnswers.putAdminSsoGroupRoles>;
  'GET /api/analytics/:report': z.infer<typeof analyticsAnswers.getAnalyticsReport>;
  'GET /api/events/:id/attendance': z.infer<typeof attendanceAnswers.getEventsByIdAttendance>;
  'PUT /api/events/:id/attendance': z.infer<typeof attendanceAnswers.putEventsByIdAttendance>;
  'POST /api/events/:id/attendance/complete': z.infer<typeof attendanceAnswers.postEventsByIdAttendanceComplete>;
  'PUT /api/registrations/:id/sessions': z.infer<typeof attendanceAnswers.putRegistrationsByIdSessions>;
  'GET /api/auth/csrf': z.infer<typeof authAnswers.getAuthCsrf>;
  'POST /api/auth/sign-up': z.infer<typeof authAnswers.postAuthSignUp>;
  'POST /api/auth/sign-in': z.infer<typeof authAnswers.postAuthSignIn>;
  'POST /api/auth/sign-in/second-factor': z.infer<typeof authAnswers.postAuthSignInSecondFactor>;
  'POST /api/auth/sign-out': z.infer<typeof authAnswers.postAuthSignOut>;
  'GET /api/auth/me': z.infer<typeof authAnswers.getAuthMe>;
  'PUT /api/me/language': z.infer<typeof authAnswers.putMeLanguage>;
  'POST /api/auth/password-reset': z.infer<typeof authAnswers.postAuthPasswordReset>;
  'POST /api/auth/password-reset/confirm': z.infer<typeof authAnswers.postAuthPasswordResetConfirm>;
  'POST /api/auth/verify-email': z.infer<typeof authAnswers.postAuthVerifyEmail>;
  'POST /api/auth/verify-email/resend': z.infer<typeof authAnswers.postAuthVerifyEmailResend>;
  'POST /api/auth/mfa/setup': z.infer<typeof authAnswers.postAuthMfaSetup>;
  'POST /api/auth/mfa/enable': z.infer<typeof authAnswers.postAuthMfaEnable>;
  'POST /api/cases/trainer-applications': z.infer<typeof casesAnswers.postCasesTrainerApplications>;
  'POST /api/cases/course-approvals': z.infer<typeof casesAnswers.postCasesCourseApprovals>;
  'POST /api/cases/training-requests': z.infer<typeof casesAnswers.postCasesTrainingRequests>;
  'POST /api/cases/organization-claims': z.infer<typeof casesAnswers.postCasesOrganizationClaims>;
  'POST /api/cases/micro-credentials': z.infer<typeof casesAnswers.postCasesMicroCredentials>;
  'GET /api/cases/mine': z.infer<typeof casesAnswers.getCasesMine>;
  'GET /api/cases': z.infer<typeof casesAnswers.getCases>;
  'GET /api/cases/:id': z.infer<typeof casesAnswers.getCasesById>;
  'POST /api/cases/:id/claim': z.infer<typeof casesAnswers.postCasesByIdClaim>;
  'POST /api/cases/:id/release': z.infer<typeof casesAnswers.postCasesByIdRelease>;
  'POST /api/cases/:id/reassign': z.infer<typeof casesAnswers.postCasesByIdReassign>;
  'POST /api/cases/:id/request-information': z.infer<typeof casesAnswers.postCasesByIdRequestInformation>;
  'POST /api/cases/:id/decide': z.infer<typeof casesAnswers.postCasesByIdDecide>;
  'POST /api/cases/:id/recheck': z.infer<typeof casesAnswers.postCasesByIdRecheck>;
  'POST /api/cases/:id/answer': z.infer<typeof casesAnswers.postCasesByIdAnswer>;
  'POST /api/cases/:id/withdraw': z.infer<typeof casesAnswers.postCasesByIdWithdraw>;
  'POST /api/cases/:id/messages': z.infer<typeof casesAnswers.postCasesByIdMessages>;
  'POST /api/cases/assign': z.infer<typeof casesAnswers.postCasesAssign>;
  'GET /api/reviewers': z.infer<typeof casesAnswers.getReviewers>;
  'GET /api/notifications': z.infer<typeof casesAnswers.getNotifications>;
  'POST /api/notifications/:id/read': z.infer<typeof casesAnswers.postNotificationsByIdRead>;
  'GET /api/admin/courses': z.infer<typeof catalogAnswers.getAdminCourses>;
  'GET /api/catalog': z.infer<typeof catalogAnswers.getCatalog>;
  'GET /api/catalog/cpr-trainers': z.infer<typeof catalogAnswers.getCatalogCprTrainers>;
  'POST /api/trainers/:id/course-requests': z.infer<typeof courseRequestsAnswers.postTrainersByIdCourseRequests>;
  'GET /api/my/course-requests': z.infer<typeof courseRequestsAnswers.getMyCourseRequests>;
  'POST /api/course-requests/:id/answer': z.infer<typeof courseRequestsAnswers.postCourseRequestsByIdAnswer>;
  'POST /api/employments': z.infer<typeof employmentsAnswers.postEmployments>;
  'POST /api/organizations/:id/staff': z.infer<typeof employmentsAnswers.postOrganizationsByIdStaff>;
  'POST /api/organizations/:id/staff-invitations': z.infer<
    typeof employmentsAnswers.postOrganizationsByIdStaffInvitations
  >;
  'GET /api/organizations/:id/staff-invitations': z.infer<
    typeof employmentsAnswers.getOrganizationsByIdStaffInvitations
  >;
  'GET /api/my/staff-invitations': z.infer<typeof employmentsAnswers.getMyStaffInvitations>;
  'POST /api/staff-invitations/:id/accept': z.infer<typeof employmentsAnswers.postStaffInvitationsByIdAccept>;
  'POST /api/staff-invitations/:id/decline': z.infer<typeof employmentsAnswers.postStaffInvitationsByIdDecline>;
  'POST /api/employments/:id/end': z.infer<typeof employmentsAnswers.postEmploymentsByIdEnd>;
  'POST /api/organizations/:id/hires': z.infer<typeof employmentsAnswers.postOrganizationsByIdHires>;
  'GET /api/organizations/:id/employments': z.infer<typeof employmentsAnswers.getOrganizationsByIdEmployments>;
  'POST /api/admin/professionals': z.infer<typeof employmentsAnswers.postAdminProfessionals>;
  'GET /api/events/:id/messages': z.infer<typeof eventMessagesAnswers.getEventsByIdMessages>;
  'POST /api/events/:id/messages': z.infer<typeof eventMessagesAnswers.postEventsByIdMessages>;
  'GET /api/events/:id': z.infer<typeof eventsAnswers.getEventsById>;
  'GET /api/my/events': z.infer<typeof eventsAnswers.getMyEvents>;
  'POST /api/events': z.infer<typeof eventsAnswers.postEvents>;
  'POST /api/admin/imports': z.infer<typeof importsAnswers.postAdminImports>;
  'POST /api/admin/imports/:id/apply': z.infer<typeof importsAnswers.postAdminImportsByIdApply>;
  'GET /api/admin/imports/:id': z.infer<typeof importsAnswers.getAdminImportsById>;
  'GET /api/admin/imports/formats': z.infer<typeof importsAnswers.getAdminImportsFormats>;
  'GET /api/admin/outbox': z.infer<typeof mailAnswers.getAdminOutbox>;
  'POST /api/admin/outbox/:id/retry': z.infer<typeof mailAnswers.postAdminOutboxByIdRetry>;
  'GET /api/home': z.infer<typeof homeAnswers.getHome>;
  'GET /api/micro-credentials': z.infer<typeof microCredentialsAnswers.getMicroCredentials>;
  'GET /api/professionals/:id/credentials': z.infer<typeof microCredentialsAnswers.getProfessionalsByIdCredentials>;
  'GET /api/credentials/verify/:code': z.infer<typeof microCredentialsAnswers.getCredentialsVerifyByCode>;
  'POST /api/credentials/:id/revoke': z.infer<typeof microCredentialsAnswers.postCredentialsByIdRevoke>;
  'GET /api/online-courses': z.infer<typeof onlineCoursesAnswers.getOnlineCourses>;
  'GET /api/online-courses/:id': z.infer<typeof onlineCoursesAnswers.getOnlineCoursesById>;
  'POST /api/online-courses/:id/enrollments': z.infer<typeof onlineCoursesAnswers.postOnlineCoursesByIdEnrollments>;
  'POST /api/online-courses/:id/group-enrollments': z.infer<
    typeof onlineCoursesAnswers.postOnlineCoursesByIdGroupEnrollments
  >;
  'GET /api/my/enrollments': z.infer<typeof onlineCoursesAnswers.getMyEnrollments>;
  'GET /api/enrollments/:id': z.infer<typeof onlineCoursesAnswers.getEnrollmentsById>;
  'POST /api/enrollments/:id/modules/:moduleId/engagement': z.infer<
    typeof onlineCoursesAnswers.postEnrollmentsByIdModulesByModuleIdEngagement
  >;
  'POST /api/enrollments/:id/modules/:moduleId/complete': z.infer<
    typeof onlineCoursesAnswers.postEnrollmentsByIdModulesByModuleIdComplete
  >;
  'POST /api/enrollments/:id/knowledge-check': z.infer<typeof onlineCoursesAnswers.postEnrollmentsByIdKnowledgeCheck>;
  'POST /api/enrollments/:id/checkout': z.infer<typeof onlineCoursesAnswers.postEnrollmentsByIdCheckout>;
  'POST /api/enrollments/:id/withdraw': z.infer<typeof onlineCoursesAnswers.postEnrollmentsByIdWithdraw>;
  'GET /api/courses/:id/content': z.infer<typeof onlineCoursesAnswers.getCoursesByIdContent>;
  'PUT /api/courses/:id/content': z.infer<typeof onlineCoursesAnswers.putCoursesByIdContent>;
  'GET /api/organizations': z.infer<typeof organizationsAnswers.getOrganizations>;
  'POST /api/organizations': z.infer<typeof organizationsAnswers.postOrganizations>;
  'PATCH /api/organizations/:id': z.infer<typeof organizationsAnswers.patchOrganizationsById>;
  'GET /api/reports/organizations': z.infer<typeof organizationsAnswers.getReportsOrganizations>;
  'GET /api/organizations/:id/staff-report': z.infer<typeof organizationsAnswers.getOrganizationsByIdStaffReport>;
  'GET /api/program-types': z.infer<typeof organizationsAnswers.registryEntries>;
  'POST /api/admin/program-types': z.infer<typeof organizationsAnswers.registryEntryAnswer>;
  'PATCH /api/admin/program-types/:code': z.infer<typeof organizationsAnswers.registryEntryAnswer>;
  'GET /api/professional-roles': z.infer<typeof organizationsAnswers.registryEntries>;
  'POST /api/admin/professional-roles': z.infer<typeof organizationsAnswers.registryEntryAnswer>;
  'PATCH /api/admin/professional-roles/:code': z.infer<typeof organizationsAnswers.registryEntryAnswer>;
  'GET /api/admin/organizations/:id/program-settings': z.infer<typeof organizationsAnswers.programSettingsHistory>;
  'POST /api/admin/organizations/:id/program-settings': z.infer<typeof organizationsAnswers.programSettingsChanged>;
  'POST /api/admin/compliance/recompute': z.infer<typeof organizationsAnswers.recomputed>;
  'GET /api/professionals': z.infer<typeof professionalsAnswers.getProfessionals>;
  'GET /api/professionals/:id': z.infer<typeof professionalsAnswers.getProfessionalsById>;
  'GET /api/professionals/:id/compliance': z.infer<typeof professionalsAnswers.getProfessionalsByIdCompliance>;
  'GET /api/professionals/:id/deadlines': z.infer<typeof professionalsAnswers.getProfessionalsByIdDeadlines>;
  'GET /api/professionals/:id/training-records': z.infer<
    typeof professionalsAnswers.getProfessionalsByIdTrainingRecords
  >;
  'GET /api/professionals/:id/transcript': z.infer<typeof professionalsAnswers.getProfessionalsByIdTranscript>;
  'GET /api/professionals/:id/profile': z.infer<typeof profileAnswers.getProfessionalsByIdProfile>;
  'PATCH /api/professionals/:id': z.infer<typeof profileAnswers.patchProfessionalsById>;
  'POST /api/professionals/:id/education': z.infer<typeof profileAnswers.postProfessionalsByIdEducation>;
  'POST /api/professionals/:id/credentials': z.infer<typeof profileAnswers.postProfessionalsByIdCredentials>;
  'GET /api/cpr-cards/accepted-issuers': z.infer<typeof cprCardsAnswers.getCprCardsAcceptedIssuers>;
  'GET /api/cpr-cards/queue': z.infer<typeof cprCardsAnswers.getCprCardsQueue>;
  'POST /api/cpr-cards/:id/verification': z.infer<typeof cprCardsAnswers.postCprCardsByIdVerification>;
  'GET /api/training-requests/categories': z.infer<typeof cprCardsAnswers.getTrainingRequestsCategories>;
  'PUT /api/training-records/:id/rating': z.infer<typeof ratingsAnswers.putTrainingRecordsByIdRating>;
  'GET /api/courses/:id/ratings': z.infer<typeof ratingsAnswers.getCoursesByIdRatings>;
  'GET /api/cases/:id/course-ratings': z.infer<typeof ratingsAnswers.getCasesByIdCourseRatings>;
  'POST /api/events/:id/registrations': z.infer<typeof registrationsAnswers.postEventsByIdRegistrations>;
  'POST /api/registrations/:id/cancel': z.infer<typeof registrationsAnswers.postRegistrationsByIdCancel>;
  'POST /api/registrations/:id/checkout': z.infer<typeof registrationsAnswers.postRegistrationsByIdCheckout>;
  'GET /api/professionals/:id/registrations': z.infer<typeof registrationsAnswers.getProfessionalsByIdRegistrations>;
  'GET /api/events/:id/roster': z.infer<typeof registrationsAnswers.getEventsByIdRoster>;
  'GET /api/rule-sets/:ruleSet/versions': z.infer<typeof ruleSetsAnswers.getRuleSetsByRuleSetVersions>;
  'GET /api/rule-sets/:ruleSet/versions/:version': z.infer<
    typeof ruleSetsAnswers.getRuleSetsByRuleSetVersionsByVersion
  >;
  'POST /api/rule-sets/:ruleSet/drafts': z.infer<typeof ruleSetsAnswers.postRuleSetsByRuleSetDrafts>;
  'PUT /api/rule-sets/:ruleSet/versions/:version': z.infer<
    typeof ruleSetsAnswers.putRuleSetsByRuleSetVersionsByVersion
  >;
  'POST /api/rule-sets/:ruleSet/versions/:version/validate': z.infer<
    typeof ruleSetsAnswers.postRuleSetsByRuleSetVersionsByVersionValidate
  >;
  'POST /api/rule-sets/:ruleSet/versions/:version/publish': z.infer<
    typeof ruleSetsAnswers.postRuleSetsByRuleSetVersionsByVersionPublish
  >;
  'GET /api/admin/settings/single-person-publication': z.infer<
    typeof ruleSetsAnswers.putAdminSettingsSinglePersonPublication
  >;
  'PUT /api/admin/settings/single-person-publication': z.infer<
    typeof ruleSetsAnswers.putAdminSettingsSinglePersonPublication
  >;
  'POST /api/rule-set-publications/:id/cancel': z.infer<typeof ruleSetsAnswers.postRuleSetPublicationsByIdCancel>;
  'POST /api/rule-sets/:ruleSet/versions/:version/simulations': z.infer<
    typeof ruleSetsAnswers.postRuleSetsByRuleSetVersionsByVersionSimulations
  >;
  'GET /api/rule-set-simulations/:id': z.infer<typeof ruleSetsAnswers.getRuleSetSimulationsById>;
  'GET /api/rule-set-simulations/:id/people/:professionalId': z.infer<
    typeof ruleSetsAnswers.getRuleSetSimulationsByIdPeopleByProfessionalId
  >;
  'POST /api/rule-sets/:ruleSet/rollbacks': z.infer<typeof ruleSetsAnswers.postRuleSetsByRuleSetRollbacks>;
  'GET /api/rule-sets/:ruleSet/cases': z.infer<typeof ruleSetsAnswers.getRuleSetsByRuleSetCases>;
  'PUT /api/rule-sets/:ruleSet/cases/:caseId': z.infer<typeof ruleSetsAnswers.putRuleSetsByRuleSetCasesByCaseId>;
  'DELETE /api/rule-sets/:ruleSet/cases/:caseId': z.infer<typeof ruleSetsAnswers.deleteRuleSetsByRuleSetCasesByCaseId>;
  'GET /api/self-assessment/instrument': z.infer<typeof selfAssessmentsAnswers.getSelfAssessmentInstrument>;
  'POST /api/professionals/:id/self-assessments': z.infer<
    typeof selfAssessmentsAnswers.postProfessionalsByIdSelfAssessments
  >;
  'GET /api/professionals/:id/self-assessments': z.infer<
    typeof selfAssessmentsAnswers.getProfessionalsByIdSelfAssessments
  >;
  'GET /api/professionals/:id/recommendations': z.infer<
    typeof selfAssessmentsAnswers.getProfessionalsByIdRecommendations
  >;
  'POST /api/training-records': z.infer<typeof trainingRecordsAnswers.postTrainingRecords>;
  'PATCH /api/training-records/:id': z.infer<typeof trainingRecordsAnswers.patchTrainingRecordsById>;
  'POST /api/training-records/:id/void': z.infer<typeof trainingRecordsAnswers.postTrainingRecordsByIdVoid>;
  'GET /api/training-records/:id/versions': z.infer<typeof trainingRecordsAnswers.getTrainingRecordsByIdVersions>;
  'POST /api/uploads': z.infer<typeof uploadsAnswers.postUploads>;
  'GET /api/professionals/:id/reminders': z.infer<typeof remindersAnswers.getProfessionalsByIdReminders>;
  'PUT /api/professionals/:id/reminders': z.infer<typeof remindersAnswers.putProfessionalsByIdReminders>;
  'POST /api/unsubscribe/:token': z.infer<typeof remindersAnswers.postUnsubscribeByToken>;
}
export type Answer<Route extends keyof Answers> = Answers[Route];

// Shapes several answers share.
export type UserSummary = z.infer<typeof shapes.userSummary>;
export type AuditRow = z.infer<typeof shapes.auditRow>;
export type Measure = z.infer<typeof shapes.measure>;
export type Heading = z.infer<typeof shapes.heading>;
export type PublishedCell = z.infer<typeof shapes.publishedCell>;
export type PublishedTable = z.infer<typeof shapes.publishedTable>;
export type TablesReport = z.infer<typeof shapes.tablesReport>;
export type DemandRow = z.infer<typeof shapes.demandRow>;
export type HoursOwedRow = z.infer<typeof shapes.hoursOwedRow>;
export type DemandReport = z.infer<typeof shapes.demandReport>;
export type CreditReason = z.infer<typeof shapes.creditReason>;
export type Principal = z.infer<typeof shapes.principal>;
export type CaseView = z.infer<typeof shapes.caseView>;
export type CatalogResult = z.infer<typeof shapes.catalogResult>;
export type CatalogPage = z.infer<typeof shapes.catalogAnswer>;
export type CourseRequest = z.infer<typeof shapes.courseRequest>;
export type EmploymentRow = z.infer<typeof shapes.employmentRow>;
export type StaffInvitationStatus = z.infer<typeof shapes.staffInvitationStatus>;
export type PendingInvitation = z.infer<typeof shapes.pendingInvitation>;
export type EventMessage = z.infer<typeof shapes.eventMessage>;
export type Problem = z.infer<typeof shapes.problem>;
export type PlannedUpdate = z.infer<typeof shapes.plannedUpdate>;
export type FileReport = z.infer<typeof shapes.fileReport>;
export type BatchReport = z.infer<typeof shapes.batchReport>;
export type ImportBatch = z.infer<typeof shapes.importBatch>;
export type OutboxSummary = z.infer<typeof shapes.outboxSummary>;
export type AwardedCredential = z.infer<typeof shapes.awardedCredential>;
export type CredentialVerification = z.infer<typeof shapes.credentialVerification>;
export type ModuleContent = z.infer<typeof shapes.moduleContent>;
export type StaffReportRow = z.infer<typeof shapes.staffReportRow>;
export type StaffReport = z.infer<typeof shapes.staffReport>;
export type ProfessionalListing = z.infer<typeof shapes.professionalListing>;
export type ProfessionalRow = z.infer<typeof shapes.professionalRow>;
export type OrganizationRow = z.infer<typeof shapes.organizationRow>;
export type EmploymentWithOrganization = z.infer<typeof shapes.employmentWithOrganization>;
export type Proration = z.infer<typeof shapes.proration>;
export type Allocation = z.infer<typeof shapes.allocation>;
export type PeriodResult = z.infer<typeof shapes.periodResult>;
export type RequirementResult = z.infer<typeof shapes.requirementResult>;
export type PrerequisiteResult = z.infer<typeof shapes.prerequisiteResult>;
export type RefresherStatus = z.infer<typeof shapes.refresherStatus>;
export type RefresherResult = z.infer<typeof shapes.refresherResult>;
export type ComplianceReport = z.infer<typeof shapes.complianceReport>;
export type DeadlineRow = z.infer<typeof shapes.deadlineRow>;
export type TrainingRecordRow = z.infer<typeof shapes.trainingRecordRow>;
export type CareerLevel = z.infer<typeof shapes.careerLevel>;
export type CareerFacts = z.infer<typeof shapes.careerFacts>;
export type CareerProgression = z.infer<typeof shapes.careerProgression>;
export type CredentialStanding = z.infer<typeof shapes.credentialStanding>;
export type SelfAssessmentRow = z.infer<typeof shapes.selfAssessmentRow>;
export type EducationRow = z.infer<typeof shapes.educationRow>;
export type CredentialRow = z.infer<typeof shapes.credentialRow>;
export type RegistrationResult = z.infer<typeof shapes.registrationResult>;
export type RuleChange = z.infer<typeof shapes.ruleChange>;
export type RuleSetDiff = z.infer<typeof shapes.ruleSetDiff>;
export type ProblemValidate = z.infer<typeof shapes.problemValidate>;
export type CaseOutcome = z.infer<typeof shapes.caseOutcome>;
export type InstrumentText = z.infer<typeof shapes.instrumentText>;
export type SelfAssessmentAnswers = z.infer<typeof shapes.answers>;
export type AreaScore = z.infer<typeof shapes.areaScore>;
export type AssessmentProfile = z.infer<typeof shapes.assessmentProfile>;
export type AreaChange = z.infer<typeof shapes.areaChange>;
export type AssessmentTaken = z.infer<typeof shapes.assessmentTaken>;
export type ReasonWords = z.infer<typeof shapes.reasonWords>;
export type ReasonSource = z.infer<typeof shapes.reasonSource>;
export type Reason = z.infer<typeof shapes.reason>;
export type Recommendation = z.infer<typeof shapes.recommendation>;
export type DeadlineFact = z.infer<typeof shapes.deadlineFact>;
export type HourGapFact = z.infer<typeof shapes.hourGapFact>;
export type RecommendationAnswer = z.infer<typeof shapes.recommendationAnswer>;

// Request shapes and types no response schema carries yet.
export type {
  CourseSubmission,
  OrganizationClaimSubmission,
  TrainerApplicationSubmission,
  TrainingRequestSubmission,
} from '../rules/caseSubmissions.js';
export type { CheckResult } from '../services/cases.js';
export type { RatingSummary } from '../services/ratings.js';
export type { PresentedInvitation } from '../services/staff.js';
export type { AnalyticsQuery, AnalyticsReportName } from '../services/analytics/reports.js';
export type { Standing } from '../services/eventMessages.js';
export type { AttendanceSheet } from '../services/attendance.js';
export type { CourseContent } from '../services/onlineCourses.js';
