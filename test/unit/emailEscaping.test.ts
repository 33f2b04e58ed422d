/**
 * Text people type (names, event titles, messages, organization names) reaches other people's
 * mail. In every template and language the HTML body holds it escaped, so a mail client shows it
 * as typed and never renders it as markup; the plain-text body keeps it as typed.
 */
import { describe, expect, it } from 'vitest';
import {
  accountEmail,
  caseNotice,
  complianceTurned,
  courseRequestAnswerEmail,
  courseRequestEmail,
  credentialExpired,
  credentialRenewalReminder,
  deadlineOverdue,
  deadlineReminder,
  eventMessageEmail,
  registrationNotice,
  staffCredentialExpired,
  staffDeadlineOverdue,
  staffNotice,
  type RenderedEmail,
} from '../../services/mail/templates.js';
import { hoursDeadlineReminder } from '../../services/mail/reminderEmail.js';
import { LANGUAGES, type Language } from '../../rules/domain.js';

const SCRIPT = '<script>alert("pwned")</script>';
const IMG = `<img src=x onerror='alert(1)'>`;
const ESCAPED_SCRIPT = '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;';
const ESCAPED_IMG = '&lt;img src=x onerror=&#39;alert(1)&#39;&gt;';
const name = `Ann ${SCRIPT}`;
const other = `Bo ${IMG}`;
const url = 'https://mopd.example/cases/1?a=1&b="2"';

const deadline = {
  personName: name,
  deadlineLabel: '30-day safe sleep',
  dueOn: '2027-01-15',
  organizationName: other,
  complianceUrl: url,
};
const credential = {
  personName: name,
  credentialKind: 'cpr_first_aid_card' as const,
  issuer: other,
  expiresOn: '2027-01-15',
  profileUrl: url,
};
const startsAt = new Date('2027-03-02T15:00:00Z');

/** Each template with typed text in every field a person types. */
const TEMPLATES: Array<[string, (language: Language) => RenderedEmail]> = [
  ['deadlineReminder', (l) => deadlineReminder(l, deadline)],
  ['deadlineOverdue', (l) => deadlineOverdue(l, deadline)],
  [
    'staffDeadlineOverdue',
    (l) => staffDeadlineOverdue(l, { ...deadline, directorName: other, staffMopdId: 'MO-000001' }),
  ],
  ['accountEmail', (l) => accountEmail(l, 'email_verification', { name, url })],
  // The name typed at sign-up reaches the address before anyone has confirmed it.
  ['accountEmail sign_up', (l) => accountEmail(l, 'sign_up', { name, url })],
  ['accountEmail already_registered', (l) => accountEmail(l, 'already_registered', { name, url })],
  ['credentialRenewalReminder', (l) => credentialRenewalReminder(l, credential)],
  ['credentialExpired', (l) => credentialExpired(l, credential)],
  [
    'staffCredentialExpired',
    (l) =>
      staffCredentialExpired(l, {
        ...credential,
        directorName: other,
        staffMopdId: 'MO-000001',
        organizationName: other,
      }),
  ],
  [
    'caseNotice',
    (l) => caseNotice(l, { name, subject: `Case ${SCRIPT}`, paragraphs: [`A reviewer wrote: ${IMG}`], caseUrl: url }),
  ],
  [
    'registrationNotice',
    (l) => registrationNotice(l, 'registered', { name, eventTitle: other, startsAt, where: other, eventUrl: url }),
  ],
  [
    'eventMessageEmail',
    (l) =>
      eventMessageEmail(l, {
        name,
        fromName: other,
        fromTrainer: true,
        toEveryone: true,
        eventTitle: other,
        startsAt,
        body: `${SCRIPT}\n\n${IMG}`,
        url,
      }),
  ],
  [
    'courseRequestEmail',
    (l) =>
      courseRequestEmail(l, {
        trainerName: name,
        requesterName: other,
        region: 'Central',
        preferredMonth: '2027-03',
        seats: 8,
        message: `${SCRIPT}\n\n${IMG}`,
        url,
      }),
  ],
  [
    'courseRequestAnswerEmail',
    (l) =>
      courseRequestAnswerEmail(l, {
        name,
        trainerName: other,
        region: 'Central',
        askedOn: startsAt,
        status: 'declined',
        answer: `${SCRIPT} ${IMG}`,
        url,
      }),
  ],
  [
    'complianceTurned',
    (l) => complianceTurned(l, { name, compliant: false, version: 2, effectiveFrom: '2027-01-01', url }),
  ],
  ['staffNotice added', (l) => staffNotice(l, 'added', { name, organizationName: other, hireDate: '2027-01-15', url })],
  [
    'staffNotice invitation',
    (l) => staffNotice(l, 'invitation', { name, organizationName: other, hireDate: '2027-01-15', url }),
  ],
  [
    'hours deadline reminder',
    (l) =>
      hoursDeadlineReminder(l, {
        name,
        requirementLabel: other,
        employers: [other],
        hoursNeeded: 4,
        periodEnd: '2027-12-31',
        daysLeft: 30,
        suggestions: [
          { kind: 'event', id: 1, title: other, hours: 3, startsOn: '2027-12-01', city: other, url: `${url}#e` },
          { kind: 'online-course', id: 2, title: `Course ${SCRIPT}`, hours: 1, url: `${url}#c` },
        ],
        complianceUrl: url,
        unsubscribeUrl: url,
      }),
  ],
];

describe('an email carrying typed text', () => {
  for (const language of LANGUAGES) {
    for (const [template, render] of TEMPLATES) {
      it(`${template} (${language}) escapes it in the HTML body and keeps it as typed in the text body`, () => {
        const email = render(language);
        expect(email.html).not.toMatch(/<script|<img/i);
        expect(email.html).toContain(ESCAPED_SCRIPT);
        expect(email.text).toContain(SCRIPT);
        if (email.text.includes(IMG)) expect(email.html).toContain(ESCAPED_IMG);
        // The link's address is escaped inside its attribute, so it cannot end the attribute early.
        expect(email.html).toContain('href="https://mopd.example/cases/1?a=1&amp;b=&quot;2&quot;"');
      });
    }
  }
});
