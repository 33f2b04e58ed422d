/** How the UI names case types. */
import { CASE_TYPES, type CaseType } from '../../../../rules/domain';
import { translatedLabels } from '../../i18n';
import { formatDateTime, formatDay } from '../../dates';

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

/** Dates as every page writes them (ui/src/dates.ts): a calendar date is its day, an instant its day in Missouri. */
export const shortDate = (value: string | null) => formatDay(value);
export const shortDay = (date: string) => formatDay(date);
export const shortDateTime = (iso: string) => formatDateTime(iso);
