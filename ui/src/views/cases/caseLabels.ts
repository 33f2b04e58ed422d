/** How the UI names case types. */
import { CASE_TYPES, type CaseType } from '../../../../rules/domain';
import { intlLocale, translatedLabels } from '../../i18n';

/** `cases.types.<type>` in the current language. */
export const CASE_TYPE_LABELS: Readonly<Record<CaseType, string>> = translatedLabels('cases.types', CASE_TYPES);

/** The URL segment of each form. */
export const CASE_FORM_SLUGS: Record<CaseType, string> = {
  trainer_application: 'trainer-application',
  course_approval: 'course',
  training_request: 'training-request',
  organization_claim: 'organization-claim',
  micro_credential: 'micro-credential',
};

export const shortDate = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleDateString(intlLocale(), {
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        timeZone: 'America/Chicago',
      })
    : '—';
/** A calendar date (YYYY-MM-DD) written like `shortDate`; noon UTC keeps it the same day in every time zone. */
export const shortDay = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString(intlLocale(), {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
export const shortDateTime = (iso: string) =>
  new Date(iso).toLocaleString(intlLocale(), {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'America/Chicago',
  });
