/**
 * The deadline reminder email (issue 20). INTERFACE ONLY for now: the suggestions helper writes
 * the words (messages/en.json and es.json) and the rendering.
 */
import type { Language } from '../../rules/domain.js';
import type { SuggestedTraining } from '../trainingSuggestions.js';
import type { RenderedEmail } from './templates.js';

export interface ReminderFacts {
  name: string;
  /** The requirement's label as the rule set words it, and the employer(s) it is carried for. */
  requirementLabel: string;
  employers: string[];
  hoursNeeded: number;
  /** The last day of the period (the deadline) and days left until it. */
  periodEnd: string;
  daysLeft: number;
  suggestions: SuggestedTraining[];
  /** The person's compliance page, and the one-click unsubscribe page for optional reminders. */
  complianceUrl: string;
  unsubscribeUrl: string;
}

export function deadlineReminder(language: Language, facts: ReminderFacts): RenderedEmail {
  void language;
  return { subject: `${facts.hoursNeeded} hours needed by ${facts.periodEnd}`, text: '', html: '' };
}
