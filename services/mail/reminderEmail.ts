/**
 * The deadline reminder email (issue 20): how many clock hours a person still needs by which day,
 * for which requirement and employer, the training that would count (each with its hours and a
 * link), their compliance page, and a footer saying these reminders are optional with the link
 * that stops them. Written in the person's language from `hoursDeadlineReminder` in
 * messages/<language>.json; the plain text reads well alone and the HTML says the same words, every
 * value escaped. Its own renderer, since the shared one (templates.ts) has no lists.
 */
import escapeHtml from 'escape-html';
import type { Language } from '../../rules/domain.js';
import type { SuggestedTraining } from '../trainingSuggestions.js';
import { emailMessages, fill, intlLocale, longDate, plural } from './messages.js';
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
  /** The training catalog, offered when nothing is suggested; left out, `/catalog` of the compliance page's site. */
  catalogUrl?: string;
}

/** What follows a suggestion's title: "3 clock hours, starting …, Columbia (about 3 miles away)". */
function detailsOf(language: Language, s: SuggestedTraining): string {
  const m = emailMessages[language].hoursDeadlineReminder;
  const hours = plural(language, m.hours, s.hours);
  if (s.kind === 'online-course') return fill(m.onlineCourse, { hours });
  const miles =
    s.distanceMiles === null || s.distanceMiles === undefined
      ? null
      : plural(language, m.miles, Math.max(1, Math.round(s.distanceMiles)));
  const place = s.city ? (miles ? `${s.city} (${miles})` : s.city) : emailMessages[language].common.online;
  const date = s.startsOn ? longDate(language, s.startsOn) : '';
  return fill(m.event, { hours, date, place });
}

export function hoursDeadlineReminder(language: Language, facts: ReminderFacts): RenderedEmail {
  const common = emailMessages[language].common;
  const m = emailMessages[language].hoursDeadlineReminder;
  const deadline = longDate(language, facts.periodEnd);
  const values = {
    deadline,
    daysLeft: plural(language, m.daysLeft, facts.daysLeft),
    requirement: facts.requirementLabel,
    employers: new Intl.ListFormat(intlLocale(language), { type: 'conjunction' }).format(facts.employers),
  };
  const subject = plural(language, m.subject, facts.hoursNeeded, { deadline });
  const greeting = fill(common.greeting, { name: facts.name });
  const needed = plural(
    language,
    facts.employers.length > 0 ? m.needed : m.neededNoEmployer,
    facts.hoursNeeded,
    values,
  );
  const catalogUrl = facts.catalogUrl ?? new URL('/catalog', facts.complianceUrl).toString();
  // Each line leads with the title (the link, in HTML), then its hours, date and place.
  const lines = facts.suggestions.map((s) => ({ title: s.title, details: detailsOf(language, s), url: s.url }));

  const text = [
    greeting,
    '',
    needed,
    '',
    ...(lines.length > 0
      ? [m.suggestionsIntro, '', ...lines.flatMap((l) => [`- ${l.title}: ${l.details}`, `  ${l.url}`]), '']
      : [m.noSuggestions, `${m.catalogLink}: ${catalogUrl}`, '']),
    `${m.link}: ${facts.complianceUrl}`,
    '',
    // The footer stays in the signature's paragraph: the in-app notification (services/reminders.ts)
    // keeps what lies between the greeting and the last two paragraphs (the link and the signature).
    common.signature,
    m.optional,
    `${m.unsubscribe}: ${facts.unsubscribeUrl}`,
  ].join('\n');

  const link = (url: string, label: string) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(needed)}</p>`,
    ...(lines.length > 0
      ? [
          `<p>${escapeHtml(m.suggestionsIntro)}</p>`,
          '<ul>',
          ...lines.map((l) => `<li>${link(l.url, l.title)}: ${escapeHtml(l.details)}</li>`),
          '</ul>',
        ]
      : [`<p>${escapeHtml(m.noSuggestions)}</p>`, `<p>${link(catalogUrl, m.catalogLink)}</p>`]),
    `<p>${link(facts.complianceUrl, m.link)}</p>`,
    `<p>${escapeHtml(common.signature)}</p>`,
    `<p><small>${escapeHtml(m.optional)} ${link(facts.unsubscribeUrl, m.unsubscribe)}</small></p>`,
  ].join('\n');
  return { subject, text, html };
}
