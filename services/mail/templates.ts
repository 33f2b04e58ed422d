/**
 * Email templates. Each returns a subject, a plain-text body that reads well on its own, and an
 * HTML body with the same words; every value is escaped. Each is written in the recipient's
 * language, from the wording in `messages/<language>.json`.
 */
import type { TrainingRecordChangeKind } from '../../rules/domain.js';
import escapeHtml from 'escape-html';
import type { CredentialKind, Language } from '../../rules/domain.js';
import { dayLabel, emailMessages, eventTime, fill, longDate, monthLabel, plural } from './messages.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A paragraph's words, or words around a web address that the HTML body makes a link. */
type Paragraph = string | { words: string; url: string };

interface Paragraphs {
  subject: string;
  greeting: string;
  paragraphs: Paragraph[];
  link?: { label: string; url: string };
}

/** A paragraph whose wording holds `{url}`: the address itself, a link in the HTML body. */
const withLink = (wording: string, url: string): Paragraph => ({ words: wording, url });

const paragraphText = (p: Paragraph) => (typeof p === 'string' ? p : fill(p.words, { url: p.url }));

function paragraphHtml(p: Paragraph): string {
  if (typeof p === 'string') return `<p>${escapeHtml(p)}</p>`;
  const link = `<a href="${escapeHtml(p.url)}">${escapeHtml(p.url)}</a>`;
  return `<p>${p.words
    .split('{url}')
    .map((part) => escapeHtml(part))
    .join(link)}</p>`;
}

function render(language: Language, { subject, greeting, paragraphs, link }: Paragraphs): RenderedEmail {
  const signature = emailMessages[language].common.signature;
  const text = [
    greeting,
    '',
    ...paragraphs.flatMap((p) => [paragraphText(p), '']),
    ...(link ? [`${link.label}: ${link.url}`, ''] : []),
    signature,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map(paragraphHtml),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    `<p>${escapeHtml(signature)}</p>`,
  ].join('\n');
  return { subject, text, html };
}

const greet = (language: Language, name: string) => fill(emailMessages[language].common.greeting, { name });

/** A template whose wording is `subject`, `body` (paragraphs) and `link`, filled with the same values. */
function fromMessages(
  language: Language,
  m: { subject: string; body: string[]; link: string },
  name: string,
  values: Record<string, string | number>,
  url: string,
): RenderedEmail {
  return render(language, {
    subject: fill(m.subject, values),
    greeting: greet(language, name),
    paragraphs: m.body.map((p) => fill(p, values)),
    link: { label: m.link, url },
  });
}

export interface DeadlineEmailFacts {
  personName: string;
  deadlineLabel: string;
  dueOn: string;
  organizationName: string;
  complianceUrl: string;
}

const deadlineValues = (language: Language, f: DeadlineEmailFacts) => ({
  deadline: f.deadlineLabel,
  dueOn: longDate(language, f.dueOn),
  organization: f.organizationName,
  person: f.personName,
});

export function deadlineReminder(language: Language, f: DeadlineEmailFacts): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].deadlineReminder,
    f.personName,
    deadlineValues(language, f),
    f.complianceUrl,
  );
}

export function deadlineOverdue(language: Language, f: DeadlineEmailFacts): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].deadlineOverdue,
    f.personName,
    deadlineValues(language, f),
    f.complianceUrl,
  );
}

export interface DirectorDeadlineFacts extends DeadlineEmailFacts {
  directorName: string;
  staffMopdId: string;
}

export function staffDeadlineOverdue(language: Language, f: DirectorDeadlineFacts): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].staffDeadlineOverdue,
    f.directorName,
    { ...deadlineValues(language, f), mopdId: f.staffMopdId },
    f.complianceUrl,
  );
}

export interface AccountLinkFacts {
  name: string;
  url: string;
}

export type AccountEmailPurpose = 'email_verification' | 'password_reset' | 'sign_up' | 'already_registered';

export function accountEmail(language: Language, purpose: AccountEmailPurpose, f: AccountLinkFacts): RenderedEmail {
  const m = emailMessages[language];
  const messages: Record<AccountEmailPurpose, typeof m.passwordReset> = {
    email_verification: m.emailVerification,
    password_reset: m.passwordReset,
    sign_up: m.signUp,
    already_registered: m.alreadyRegistered,
  };
  return fromMessages(language, messages[purpose], f.name, {}, f.url);
}

export interface CredentialEmailFacts {
  personName: string;
  credentialKind: CredentialKind;
  issuer: string;
  expiresOn: string;
  profileUrl: string;
}

const credentialValues = (language: Language, f: CredentialEmailFacts) => ({
  credential: emailMessages[language].credentialKinds[f.credentialKind],
  issuer: f.issuer,
  expiresOn: longDate(language, f.expiresOn),
  person: f.personName,
});

export function credentialRenewalReminder(language: Language, f: CredentialEmailFacts): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].credentialRenewalReminder,
    f.personName,
    credentialValues(language, f),
    f.profileUrl,
  );
}

export function credentialExpired(language: Language, f: CredentialEmailFacts): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].credentialExpired,
    f.personName,
    credentialValues(language, f),
    f.profileUrl,
  );
}

/** A reviewer rejected the scan of a card: why, and where to upload it again. */
export function cprCardRejected(language: Language, f: CredentialEmailFacts & { reason: string }): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].cprCardRejected,
    f.personName,
    { ...credentialValues(language, f), reason: f.reason },
    f.profileUrl,
  );
}

export function staffCredentialExpired(
  language: Language,
  f: CredentialEmailFacts & { directorName: string; staffMopdId: string; organizationName: string },
): RenderedEmail {
  return fromMessages(
    language,
    emailMessages[language].staffCredentialExpired,
    f.directorName,
    { ...credentialValues(language, f), mopdId: f.staffMopdId, organization: f.organizationName },
    f.profileUrl,
  );
}

/** A step of an approval case, told to the applicant or a reviewer. */
export function caseNotice(
  language: Language,
  f: { name: string; subject: string; paragraphs: string[]; caseUrl: string },
): RenderedEmail {
  return render(language, {
    subject: f.subject,
    greeting: greet(language, f.name),
    paragraphs: f.paragraphs,
    link: { label: emailMessages[language].caseNotice.link, url: f.caseUrl },
  });
}

/** A registration's news: a seat, a place on the waitlist, a seat after all, or a cancellation. */
export function registrationNotice(
  language: Language,
  kind: 'registered' | 'waitlisted' | 'promoted' | 'cancelled' | 'reminder',
  f: {
    name: string;
    eventTitle: string;
    startsAt: Date;
    where: string | null;
    eventUrl: string;
    /** The link to join online: only for someone holding a seat. */
    joinUrl?: string | null;
    /** A calendar invitation ('REQUEST') or its cancellation ('CANCEL') is attached. */
    calendar?: 'REQUEST' | 'CANCEL' | null;
  },
): RenderedEmail {
  const m = emailMessages[language].registration;
  const when = `${eventTime(language, f.startsAt)} (${f.where ?? emailMessages[language].common.online})`;
  const values = { event: f.eventTitle, when };
  return render(language, {
    subject: fill(m[kind].subject, values),
    greeting: greet(language, f.name),
    paragraphs: [
      ...m[kind].body.map((p) => fill(p, values)),
      ...(f.joinUrl ? [withLink(m.join, f.joinUrl)] : []),
      ...(f.calendar === 'REQUEST' ? [m.calendarAttached] : f.calendar === 'CANCEL' ? [m.calendarCancelled] : []),
    ],
    link: { label: m.link, url: f.eventUrl },
  });
}

/** Keeps the writer's paragraphs (blank lines between them) as paragraphs of the email. */
const paragraphsOf = (written: string) =>
  written
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** A message about an event: from its trainer to participants, or a participant's reply to the trainer. */
export function eventMessageEmail(
  language: Language,
  f: {
    name: string;
    fromName: string;
    fromTrainer: boolean;
    toEveryone: boolean;
    eventTitle: string;
    startsAt: Date;
    body: string;
    url: string;
  },
): RenderedEmail {
  const m = emailMessages[language].eventMessage;
  const values = { from: f.fromName, event: `${f.eventTitle} (${eventTime(language, f.startsAt)})` };
  const intro = !f.fromTrainer ? m.introFromParticipant : f.toEveryone ? m.introToEveryone : m.introFromTrainer;
  return render(language, {
    subject: fill(f.fromTrainer ? m.subjectFromTrainer : m.subjectFromParticipant, {
      from: f.fromName,
      event: f.eventTitle,
    }),
    greeting: greet(language, f.name),
    paragraphs: [fill(intro, values), ...paragraphsOf(f.body), f.fromTrainer ? m.replyToTrainer : m.replyToParticipant],
    link: { label: m.link, url: f.url },
  });
}

/** Someone asks a CPR/First Aid trainer for a course in their region. */
export function courseRequestEmail(
  language: Language,
  f: {
    trainerName: string;
    requesterName: string;
    region: string;
    preferredMonth: string | null;
    seats: number | null;
    message: string;
    url: string;
  },
): RenderedEmail {
  const m = emailMessages[language].courseRequest;
  const details = [
    f.preferredMonth ? fill(m.preferredMonth, { month: monthLabel(language, f.preferredMonth) }) : '',
    f.seats ? plural(language, m.seats, f.seats) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return render(language, {
    subject: fill(m.subject, { region: f.region }),
    greeting: greet(language, f.trainerName),
    paragraphs: [
      fill(details ? m.asksWithDetails : m.asks, { requester: f.requesterName, region: f.region, details }),
      ...paragraphsOf(f.message),
      m.howToAnswer,
    ],
    link: { label: m.link, url: f.url },
  });
}

/** The trainer's answer to a course request, told to whoever asked. */
export function courseRequestAnswerEmail(
  language: Language,
  f: {
    name: string;
    trainerName: string;
    region: string;
    askedOn: Date;
    status: 'answered' | 'declined';
    answer: string;
    url: string;
  },
): RenderedEmail {
  const m = emailMessages[language].courseRequestAnswer;
  return render(language, {
    subject: fill(f.status === 'answered' ? m.subjectAnswered : m.subjectDeclined, { trainer: f.trainerName }),
    greeting: greet(language, f.name),
    paragraphs: [
      fill(m.asked, { askedOn: dayLabel(language, f.askedOn), trainer: f.trainerName, region: f.region }),
      f.status === 'answered' ? m.answered : m.declined,
      ...paragraphsOf(f.answer),
      ...(f.status === 'declined' ? [m.otherTrainers] : []),
    ],
    link: { label: m.link, url: f.url },
  });
}

/** A rule change published today turned a person's compliance. */
export function complianceTurned(
  language: Language,
  f: { name: string; compliant: boolean; version: number; effectiveFrom: string; url: string },
): RenderedEmail {
  const m = emailMessages[language].complianceTurned;
  return render(language, {
    subject: f.compliant ? m.subjectCompliant : m.subjectNotCompliant,
    greeting: greet(language, f.name),
    paragraphs: [
      fill(m.changed, { effectiveFrom: f.effectiveFrom, version: f.version }),
      f.compliant ? m.compliant : m.notCompliant,
    ],
    link: { label: m.link, url: f.url },
  });
}

/**
 * A period turned (January 1, or the start of a program's contract year) and with it a person's
 * stored compliance: a required notice, sent whatever their reminder choice.
 */
export function complianceTurnedAtRollover(
  language: Language,
  f: { name: string; compliant: boolean; asOf: string; url: string },
): RenderedEmail {
  const m = emailMessages[language].complianceTurnedAtRollover;
  return render(language, {
    subject: f.compliant ? m.subjectCompliant : m.subjectNotCompliant,
    greeting: greet(language, f.name),
    paragraphs: [fill(m.turned, { date: longDate(language, f.asOf) }), f.compliant ? m.compliant : m.notCompliant],
    link: { label: m.link, url: f.url },
  });
}

/** A legacy import brought records of a person's that turned their standing (no re-decision involved). */
export function complianceTurnedByImport(
  language: Language,
  f: { name: string; compliant: boolean; system: string; url: string },
): RenderedEmail {
  const m = emailMessages[language].complianceTurnedByImport;
  return render(language, {
    subject: f.compliant ? m.subjectCompliant : m.subjectNotCompliant,
    greeting: greet(language, f.name),
    paragraphs: [fill(m.turned, { system: f.system }), f.compliant ? m.compliant : m.notCompliant],
    link: { label: m.link, url: f.url },
  });
}

/**
 * A person is told when an organization adds them to its staff ('added'), or asks to and waits for
 * their answer ('invitation'): a hire opens their record to the organization's directors.
 */
export function staffNotice(
  language: Language,
  kind: 'added' | 'invitation',
  f: { name: string; organizationName: string; hireDate: string; url: string },
): RenderedEmail {
  const m = emailMessages[language];
  return fromMessages(
    language,
    kind === 'added' ? m.staffAdded : m.staffInvitation,
    f.name,
    { organization: f.organizationName, hireDate: longDate(language, f.hireDate) },
    f.url,
  );
}

/**
 * A person's training record was corrected or voided by the registry, or its credit decided again;
 * `compliantNow` says how their status turned (null: it did not).
 */
export function trainingRecordNotice(
  language: Language,
  f: {
    name: string;
    kind: TrainingRecordChangeKind;
    title: string;
    completedOn: string;
    reason: string;
    compliantNow: boolean | null;
    url: string;
  },
): RenderedEmail {
  const m = emailMessages[language].trainingRecordNotice;
  const subject = { corrected: m.subjectCorrected, voided: m.subjectVoided, redecided: m.subjectRedecided }[f.kind];
  const values = { title: f.title, completedOn: longDate(language, f.completedOn), reason: f.reason };
  return render(language, {
    subject,
    greeting: greet(language, f.name),
    paragraphs: [
      fill(m[f.kind], values),
      ...(f.compliantNow === null ? [] : [f.compliantNow ? m.nowCompliant : m.nowNotCompliant]),
    ],
    link: { label: m.link, url: f.url },
  });
}

/**
 * Completed attendance issued a training record: which training, the hours attended and credited,
 * and, when not all of them count, the rule set's reasons (policy text, as the rule set says it).
 */
export function attendanceRecordNotice(
  language: Language,
  f: {
    name: string;
    title: string;
    completedOn: string;
    hours: number;
    creditedHours: number;
    reasons: string[];
    url: string;
  },
): RenderedEmail {
  const m = emailMessages[language].attendanceRecord;
  const hours = (count: number) => plural(language, m.hours, count);
  const reasons = f.reasons.join(' ');
  return render(language, {
    subject: fill(m.subject, { title: f.title }),
    greeting: greet(language, f.name),
    paragraphs: [
      fill(m.recorded, { title: f.title, completedOn: longDate(language, f.completedOn), hours: hours(f.hours) }),
      f.creditedHours >= f.hours
        ? m.credited
        : f.creditedHours > 0
          ? fill(m.partlyCredited, { credited: hours(f.creditedHours), reasons })
          : fill(m.notCredited, { reasons }),
    ],
    link: { label: m.link, url: f.url },
  });
}
