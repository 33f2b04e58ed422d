/** The online-course (learning) part of the API client. */
import { call } from './api';
import type { EnrollmentStatus } from '../../rules/domain';
import type { CreditReason } from '../../rules/engine';
import type { Answer, CourseContent } from '../../api/contract';

export type { CourseContent };

export interface OnlineCourseSummary {
  id: number;
  title: string;
  description: string;
  sponsor: string | null;
  topic: string;
  clockHours: number;
  feeCents: number;
}

export interface CourseOutline {
  course: OnlineCourseSummary & {
    passMarkPercent: number | null;
    minimumMinutes: number;
    knowledgeCheckAttempts: number;
    approved: boolean;
    ready: boolean;
  };
  modules: Array<{ id: number; title: string; hasVideo: boolean }>;
  questionCount: number;
  enrollment: { id: number; status: EnrollmentStatus } | null;
}

/** A module as the learner gets it: its content once the course is open to them, and whether it is done. */
/** Engaged time is the server's count (seconds), against the module's share of the course's minimum time. */
export type LearnerModule = {
  id: number;
  title: string;
  done: boolean;
  engagedSeconds: number;
  requiredSeconds: number;
} & Partial<Omit<CourseContent['modules'][number], 'id' | 'title'>>;

export interface EnrollmentView {
  enrollment: {
    id: number;
    status: EnrollmentStatus;
    registeredOn: string;
    startedAt: string | null;
    completedAt: string | null;
    feeCents: number;
  };
  payment: { status: 'pending' | 'paid' | 'failed'; amountCents: number } | null;
  course: {
    id: number;
    title: string;
    sponsor: string | null;
    clockHours: number;
    passMarkPercent: number | null;
    minimumMinutes: number;
  };
  timeSpentSeconds: number;
  /** How often the page tells the server a module is open. */
  pingSeconds: number;
  knowledgeCheck: { attemptsAllowed: number; attemptsLeft: number; nextAttemptAt: string | null };
  modules: LearnerModule[];
  resumeModuleId: number | null;
  questions: Array<{ id: number; prompt: string; choices: string[] }>;
  attempts: Array<{ scorePercent: number; passed: boolean; at: string }>;
  record: {
    id: number;
    completedOn: string;
    hours: number;
    creditedHours: number;
    reasons: CreditReason[];
    ruleSetVersion: number;
    timeSpentMinutes: number | null;
  } | null;
}

export const learning = {
  courses: (q = '') =>
    call<{ courses: OnlineCourseSummary[] }>(
      'GET',
      `/api/online-courses${q ? `?${new URLSearchParams({ q }).toString()}` : ''}`,
    ),
  outline: (courseId: number) => call<CourseOutline>('GET', `/api/online-courses/${courseId}`),
  enroll: (courseId: number) =>
    call<{ enrollmentId: number; status: EnrollmentStatus; checkoutUrl: string | null }>(
      'POST',
      `/api/online-courses/${courseId}/enrollments`,
    ),
  myEnrollments: () =>
    call<{
      enrollments: Array<{
        id: number;
        status: EnrollmentStatus;
        courseId: number;
        title: string;
        registeredOn: string;
        completedAt: string | null;
      }>;
    }>('GET', '/api/my/enrollments'),
  enrollment: (id: number) => call<EnrollmentView>('GET', `/api/enrollments/${id}`),
  /** The module is open and in view (on opening, then every `pingSeconds`): the server counts the time. */
  engage: (id: number, moduleId: number) =>
    call<{ moduleId: number; engagedSeconds: number; requiredSeconds: number }>(
      'POST',
      `/api/enrollments/${id}/modules/${moduleId}/engagement`,
    ),
  completeModule: (id: number, moduleId: number) =>
    call<{ moduleId: number; done: true }>('POST', `/api/enrollments/${id}/modules/${moduleId}/complete`),
  knowledgeCheck: (id: number, answers: number[]) =>
    call<{ passed: boolean; scorePercent: number | null; alreadyCompleted: boolean; enrollment: EnrollmentView }>(
      'POST',
      `/api/enrollments/${id}/knowledge-check`,
      { answers },
    ),
  checkout: (id: number) => call<{ checkoutUrl: string }>('POST', `/api/enrollments/${id}/checkout`),
  withdraw: (id: number) => call<{ status: 'withdrawn' }>('POST', `/api/enrollments/${id}/withdraw`),
  /** A trainer's approved courses and the courses they teach events of (their events page's data). */
  authoredCourses: () => call<Answer<'GET /api/my/events'>>('GET', '/api/my/events'),
  content: (courseId: number) => call<CourseContent & { title: string }>('GET', `/api/courses/${courseId}/content`),
  saveContent: (courseId: number, content: CourseContent) =>
    call<CourseContent & { title: string }>('PUT', `/api/courses/${courseId}/content`, content),
};

/** A fee in the current language: the same words as on event pages. */
export { money } from './views/events/eventLabels';
