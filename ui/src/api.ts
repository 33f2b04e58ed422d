/** The one typed client of the MOPD API: JSON, the session cookie, and the CSRF header on every change. */
import type { Language, Role } from '../../rules/domain';
import type { Principal } from '../../api/access/principal';
import type {
  ProfessionalRow,
  CourseSubmission,
  OrganizationClaimSubmission,
  TrainerApplicationSubmission,
  TrainingRequestSubmission,
  CheckResult,
  CatalogPage as CatalogAnswer,
  RatingSummary,
  StaffReport,
  PendingInvitation,
  AnalyticsQuery,
  AnalyticsReportName,
  DemandReport,
  TablesReport,
  EventMessage,
  Standing,
  CourseRequest,
  AwardedCredential,
  CredentialVerification,
  UserSummary,
  Answer,
} from '../../api/contract';
import type { CaseStatus, CredentialKind, DegreeLevel, EducationKind, Region } from '../../rules/domain';
import type { EmploymentRole } from '../../rules/domain';
import type { OutboxStatus } from '../../rules/domain';
import type { AttendanceStatus, TrainingLanguage } from '../../rules/domain';
import type { MicroCredential } from '../../rules/microCredentials';

export type { AwardedCredential, CredentialVerification, PendingInvitation };
/** An invitation to join an organization's staff, as its director's page lists it. */
export type StaffInvitation = Answer<'GET /api/organizations/:id/staff-invitations'>['invitations'][number];
/** A micro-credential on offer, with its competency area's name. */
export type MicroCredentialOffer = MicroCredential & { areaLabel: string };

/** A professional as the API sends one (with the directory's last computed compliance). */
export type Professional = ProfessionalRow & { compliant?: boolean | null };

export type ComplianceReport = Answer<'GET /api/professionals/:id/compliance'>['compliance'];

export type Deadline = Answer<'GET /api/professionals/:id/deadlines'>['deadlines'][number];

/** The signed-in person, as the API's principal. */
export type Me = Principal;

export type { UserSummary };

/** The home page's answer and one role's section of it. */
export type Home = Answer<'GET /api/home'>;
export type HomeSection = Home['sections'][number];
export type HomeOf<R extends HomeSection['role']> = Extract<HomeSection, { role: R }>;

export type Organization = Answer<'GET /api/organizations'>['organizations'][number];

export type { StaffReport };
/** An outgoing email as the admin's mail page lists it. */
export type OutboxEmail = Answer<'GET /api/admin/outbox'>['emails'][number];
export type OutboxCounts = Answer<'GET /api/admin/outbox'>['counts'];
export type { AnalyticsQuery, AnalyticsReportName, DemandReport, TablesReport };
export type { PublishedCell, PublishedTable } from '../../api/contract';

export type Profile = Answer<'GET /api/professionals/:id/profile'>;

export interface ContactChanges {
  phone?: string | null;
  addressLine?: string | null;
  city?: string | null;
  zip?: string | null;
  county?: string | null;
  region?: Region | null;
}

export interface NewEducation {
  kind: EducationKind;
  title: string;
  institution?: string;
  field?: string;
  degreeLevel?: DegreeLevel;
  creditHours?: number;
  completedOn?: string;
  uploadId?: string;
}

export interface NewCredential {
  kind: CredentialKind;
  issuer: string;
  issuedOn: string;
  expiresOn: string;
  uploadId?: string;
}

export type TrainingRecord = Answer<'GET /api/professionals/:id/training-records'>['trainingRecords'][number];

/** A case in a list: the applicant's own (`/api/cases/mine`), or the queue's, which also names who holds it. */
export type CaseSummary = Answer<'GET /api/cases/mine'>['cases'][number] & { assigneeName?: string | null };

export interface CasePage {
  case: CaseSummary & {
    submission: Record<string, unknown>;
    checkResults: CheckResult[];
    decisionReasons: string[];
    ruleSet: string;
    ruleSetVersion: number;
  };
  timeline: Array<{ id: number; at: string; kind: string; note: string; actor: string | null }>;
  messages: Array<{ id: number; at: string; body: string; author: string; author_user_id: number }>;
  documents: Array<{ upload_id: string; label: string; original_name: string }>;
  youAreApplicant: boolean;
  askedOfYou: string | null;
  /** Everything submitted, by case type; the actions the reader may take now; the service level. */
  details: Answer<'GET /api/cases/:id'>['details'];
  allowedActions: Answer<'GET /api/cases/:id'>['allowedActions'];
  service: Answer<'GET /api/cases/:id'>['service'];
}

/** A case in the review queue. */
export type QueueCase = Answer<'GET /api/cases'>['cases'][number];

export type Notification = Answer<'GET /api/notifications'>['notifications'][number];

/** A page of catalog results; signed in, each with its course's ratings in brief. */
export type CatalogPage = Omit<CatalogAnswer, 'results'> & {
  results: Array<CatalogAnswer['results'][number] & { ratings?: RatingSummary }>;
};

/** An event's message as the API sends it. */
export type { EventMessage };
export type EventStanding = Standing['as'];

/** A trainer of the public CPR/First Aid directory. */
export type CprTrainer = Answer<'GET /api/catalog/cpr-trainers'>['trainers'][number];

export interface NewCourseRequest {
  region: Region;
  message: string;
  preferredMonth?: string;
  seats?: number;
}

export type { CourseRequest };
export type { TrainerApplicationSubmission, CourseSubmission, TrainingRequestSubmission, OrganizationClaimSubmission };

export type EventSession = EventPage['sessions'][number];

/** One event's page: what it is, its sessions, and, signed in, your place at it and the record it issued you. */
export type EventPage = Answer<'GET /api/events/:id'>;
/** A trainer's event in their list. */
export type TrainerEvent = Answer<'GET /api/my/events'>['events'][number];
/** What POST /api/events takes; instants carry their offset. */
export interface NewEvent {
  courseId?: number;
  capacity?: number;
  feeCents?: number;
  language: TrainingLanguage;
  place?: { addressLine: string; city: string; county: string; region: Region | null; zip: string };
  onlineUrl?: string;
  registrationDeadline?: string;
  sessionChoice: boolean;
  sessions: Array<{ title: string; track?: string; startsAt: string; endsAt: string; hours?: number }>;
}

export type AttendanceSheet = Answer<'GET /api/events/:id/attendance'>['sheet'];
export interface AttendanceMark {
  registrationId: number;
  sessionId: number;
  status: AttendanceStatus;
  hours?: number;
  /** Counted in ratio with children while there (present marks): the trainer's answer. */
  inRatio?: boolean;
}
export type RosterEntry = Answer<'GET /api/events/:id/roster'>['roster'][number];

/** Sends a case action with a fresh idempotency key, so a retried request is applied once. */
const caseAction = (id: number, action: string, body: object = {}) =>
  call<{ case: { status: CaseStatus; assigneeUserId: number | null } }>(
    'POST',
    `/api/cases/${id}/${action}`,
    body,
    false,
    { 'idempotency-key': crypto.randomUUID() },
  );

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }

  /** The server's message for one field, to show beside it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

/** A workforce analytics report's address with the filters that are set. */
function analyticsUrl(report: AnalyticsReportName, query: AnalyticsQuery, format?: 'csv'): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, format })) if (value) params.set(key, value);
  const search = params.toString();
  return `/api/analytics/${report}${search ? `?${search}` : ''}`;
}

let csrfToken: string | undefined;

export async function csrf(): Promise<string> {
  if (!csrfToken) csrfToken = (await call<Answer<'GET /api/auth/csrf'>>('GET', '/api/auth/csrf')).csrfToken;
  return csrfToken;
}

export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  retried = false,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = await csrf();
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await response.json().catch(() => ({}))) as {
    csrfToken?: string;
    error?: { message: string; fields?: FieldError[] };
  };
  if (data.csrfToken) csrfToken = data.csrfToken;
  if (response.status === 403 && /CSRF/.test(data.error?.message ?? '') && !retried) {
    csrfToken = undefined;
    return call<T>(method, path, body, true, extraHeaders);
  }
  if (!response.ok) throw new ApiError(response.status, data.error?.message ?? response.statusText, data.error?.fields);
  return data as T;
}

/** Sends one file as multipart form data; answers the upload's id. */
async function upload(file: File, purpose: string): Promise<{ upload: { id: string; originalName: string } }> {
  const form = new FormData();
  form.append('purpose', purpose);
  form.append('file', file);
  const response = await fetch('/api/uploads', {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'x-csrf-token': await csrf() },
  });
  const data = (await response.json().catch(() => ({}))) as {
    upload: { id: string; originalName: string };
    error?: { message: string; fields?: FieldError[] };
  };
  if (!response.ok) throw new ApiError(response.status, data.error?.message ?? response.statusText, data.error?.fields);
  return data;
}

export const api = {
  me: () => call<Answer<'GET /api/auth/me'>>('GET', '/api/auth/me'),
  /** The first page after sign-in: a section for each role held. */
  home: () => call<Answer<'GET /api/home'>>('GET', '/api/home'),
  signIn: (email: string, password: string) =>
    call<Answer<'POST /api/auth/sign-in'>>('POST', '/api/auth/sign-in', { email, password }),
  secondFactor: (input: { code?: string; recoveryCode?: string }) =>
    call<Answer<'POST /api/auth/sign-in/second-factor'>>('POST', '/api/auth/sign-in/second-factor', input),
  signUp: (input: {
    firstName: string;
    lastName: string;
    email: string;
    password: string;
    county?: string;
    language?: Language;
  }) => call<Answer<'POST /api/auth/sign-up'>>('POST', '/api/auth/sign-up', input),
  signOut: () => call<Answer<'POST /api/auth/sign-out'>>('POST', '/api/auth/sign-out'),
  /** Single sign-on: whether it is on, its button's name, and where to end the provider's session at sign-out. */
  singleSignOn: () => call<Answer<'GET /api/auth/sso'>>('GET', '/api/auth/sso'),
  signOnGroupRoles: () => call<Answer<'GET /api/admin/sso/group-roles'>>('GET', '/api/admin/sso/group-roles'),
  setSignOnGroupRoles: (mappings: Array<{ group: string; role: Role }>) =>
    call<Answer<'PUT /api/admin/sso/group-roles'>>('PUT', '/api/admin/sso/group-roles', { mappings }),
  setLanguage: (language: Language) => call<Answer<'PUT /api/me/language'>>('PUT', '/api/me/language', { language }),
  requestPasswordReset: (email: string) =>
    call<Answer<'POST /api/auth/password-reset'>>('POST', '/api/auth/password-reset', { email }),
  resetPassword: (token: string, password: string) =>
    call<Answer<'POST /api/auth/password-reset/confirm'>>('POST', '/api/auth/password-reset/confirm', {
      token,
      password,
    }),
  verifyEmail: (token: string) =>
    call<Answer<'POST /api/auth/verify-email'>>('POST', '/api/auth/verify-email', { token }),
  mfaSetup: () => call<Answer<'POST /api/auth/mfa/setup'>>('POST', '/api/auth/mfa/setup'),
  mfaEnable: (code: string) => call<Answer<'POST /api/auth/mfa/enable'>>('POST', '/api/auth/mfa/enable', { code }),
  professionals: (search = '') =>
    call<Answer<'GET /api/professionals'>>('GET', `/api/professionals?limit=100&search=${encodeURIComponent(search)}`),
  compliance: (id: number, asOf?: string) =>
    call<Answer<'GET /api/professionals/:id/compliance'>>(
      'GET',
      `/api/professionals/${id}/compliance${asOf ? `?asOf=${asOf}` : ''}`,
    ),
  /** Registry corrections of a training record (admins; reviewers for records from requests). */
  correctTrainingRecord: (
    id: number,
    changes: { completedOn?: string; hours?: number; courseId?: number; reason: string },
  ) => call<Answer<'PATCH /api/training-records/:id'>>('PATCH', `/api/training-records/${id}`, changes),
  voidTrainingRecord: (id: number, reason: string) =>
    call<Answer<'POST /api/training-records/:id/void'>>('POST', `/api/training-records/${id}/void`, { reason }),
  transcript: (id: number) =>
    call<NonNullable<Answer<'GET /api/professionals/:id/transcript'>>>('GET', `/api/professionals/${id}/transcript`),
  transcriptCsvUrl: (id: number) => `/api/professionals/${id}/transcript?format=csv`,
  transcriptPdfUrl: (id: number) => `/api/professionals/${id}/transcript?format=pdf`,
  profile: (id: number) =>
    call<Answer<'GET /api/professionals/:id/profile'>>('GET', `/api/professionals/${id}/profile`),
  changeContact: (id: number, changes: ContactChanges) =>
    call<Answer<'PATCH /api/professionals/:id'>>('PATCH', `/api/professionals/${id}`, changes),
  addEducation: (id: number, education: NewEducation) =>
    call<Answer<'POST /api/professionals/:id/education'>>('POST', `/api/professionals/${id}/education`, education),
  addCredential: (id: number, credential: NewCredential) =>
    call<Answer<'POST /api/professionals/:id/credentials'>>('POST', `/api/professionals/${id}/credentials`, credential),
  acceptedCardIssuers: () =>
    call<Answer<'GET /api/cpr-cards/accepted-issuers'>>('GET', '/api/cpr-cards/accepted-issuers'),
  cardQueue: () => call<Answer<'GET /api/cpr-cards/queue'>>('GET', '/api/cpr-cards/queue'),
  verifyCard: (id: number, decision: 'verified' | 'rejected', note?: string) =>
    call<Answer<'POST /api/cpr-cards/:id/verification'>>('POST', `/api/cpr-cards/${id}/verification`, {
      decision,
      ...(note ? { note } : {}),
    }),
  trainingRequestCategories: () =>
    call<Answer<'GET /api/training-requests/categories'>>('GET', '/api/training-requests/categories'),
  upload: (file: File, purpose: 'cpr_card' | 'training_proof' | 'document' | 'instructor_certification') =>
    upload(file, purpose),
  deadlines: (id: number) =>
    call<Answer<'GET /api/professionals/:id/deadlines'>>('GET', `/api/professionals/${id}/deadlines`),
  users: (search = '') =>
    call<Answer<'GET /api/admin/users'>>('GET', `/api/admin/users?limit=200&search=${encodeURIComponent(search)}`),
  outbox: (status: OutboxStatus, limit = 50, beforeId?: number) =>
    call<Answer<'GET /api/admin/outbox'>>(
      'GET',
      `/api/admin/outbox?status=${status}&limit=${limit}${beforeId ? `&beforeId=${beforeId}` : ''}`,
    ),
  retryEmail: (id: number) => call<Answer<'POST /api/admin/outbox/:id/retry'>>('POST', `/api/admin/outbox/${id}/retry`),
  reportableOrganizations: () => call<Answer<'GET /api/reports/organizations'>>('GET', '/api/reports/organizations'),
  staffReport: (organizationId: number, asOf: string) =>
    call<NonNullable<Answer<'GET /api/organizations/:id/staff-report'>>>(
      'GET',
      `/api/organizations/${organizationId}/staff-report?asOf=${asOf}`,
    ),
  staffReportCsvUrl: (organizationId: number, asOf: string) =>
    `/api/organizations/${organizationId}/staff-report?asOf=${asOf}&format=csv`,
  staffReportPdfUrl: (organizationId: number, asOf: string) =>
    `/api/organizations/${organizationId}/staff-report?asOf=${asOf}&format=pdf`,
  inviteStaff: (organizationId: number, body: { mopdId: string; role: EmploymentRole; hireDate: string }) =>
    call<Answer<'POST /api/organizations/:id/staff-invitations'>>(
      'POST',
      `/api/organizations/${organizationId}/staff-invitations`,
      body,
    ),
  addNewStaff: (
    organizationId: number,
    body: { firstName: string; lastName: string; email: string; role: EmploymentRole; hireDate: string },
  ) => call<Answer<'POST /api/organizations/:id/staff'>>('POST', `/api/organizations/${organizationId}/staff`, body),
  staffInvitations: (organizationId: number) =>
    call<Answer<'GET /api/organizations/:id/staff-invitations'>>(
      'GET',
      `/api/organizations/${organizationId}/staff-invitations`,
    ),
  myStaffInvitations: () => call<Answer<'GET /api/my/staff-invitations'>>('GET', '/api/my/staff-invitations'),
  answerStaffInvitation: (id: number, answer: 'accept' | 'decline') =>
    call<{ invitation: { id: number; status: string } }>('POST', `/api/staff-invitations/${id}/${answer}`, {}),
  analytics: <R extends AnalyticsReportName>(report: R, query: AnalyticsQuery) =>
    call<R extends 'demand' ? DemandReport : TablesReport>('GET', analyticsUrl(report, query)),
  analyticsCsvUrl: (report: AnalyticsReportName, query: AnalyticsQuery) => analyticsUrl(report, query, 'csv'),
  organizations: () => call<Answer<'GET /api/organizations'>>('GET', '/api/organizations'),
  /** Program types and professional roles: registry data an admin adds to (issue 18). */
  registry: (kind: 'program-types' | 'professional-roles') =>
    call<Answer<'GET /api/program-types'>>('GET', `/api/${kind}`),
  addRegistryEntry: (
    kind: 'program-types' | 'professional-roles',
    body: { code: string; labelEn: string; labelEs: string },
  ) => call<Answer<'POST /api/admin/program-types'>>('POST', `/api/admin/${kind}`, body),
  changeRegistryEntry: (
    kind: 'program-types' | 'professional-roles',
    code: string,
    body: { labelEn?: string; labelEs?: string; active?: boolean },
  ) => call<Answer<'PATCH /api/admin/program-types/:code'>>('PATCH', `/api/admin/${kind}/${code}`, body),
  /** Whether one person may draft a rule-set version and approve its publication (otherwise four eyes). */
  singlePersonPublication: () =>
    call<Answer<'GET /api/admin/settings/single-person-publication'>>(
      'GET',
      '/api/admin/settings/single-person-publication',
    ),
  setSinglePersonPublication: (singlePersonPublication: boolean) =>
    call<Answer<'PUT /api/admin/settings/single-person-publication'>>(
      'PUT',
      '/api/admin/settings/single-person-publication',
      { singlePersonPublication },
    ),
  addOrganization: (body: Record<string, unknown>) =>
    call<Answer<'POST /api/organizations'>>('POST', '/api/organizations', body),
  programSettings: (organizationId: number) =>
    call<Answer<'GET /api/admin/organizations/:id/program-settings'>>(
      'GET',
      `/api/admin/organizations/${organizationId}/program-settings`,
    ),
  changeProgramSettings: (
    organizationId: number,
    body: {
      effectiveFrom: string;
      licensed: boolean;
      licenseExempt: boolean;
      subsidized: boolean;
      servesInfants: boolean;
      contractYearStartMonth: number | null;
    },
  ) =>
    call<Answer<'POST /api/admin/organizations/:id/program-settings'>>(
      'POST',
      `/api/admin/organizations/${organizationId}/program-settings`,
      body,
    ),
  userScopes: (userId: number) => call<Answer<'GET /api/admin/users/:id'>>('GET', `/api/admin/users/${userId}`),
  setInspectorFacilities: (userId: number, organizationIds: number[]) =>
    call('PUT', `/api/admin/users/${userId}/inspector-facilities`, { organizationIds }),
  approveClaim: (userId: number, organizationId: number) =>
    call('POST', `/api/admin/users/${userId}/organization-claims`, { organizationId }),
  catalog: (filters: Record<string, string>) =>
    call<Answer<'GET /api/catalog'>>('GET', `/api/catalog?${new URLSearchParams(filters).toString()}`),
  /** Yourself, or (as a director) one of your staff. */
  register: (eventId: number, professionalId?: number) =>
    call<Answer<'POST /api/events/:id/registrations'>>(
      'POST',
      `/api/events/${eventId}/registrations`,
      professionalId ? { professionalId } : {},
    ),
  myCases: () => call<Answer<'GET /api/cases/mine'>>('GET', '/api/cases/mine'),
  queue: (filters: Record<string, string>) =>
    call<Answer<'GET /api/cases'>>('GET', `/api/cases?${new URLSearchParams(filters).toString()}`),
  casePage: (id: number) => call<CasePage>('GET', `/api/cases/${id}`),
  applyAsTrainer: (submission: Partial<TrainerApplicationSubmission>) =>
    call<Answer<'POST /api/cases/trainer-applications'>>('POST', '/api/cases/trainer-applications', submission),
  submitCourse: (submission: Partial<CourseSubmission>) =>
    call<Answer<'POST /api/cases/course-approvals'>>('POST', '/api/cases/course-approvals', submission),
  requestTrainingCredit: (submission: Partial<TrainingRequestSubmission>) =>
    call<Answer<'POST /api/cases/training-requests'>>('POST', '/api/cases/training-requests', submission),
  claimOrganization: (submission: Partial<OrganizationClaimSubmission>) =>
    call<Answer<'POST /api/cases/organization-claims'>>('POST', '/api/cases/organization-claims', submission),
  microCredentials: () => call<Answer<'GET /api/micro-credentials'>>('GET', '/api/micro-credentials'),
  submitMicroCredential: (submission: {
    credentialId: string;
    reflection: string;
    documents: Array<{ uploadId: string; label?: string }>;
  }) => call<Answer<'POST /api/cases/micro-credentials'>>('POST', '/api/cases/micro-credentials', submission),
  awardedCredentials: (professionalId: number) =>
    call<Answer<'GET /api/professionals/:id/credentials'>>('GET', `/api/professionals/${professionalId}/credentials`),
  verifyCredential: (code: string) =>
    call<Answer<'GET /api/credentials/verify/:code'>>('GET', `/api/credentials/verify/${encodeURIComponent(code)}`),
  /** Optional reminders about annual hours: the person's choice, and the email link's unsubscribe. */
  remindersWanted: (id: number) =>
    call<Answer<'GET /api/professionals/:id/reminders'>>('GET', `/api/professionals/${id}/reminders`),
  setRemindersWanted: (id: number, remindersWanted: boolean) =>
    call<Answer<'PUT /api/professionals/:id/reminders'>>('PUT', `/api/professionals/${id}/reminders`, {
      remindersWanted,
    }),
  unsubscribe: (token: string) =>
    call<Answer<'POST /api/unsubscribe/:token'>>('POST', `/api/unsubscribe/${encodeURIComponent(token)}`),
  claimCase: (id: number) => caseAction(id, 'claim'),
  releaseCase: (id: number) => caseAction(id, 'release'),
  reassignCase: (id: number, toUserId: number) => caseAction(id, 'reassign', { toUserId }),
  requestInformation: (id: number, message: string) => caseAction(id, 'request-information', { message }),
  answerCase: (id: number, message: string, uploadIds: string[]) => caseAction(id, 'answer', { message, uploadIds }),
  decideCase: (id: number, decision: 'approved' | 'denied', reasons: string[]) =>
    caseAction(id, 'decide', { decision, reasons }),
  recheckCase: (id: number) => caseAction(id, 'recheck'),
  withdrawCase: (id: number, reason: string) => caseAction(id, 'withdraw', { reason }),
  postCaseMessage: (id: number, body: string) =>
    call<Answer<'POST /api/cases/:id/messages'>>('POST', `/api/cases/${id}/messages`, { body }, false, {
      'idempotency-key': crypto.randomUUID(),
    }),
  reviewers: () => call<Answer<'GET /api/reviewers'>>('GET', '/api/reviewers'),
  assignCases: (caseIds: number[], toUserId: number) =>
    call<Answer<'POST /api/cases/assign'>>('POST', '/api/cases/assign', { caseIds, toUserId }),
  notifications: () => call<Answer<'GET /api/notifications'>>('GET', '/api/notifications'),
  markRead: (id: number) => call('POST', `/api/notifications/${id}/read`),
  setRoles: (userId: number, roles: Role[]) =>
    call<Answer<'PUT /api/admin/users/:id/roles'>>('PUT', `/api/admin/users/${userId}/roles`, { roles }),
  eventMessages: (eventId: number) =>
    call<Answer<'GET /api/events/:id/messages'>>('GET', `/api/events/${eventId}/messages`),
  sendEventMessage: (eventId: number, message: { body: string; professionalId?: number; inReplyTo?: number }) =>
    call<Answer<'POST /api/events/:id/messages'>>('POST', `/api/events/${eventId}/messages`, message),
  cprTrainers: (filters: { model?: string; region?: string }) =>
    call<Answer<'GET /api/catalog/cpr-trainers'>>(
      'GET',
      `/api/catalog/cpr-trainers?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as Array<[string, string]>).toString()}`,
    ),
  askForCourse: (trainerUserId: number, request: NewCourseRequest) =>
    call<Answer<'POST /api/trainers/:id/course-requests'>>(
      'POST',
      `/api/trainers/${trainerUserId}/course-requests`,
      request,
    ),
  myCourseRequests: () => call<Answer<'GET /api/my/course-requests'>>('GET', '/api/my/course-requests'),
  answerCourseRequest: (id: number, answer: { status: 'answered' | 'declined'; answer: string }) =>
    call<Answer<'POST /api/course-requests/:id/answer'>>('POST', `/api/course-requests/${id}/answer`, answer),
  event: (id: number) => call<Answer<'GET /api/events/:id'>>('GET', `/api/events/${id}`),
  cancelRegistration: (registrationId: number) =>
    call<Answer<'POST /api/registrations/:id/cancel'>>('POST', `/api/registrations/${registrationId}/cancel`),
  chooseSessions: (registrationId: number, sessionIds: number[]) =>
    call<Answer<'PUT /api/registrations/:id/sessions'>>('PUT', `/api/registrations/${registrationId}/sessions`, {
      sessionIds,
    }),
  myEvents: () => call<Answer<'GET /api/my/events'>>('GET', '/api/my/events'),
  scheduleEvent: (event: NewEvent) => call<Answer<'POST /api/events'>>('POST', '/api/events', event),
  roster: (eventId: number) => call<Answer<'GET /api/events/:id/roster'>>('GET', `/api/events/${eventId}/roster`),
  attendance: (eventId: number) =>
    call<Answer<'GET /api/events/:id/attendance'>>('GET', `/api/events/${eventId}/attendance`),
  markAttendance: (
    eventId: number,
    marks: AttendanceMark[],
    reason?: string,
    options: { heldWithChildren?: boolean } = {},
  ) =>
    call<Answer<'PUT /api/events/:id/attendance'>>('PUT', `/api/events/${eventId}/attendance`, {
      marks,
      ...(reason ? { reason } : {}),
      ...(options.heldWithChildren === undefined ? {} : { heldWithChildren: options.heldWithChildren }),
    }),
  completeAttendance: (eventId: number) =>
    call<Answer<'POST /api/events/:id/attendance/complete'>>('POST', `/api/events/${eventId}/attendance/complete`),
  // Issue 19's screens: hires, staff, professionals, courses, registrations and their fees.
  hireByMopdId: (organizationId: number, body: { mopdId: string; role: EmploymentRole; hireDate: string }) =>
    call<Answer<'POST /api/organizations/:id/hires'>>('POST', `/api/organizations/${organizationId}/hires`, body),
  staffOf: (organizationId: number) =>
    call<Answer<'GET /api/organizations/:id/employments'>>('GET', `/api/organizations/${organizationId}/employments`),
  endEmployment: (employmentId: number, body: { endDate: string; reason?: string }) =>
    call<Answer<'POST /api/employments/:id/end'>>('POST', `/api/employments/${employmentId}/end`, body),
  addProfessional: (body: { firstName: string; lastName: string; email: string }) =>
    call<Answer<'POST /api/admin/professionals'>>('POST', '/api/admin/professionals', body),
  adminCourses: (filters: Record<string, string>) =>
    call<Answer<'GET /api/admin/courses'>>(
      'GET',
      `/api/admin/courses?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '')).toString()}`,
    ),
  registrationsOf: (professionalId: number) =>
    call<Answer<'GET /api/professionals/:id/registrations'>>(
      'GET',
      `/api/professionals/${professionalId}/registrations`,
    ),
  payRegistration: (registrationId: number) =>
    call<Answer<'POST /api/registrations/:id/checkout'>>('POST', `/api/registrations/${registrationId}/checkout`),
};

/** What a hire obliges the person to do, as its confirmation lists it. */
export type HireObligation = Answer<'POST /api/organizations/:id/staff'>['deadlines'][number];
export type StaffMember = Answer<'GET /api/organizations/:id/employments'>['staff'][number];
export type CourseListing = Answer<'GET /api/admin/courses'>['courses'][number];
export type MyRegistration = Answer<'GET /api/professionals/:id/registrations'>['registrations'][number];
