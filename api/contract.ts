/**
 * The shapes the API's responses carry, as the UI reads them. The UI imports these types from
 * here, never from services/ or db/ directly (lint-enforced), until each route's response schema
 * carries its own type. Types only: nothing here runs.
 */
export type { CredentialRow, EducationRow, EmploymentRow, OrganizationRow, ProfessionalRow } from '../db/rows.js';
export type { CatalogPage } from '../db/catalog.js';
export type { PendingInvitation } from '../db/staffInvitations.js';
export type { AwardedCredential, CredentialVerification } from '../db/microCredentials.js';
export type { CareerProgression, CredentialStanding } from '../services/profile.js';
export type { CourseSubmission, OrganizationClaimSubmission, TrainerApplicationSubmission, TrainingRequestSubmission } from '../services/caseSubmissions.js';
export type { CheckResult } from '../services/cases.js';
export type { RatingSummary } from '../services/ratings.js';
export type { StaffReport } from '../services/staffReport.js';
export type { PresentedInvitation } from '../services/staff.js';
export type { AnalyticsQuery, AnalyticsReportName, DemandReport, TablesReport } from '../services/analytics/reports.js';
export type { PublishedCell, PublishedTable } from '../services/analytics/tables.js';
export type { EventMessage, Standing } from '../services/eventMessages.js';
export type { CourseRequest } from '../services/courseRequests.js';
export type { AttendanceSheet } from '../services/attendance.js';
export type { AssessmentTaken } from '../services/selfAssessments.js';
export type { RecommendationAnswer } from '../services/recommendations.js';
export type { CourseContent } from '../services/onlineCourses.js';
