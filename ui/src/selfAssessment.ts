/** The self-assessment and recommended training, in the API client. */
import { call } from './api';
import type { InstrumentText } from '../../rules/selfAssessment';
import type { AssessmentTaken } from '../../api/contract';
import type { RecommendationAnswer } from '../../api/contract';
import type { DeliveryMode } from '../../rules/domain';

export type { AssessmentTaken, RecommendationAnswer };
/** The instrument in the signed-in person's language, each section with its area's name. */
export type InstrumentWithLabels = InstrumentText;
export type Recommendation = RecommendationAnswer['recommendations'][number];

export const selfAssessments = {
  instrument: () => call<{ instrument: InstrumentWithLabels }>('GET', '/api/self-assessment/instrument'),
  history: (professionalId: number) =>
    call<{ selfAssessments: AssessmentTaken[] }>('GET', `/api/professionals/${professionalId}/self-assessments`),
  take: (professionalId: number, answers: Record<string, number>) =>
    call<{ selfAssessment: AssessmentTaken }>('POST', `/api/professionals/${professionalId}/self-assessments`, {
      answers,
    }),
  recommendations: (professionalId: number, options: { zip?: string; delivery?: DeliveryMode } = {}) => {
    const query = new URLSearchParams({
      ...(options.zip && { zip: options.zip }),
      ...(options.delivery && { delivery: options.delivery }),
    }).toString();
    return call<RecommendationAnswer>(
      'GET',
      `/api/professionals/${professionalId}/recommendations${query ? `?${query}` : ''}`,
    );
  },
};

/** "+0.67", "−1", "±0": narrow enough for a phone-width table. */
export const changeWords = (difference: number) =>
  difference === 0 ? '±0' : difference > 0 ? `+${difference}` : `−${Math.abs(difference)}`;
