/**
 * Email templates. Each returns a subject, a plain-text body that reads well on its own, and an
 * HTML body with the same words; every value is escaped.
 */
import escapeHtml from 'escape-html';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Paragraphs {
  subject: string;
  greeting: string;
  paragraphs: string[];
  link?: { label: string; url: string };
}

function render({ subject, greeting, paragraphs, link }: Paragraphs): RenderedEmail {
  const text = [greeting, '', ...paragraphs.flatMap((p) => [p, '']), ...(link ? [`${link.label}: ${link.url}`, ''] : []), '— MOPD, the Missouri Professional Development system'].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    '<p>— MOPD, the Missouri Professional Development system</p>',
  ].join('\n');
  return { subject, text, html };
}

const longDate = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

export interface DeadlineEmailFacts {
  personName: string;
  deadlineLabel: string;
  dueOn: string;
  organizationName: string;
  complianceUrl: string;
}

export function deadlineReminder(f: DeadlineEmailFacts): RenderedEmail {
  return render({
    subject: `Reminder: ${f.deadlineLabel} is due ${longDate(f.dueOn)}`,
    greeting: `Dear ${f.personName},`,
    paragraphs: [
      `As a new member of staff at ${f.organizationName}, you need to complete: ${f.deadlineLabel}.`,
      `It is due by ${longDate(f.dueOn)}. Once your trainer issues attendance, or you complete the online course, it will show as done.`,
    ],
    link: { label: 'See your training requirements', url: f.complianceUrl },
  });
}

export function deadlineOverdue(f: DeadlineEmailFacts): RenderedEmail {
  return render({
    subject: `Overdue: ${f.deadlineLabel} was due ${longDate(f.dueOn)}`,
    greeting: `Dear ${f.personName},`,
    paragraphs: [
      `Our records do not show ${f.deadlineLabel} for your position at ${f.organizationName}. It was due by ${longDate(f.dueOn)}.`,
      'Please complete it as soon as you can. Your director has been told as well.',
    ],
    link: { label: 'See your training requirements', url: f.complianceUrl },
  });
}

export interface DirectorDeadlineFacts extends DeadlineEmailFacts {
  directorName: string;
  staffMopdId: string;
}

export function staffDeadlineOverdue(f: DirectorDeadlineFacts): RenderedEmail {
  return render({
    subject: `Staff overdue: ${f.personName} (${f.staffMopdId}) — ${f.deadlineLabel}`,
    greeting: `Dear ${f.directorName},`,
    paragraphs: [
      `${f.personName} (MOPD ID ${f.staffMopdId}) at ${f.organizationName} has not completed ${f.deadlineLabel}, which was due by ${longDate(f.dueOn)}.`,
      'Until it is completed, the staff training report will show this deadline as overdue.',
    ],
    link: { label: 'See their training requirements', url: f.complianceUrl },
  });
}

export interface AccountLinkFacts {
  name: string;
  url: string;
}

export function accountEmail(purpose: 'email_verification' | 'password_reset', f: AccountLinkFacts): RenderedEmail {
  return purpose === 'password_reset'
    ? render({
        subject: 'Reset your MOPD password',
        greeting: `Dear ${f.name},`,
        paragraphs: ['Someone (we hope you) asked to reset the password of your MOPD account.', 'The link works once, for one hour. If you did not ask, ignore this email: your password stays as it is.'],
        link: { label: 'Choose a new password', url: f.url },
      })
    : render({
        subject: 'Confirm your email for MOPD',
        greeting: `Dear ${f.name},`,
        paragraphs: ['Welcome to MOPD, the Missouri Professional Development system.', 'Please confirm this is your email address. The link works once, for 24 hours.'],
        link: { label: 'Confirm my email', url: f.url },
      });
}

export interface CredentialEmailFacts {
  personName: string;
  credentialLabel: string;
  issuer: string;
  expiresOn: string;
  profileUrl: string;
}

export function credentialRenewalReminder(f: CredentialEmailFacts): RenderedEmail {
  return render({
    subject: `Reminder: your ${f.credentialLabel} expires ${longDate(f.expiresOn)}`,
    greeting: `Dear ${f.personName},`,
    paragraphs: [
      `Your ${f.credentialLabel} from ${f.issuer} expires on ${longDate(f.expiresOn)}.`,
      'Please renew it before then and add the new card to your MOPD profile, with a photo or scan of it.',
    ],
    link: { label: 'Open your profile', url: f.profileUrl },
  });
}

export function credentialExpired(f: CredentialEmailFacts): RenderedEmail {
  return render({
    subject: `Expired: your ${f.credentialLabel} expired ${longDate(f.expiresOn)}`,
    greeting: `Dear ${f.personName},`,
    paragraphs: [
      `Our records show your ${f.credentialLabel} from ${f.issuer} expired on ${longDate(f.expiresOn)}, and no newer card has been added.`,
      'Staff reports now show your card as expired. If you have renewed it, add the new card to your profile. Your director has been told as well.',
    ],
    link: { label: 'Open your profile', url: f.profileUrl },
  });
}

export function staffCredentialExpired(f: CredentialEmailFacts & { directorName: string; staffMopdId: string; organizationName: string }): RenderedEmail {
  return render({
    subject: `Staff card expired: ${f.personName} (${f.staffMopdId}) — ${f.credentialLabel}`,
    greeting: `Dear ${f.directorName},`,
    paragraphs: [
      `The ${f.credentialLabel} of ${f.personName} (MOPD ID ${f.staffMopdId}) at ${f.organizationName} expired on ${longDate(f.expiresOn)}, and no newer card has been added.`,
      'The staff training report shows the card as expired until a renewed one is on file.',
    ],
    link: { label: 'See their profile', url: f.profileUrl },
  });
}

/** A step of an approval case, told to the applicant or a reviewer. */
export function caseNotice(f: { name: string; subject: string; paragraphs: string[]; caseUrl: string }): RenderedEmail {
  return render({ subject: f.subject, greeting: `Dear ${f.name},`, paragraphs: f.paragraphs, link: { label: 'Open the case', url: f.caseUrl } });
}

const eventTime = (at: Date) => at.toLocaleString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'America/Chicago' });

/** A registration's news: a seat, a place on the waitlist, a seat after all, or a cancellation. */
export function registrationNotice(kind: 'registered' | 'waitlisted' | 'promoted' | 'cancelled' | 'reminder', f: { name: string; eventTitle: string; startsAt: Date; where: string; eventUrl: string }): RenderedEmail {
  const when = `${eventTime(f.startsAt)} (${f.where})`;
  const lines = {
    registered: { subject: `Registered: ${f.eventTitle}`, paragraphs: [`You have a seat at ${f.eventTitle}, ${when}.`, 'If you cannot come, cancel so that someone on the waitlist can have your seat.'] },
    waitlisted: { subject: `Waitlisted: ${f.eventTitle}`, paragraphs: [`${f.eventTitle}, ${when}, is full. You are on the waitlist.`, 'If a seat frees up it is yours, and we will tell you.'] },
    promoted: { subject: `A seat for you: ${f.eventTitle}`, paragraphs: [`A seat freed up at ${f.eventTitle}, ${when}, and it is yours now.`, 'If you can no longer come, please cancel.'] },
    cancelled: { subject: `Cancelled: ${f.eventTitle}`, paragraphs: [`Your registration for ${f.eventTitle}, ${when}, is cancelled.`] },
    reminder: { subject: `Coming up: ${f.eventTitle}`, paragraphs: [`A reminder that ${f.eventTitle} starts ${when}.`, 'If you cannot come after all, cancel so that someone on the waitlist can have your seat.'] },
  }[kind];
  return render({ subject: lines.subject, greeting: `Dear ${f.name},`, paragraphs: lines.paragraphs, link: { label: 'Find more training', url: f.eventUrl } });
}

/** Keeps the writer's paragraphs (blank lines between them) as paragraphs of the email. */
const paragraphsOf = (written: string) => written.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

/** A message about an event: from its trainer to participants, or a participant's reply to the trainer. */
export function eventMessageEmail(f: { name: string; fromName: string; fromTrainer: boolean; toEveryone: boolean; eventTitle: string; startsAt: Date; body: string; url: string }): RenderedEmail {
  const event = `${f.eventTitle} (${eventTime(f.startsAt)})`;
  const intro = !f.fromTrainer
    ? `${f.fromName}, a participant of ${event}, wrote to you:`
    : f.toEveryone
      ? `${f.fromName}, the trainer of ${event}, wrote to everyone registered:`
      : `${f.fromName}, the trainer of ${event}, wrote to you:`;
  return render({
    subject: f.fromTrainer ? `Message from your trainer: ${f.eventTitle}` : `Reply from ${f.fromName}: ${f.eventTitle}`,
    greeting: `Dear ${f.name},`,
    paragraphs: [intro, ...paragraphsOf(f.body), f.fromTrainer ? 'To reply, sign in to MOPD and open the event: your reply goes to the trainer only.' : 'To answer, sign in to MOPD and open the event’s messages.'],
    link: { label: 'Open MOPD', url: f.url },
  });
}

const monthLabel = (month: string) => new Date(`${month}-15T12:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Someone asks a CPR/First Aid trainer for a course in their region. */
export function courseRequestEmail(f: { trainerName: string; requesterName: string; region: string; preferredMonth: string | null; seats: number | null; message: string; url: string }): RenderedEmail {
  const details = [f.preferredMonth ? `preferably in ${monthLabel(f.preferredMonth)}` : '', f.seats ? `for about ${f.seats} ${f.seats === 1 ? 'person' : 'people'}` : ''].filter(Boolean).join(', ');
  return render({
    subject: `Course request: CPR/First Aid in ${f.region}`,
    greeting: `Dear ${f.trainerName},`,
    paragraphs: [
      `${f.requesterName} asks for a CPR/First Aid course in the ${f.region} region${details ? `, ${details}` : ''}. They wrote:`,
      ...paragraphsOf(f.message),
      'Answer or decline from your course requests in MOPD; your answer is emailed to them.',
    ],
    link: { label: 'Open your course requests', url: f.url },
  });
}

/** The trainer's answer to a course request, told to whoever asked. */
export function courseRequestAnswerEmail(f: { name: string; trainerName: string; region: string; askedOn: Date; status: 'answered' | 'declined'; answer: string; url: string }): RenderedEmail {
  const asked = f.askedOn.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'America/Chicago' });
  return render({
    subject: f.status === 'answered' ? `${f.trainerName} answered your course request` : `${f.trainerName} declined your course request`,
    greeting: `Dear ${f.name},`,
    paragraphs: [
      `On ${asked} you asked ${f.trainerName} for a CPR/First Aid course in the ${f.region} region.`,
      f.status === 'answered' ? 'They answered:' : 'They cannot offer it, and wrote:',
      ...paragraphsOf(f.answer),
      ...(f.status === 'declined' ? ['Other trainers in the directory may be able to help.'] : []),
    ],
    link: { label: 'Find CPR/First Aid trainers', url: f.url },
  });
}

/** A rule change published today turned a person's compliance. */
export function complianceTurned(f: { name: string; compliant: boolean; version: number; effectiveFrom: string; url: string }): RenderedEmail {
  return render({
    subject: f.compliant ? 'You now meet your training requirements' : 'Your training requirements changed: you have hours to make up',
    greeting: `Dear ${f.name},`,
    paragraphs: [
      `The state's training rules changed on ${f.effectiveFrom} (rule set version ${f.version}).`,
      f.compliant ? 'Under the new rules you meet every training requirement of your job.' : 'Under the new rules you no longer meet every training requirement of your job. Your compliance page shows what is missing and by when.',
    ],
    link: { label: 'See your compliance', url: f.url },
  });
}
