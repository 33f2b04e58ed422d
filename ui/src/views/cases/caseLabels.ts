/** How the UI names case types. */
import type { CaseType } from '../../../../rules/domain';

export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  trainer_application: 'Trainer application',
  course_approval: 'Course approval',
  training_request: 'Individual training request',
  organization_claim: 'Organization claim',
};

/** The URL segment of each form. */
export const CASE_FORM_SLUGS: Record<CaseType, string> = {
  trainer_application: 'trainer-application',
  course_approval: 'course',
  training_request: 'training-request',
  organization_claim: 'organization-claim',
};

export const shortDate = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'America/Chicago' }) : '—');
export const shortDateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'America/Chicago' });
