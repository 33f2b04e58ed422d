/**
 * The director's weekly digest (issue 20): staff who will not have their hours by the end of the
 * period at their pace, overdue hire deadlines, and CPR/First Aid cards expiring or expired, in
 * the director's language (messages/<language>.json, `directorDigest`). Every value is escaped.
 */
import escapeHtml from 'escape-html';
import type { Language } from '../../rules/domain.js';
import { emailMessages, fill, longDate, plural } from './messages.js';
import type { RenderedEmail } from './templates.js';

export interface DirectorDigestFacts {
  directorName: string;
  organizations: string[];
  asOf: string;
  fallingShort: Array<{
    person: string;
    organization: string;
    requirement: string;
    stillNeeded: number;
    periodEnd: string;
    daysLeft: number;
    projectedShortfall: number;
    verdict: 'at-risk' | 'no-pace';
    paceBasis: 'twelve-months' | 'since-employed';
  }>;
  overdueDeadlines: Array<{ person: string; organization: string; deadline: string; dueOn: string }>;
  cards: Array<{ person: string; organization: string; status: 'expiring' | 'expired'; expiresOn: string }>;
  /** Where the director sees their staff (the home page). */
  url: string;
}

/** How many things the digest tells of: nothing is sent when this is 0. */
export const digestItems = (f: Pick<DirectorDigestFacts, 'fallingShort' | 'overdueDeadlines' | 'cards'>) =>
  f.fallingShort.length + f.overdueDeadlines.length + f.cards.length;

export function directorDigestEmail(language: Language, f: DirectorDigestFacts): RenderedEmail {
  const m = emailMessages[language].directorDigest;
  const common = emailMessages[language].common;
  const date = (d: string) => longDate(language, d);
  const sections: Array<{ heading: string; lines: string[] }> = [
    {
      heading: m.hoursHeading,
      lines: f.fallingShort.map((p) =>
        [
          fill(m.hoursLine, {
            person: p.person,
            organization: p.organization,
            requirement: p.requirement,
            short: plural(language, m.hours, p.stillNeeded),
            periodEnd: date(p.periodEnd),
            daysLeft: plural(language, m.days, p.daysLeft),
            shortfall: plural(language, m.hours, p.projectedShortfall),
          }),
          ...(p.verdict === 'no-pace' ? [m.noPace] : []),
          ...(p.paceBasis === 'since-employed' ? [m.sinceEmployed] : []),
        ].join(' '),
      ),
    },
    {
      heading: m.deadlinesHeading,
      lines: f.overdueDeadlines.map((d) =>
        fill(m.deadlineLine, {
          person: d.person,
          organization: d.organization,
          deadline: d.deadline,
          dueOn: date(d.dueOn),
        }),
      ),
    },
    {
      heading: m.cardsHeading,
      lines: f.cards.map((c) =>
        fill(c.status === 'expired' ? m.cardExpired : m.cardExpiring, {
          person: c.person,
          organization: c.organization,
          expiresOn: date(c.expiresOn),
        }),
      ),
    },
  ].filter((s) => s.lines.length > 0);
  const greeting = fill(common.greeting, { name: f.directorName });
  const intro = fill(m.intro, { organizations: f.organizations.join(', '), date: date(f.asOf) });
  const text = [
    greeting,
    '',
    intro,
    '',
    ...sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `- ${l}`), '']),
    m.weekly,
    '',
    `${m.link}: ${f.url}`,
    '',
    common.signature,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    ...sections.flatMap((s) => [
      `<h2>${escapeHtml(s.heading)}</h2>`,
      `<ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    ]),
    `<p>${escapeHtml(m.weekly)}</p>`,
    `<p><a href="${escapeHtml(f.url)}">${escapeHtml(m.link)}</a></p>`,
    `<p>${escapeHtml(common.signature)}</p>`,
  ].join('\n');
  return { subject: plural(language, m.subject, digestItems(f)), text, html };
}
