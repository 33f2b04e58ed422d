/**
 * Writes an email to the outbox in its recipient's language. The language is chosen here, when the
 * row is written, not when the mailer sends it: the row then holds exactly the words that go out
 * (an admin reading the outbox sees them, a retry resends them), and rows already queued before a
 * language change, or before this existed, still send as written.
 */
import type { Db } from '../../db/connection.js';
import { addManyToOutbox, type OutgoingEmail } from '../../db/outbox.js';
import { languagesOfAddresses } from '../../db/users.js';
import type { Language } from '../../rules/domain.js';
import type { RenderedEmail } from './templates.js';

/** An email to write in its recipient's language: `compose` writes it in the language chosen. */
export interface EmailInLanguage {
  dedupeKey: string;
  template: string;
  to: string;
  compose: (language: Language) => RenderedEmail & Pick<OutgoingEmail, 'headers' | 'attachments'>;
}

export async function addToOutboxInLanguage(db: Db, email: EmailInLanguage): Promise<boolean> {
  return (await addManyToOutboxInLanguage(db, [email])) > 0;
}

/** Several emails at once, each in its recipient's language: one read of the languages, one write. */
export async function addManyToOutboxInLanguage(db: Db, emails: EmailInLanguage[]): Promise<number> {
  if (emails.length === 0) return 0;
  const languages = await languagesOfAddresses(
    db,
    emails.map((e) => e.to),
  );
  return addManyToOutbox(
    db,
    emails.map((email) => ({
      dedupeKey: email.dedupeKey,
      template: email.template,
      to: email.to,
      ...email.compose(languages.get(email.to.toLowerCase()) ?? 'en'),
    })),
  );
}
