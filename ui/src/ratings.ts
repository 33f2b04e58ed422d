/** Ratings of completed training, in the API client. */
import { call } from './api';
import { i18n, intlLocale } from './i18n';
import type { RatingSummary } from '../../api/contract';

export type { RatingSummary };

export interface CourseRatings {
  courseId: number;
  count: number;
  /** Null until enough people have rated for no single rating to show. */
  average: number | null;
  spread: Array<{ stars: number; count: number }>;
  comments: Array<{ stars: number; comment: string; month: string }>;
}

/** A rated course of the applicant, as a reviewer sees it on a case. */
export interface CaseCourseRatings extends RatingSummary {
  id: number;
  title: string;
  /** The course this case approved, or one of the same title submitted again. */
  isThisCourse: boolean;
  comments: CourseRatings['comments'];
}

export const ratings = {
  rate: (trainingRecordId: number, stars: number, comment: string) =>
    call<{ rating: { id: number; stars: number; comment: string } }>(
      'PUT',
      `/api/training-records/${trainingRecordId}/rating`,
      { stars, comment },
    ),
  ofCourse: (courseId: number) => call<CourseRatings>('GET', `/api/courses/${courseId}/ratings`),
  /** Reviewers only. */
  ofCase: (caseId: number) => call<{ courses: CaseCourseRatings[] }>('GET', `/api/cases/${caseId}/course-ratings`),
};

/** "4.3 of 5 from 12 participants", or why there is no average yet. */
export const ratingLine = (r: RatingSummary) =>
  r.average === null
    ? r.count === 0
      ? i18n.global.t('learn.ratings.notYet')
      : i18n.global.t('learn.ratings.tooFew', { count: r.count })
    : i18n.global.t('learn.ratings.average', {
        average: new Intl.NumberFormat(intlLocale()).format(r.average),
        count: r.count,
      });

/** "★ 4.3 (12)": the brief form beside a result; the full sentence goes with it for screen readers. */
export const compactRating = (r: RatingSummary) =>
  r.average === null
    ? i18n.global.t('learn.ratings.compactFew', { count: r.count }, r.count)
    : i18n.global.t('learn.ratings.compact', {
        average: new Intl.NumberFormat(intlLocale()).format(r.average),
        count: r.count,
      });

/** "2026-10" as "October 2026", in the reader's language. */
export const ratingMonth = (month: string) =>
  new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-15T12:00:00Z`),
  );
