/** Ratings of completed training, in the API client. */
import { call } from './api';
import { i18n, intlLocale } from './i18n';

export interface CourseRatings {
  courseId: number;
  count: number;
  /** Null until enough people have rated for no single rating to show. */
  average: number | null;
  spread: Array<{ stars: number; count: number }>;
  comments: Array<{ stars: number; comment: string; month: string }>;
}

export const ratings = {
  rate: (trainingRecordId: number, stars: number, comment: string) => call<{ rating: { id: number; stars: number; comment: string } }>('PUT', `/api/training-records/${trainingRecordId}/rating`, { stars, comment }),
  ofCourse: (courseId: number) => call<CourseRatings>('GET', `/api/courses/${courseId}/ratings`),
};

/** "4.3 of 5 from 12 participants", or why there is no average yet. */
export const ratingLine = (r: CourseRatings) =>
  r.average === null
    ? r.count === 0
      ? i18n.global.t('learn.ratings.notYet')
      : i18n.global.t('learn.ratings.tooFew', { count: r.count })
    : i18n.global.t('learn.ratings.average', { average: new Intl.NumberFormat(intlLocale()).format(r.average), count: r.count });
